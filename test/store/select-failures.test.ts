import { describe, expect, it } from 'vitest';
import { createModel } from '../../src/store/create-model.js';
import { reduceTasks } from '../../src/store/reduce-tasks.js';
import { maxGroupIds, selectFailureGroups } from '../../src/store/select-failures.js';
import { eventsAction, fixtureEvents, fixtureMeta, resultsAction, taskEvent } from './task-fixtures.js';

const t0 = 1_795_524_200;
const at0 = t0 * 1000;

function fail(id: string, name: string, at: number, exception: string) {
  return [
    taskEvent('task-received', id, at - 1, { name }),
    taskEvent('task-failed', id, at, { exception, traceback: `tb ${id}` }),
  ];
}

describe('selectFailureGroups', () => {
  it('groups FAILURE tasks by name and exception type, latest group first', () => {
    const m = createModel(at0);
    reduceTasks(
      m,
      eventsAction(
        at0,
        ...fail('a', 'app.boom', t0 + 1, "ValueError('one')"),
        ...fail('b', 'app.boom', t0 + 3, "ValueError('two')"),
        ...fail('c', 'app.boom', t0 + 2, "KeyError('k')"),
        ...fail('d', 'app.other', t0 + 4, 'ValueError()'),
        taskEvent('task-succeeded', 'e', t0 + 5, { name: 'app.boom', runtime: 1 }),
      ),
    );
    const groups = selectFailureGroups(m, at0);
    expect(groups.map((g) => [g.name, g.excType, g.count])).toEqual([
      ['app.other', 'ValueError', 1],
      ['app.boom', 'ValueError', 2],
      ['app.boom', 'KeyError', 1],
    ]);
    const value = groups[1]!;
    expect([value.firstSeen, value.lastSeen]).toEqual([t0 + 1, t0 + 3]);
    expect([value.exampleId, value.exampleException, value.exampleTraceback]).toEqual([
      'b',
      "ValueError('two')",
      'tb b',
    ]);
    expect([value.ids, value.more, value.retrying]).toEqual([['b', 'a'], 0, false]);
  });

  it('reads the type from meta exceptions and real fixture events alike', () => {
    const m = createModel(at0);
    reduceTasks(m, resultsAction(at0, 'scan', fixtureMeta('result-meta-failure.json')));
    reduceTasks(m, eventsAction(at0, ...fixtureEvents('event-task-retried.json')));
    const groups = selectFailureGroups(m, at0);
    const failure = groups.find((g) => !g.retrying)!;
    expect([failure.name, failure.excType, failure.exampleException]).toEqual([
      null,
      'ValueError',
      "ValueError('kaboom')",
    ]);
    const retry = groups.find((g) => g.retrying)!;
    expect([retry.excType, retry.ids]).toEqual(['RuntimeError', ['a8d48ac9-99da-4e44-9145-e7478ba2cc1c']]);
  });

  it('lists at most maxGroupIds ids and counts the rest', () => {
    const m = createModel(at0);
    const events = Array.from({ length: maxGroupIds + 5 }, (_, i) =>
      fail(`f${i}`, 'app.boom', t0 + i, "ValueError('x')"),
    ).flat();
    reduceTasks(m, eventsAction(at0, ...events));
    const [group] = selectFailureGroups(m, at0);
    expect(group!.count).toBe(maxGroupIds + 5);
    expect(group!.ids).toHaveLength(maxGroupIds);
    expect(group!.ids[0]).toBe(`f${maxGroupIds + 4}`);
    expect(group!.more).toBe(5);
  });

  it('returns nothing when nothing failed', () => {
    const m = createModel(at0);
    reduceTasks(m, eventsAction(at0, taskEvent('task-succeeded', 'ok', t0, { runtime: 1 })));
    expect(selectFailureGroups(m, at0)).toEqual([]);
  });
});
