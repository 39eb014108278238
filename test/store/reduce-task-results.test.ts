import { describe, expect, it } from 'vitest';
import { seriesRate } from '../../src/metrics/series.js';
import { createModel } from '../../src/store/create-model.js';
import { reduceTasks } from '../../src/store/reduce-tasks.js';
import { parseCeleryTime } from '../../src/store/task-merge.js';
import { eventsAction, fixtureMeta, resultMeta, resultsAction, taskEvent } from './task-fixtures.js';

const t0 = 1_795_524_200;
const at0 = t0 * 1000;
const later = at0 + 1000;

function finishedCount(m: ReturnType<typeof createModel>, name: string): number {
  return seriesRate(m.taskNames.get(name)!.finishedRate, later + 1000, 60_000).count;
}

describe('reduceTasks: result meta', () => {
  it('reads extended FAILURE meta: exception display, naive UTC date_done, exact call (fixture)', () => {
    const m = createModel(at0);
    reduceTasks(m, resultsAction(at0, 'get', fixtureMeta('result-meta-failure-extended.json')));
    const task = m.tasks.get('3fae3bf9-cb23-45b6-b1f5-1ee46b1f980f')!;
    expect(task.state).toBe('FAILURE');
    expect(task.exception).toBe("ValueError('kaboom')");
    expect(task.traceback).toContain('raise ValueError(msg)');
    expect(task.finishedAt).toBe(parseCeleryTime('2026-11-24T12:46:26.379802'));
    expect(task.finishedAt).toBeCloseTo(Date.UTC(2026, 10, 24, 12, 46, 26) / 1000 + 0.379802, 5);
    expect([task.name, task.worker, task.queue]).toEqual(['app.boom', 'w2@vm', 'celery']);
    expect(task.args).toEqual(['kaboom']);
    expect(task.kwargs).toEqual({});
    expect(task.origins).toEqual(['result']);
    expect(task.timeline.map((e) => e.type)).toEqual(['result-failure']);
  });

  it('keeps SUCCESS results as JSON text and reads group ids (fixture)', () => {
    const m = createModel(at0);
    reduceTasks(
      m,
      resultsAction(
        at0,
        'scan',
        fixtureMeta('result-meta-success-extended.json'),
        fixtureMeta('result-meta-group-member-extended.json'),
      ),
    );
    expect(m.tasks.get('d4dd678a-969e-4586-a4c2-57b47ad6374f')!.result).toBe(
      '{"args":[1,"two",{"three":3}],"kwargs":{"k":[1,2]}}',
    );
    expect(m.tasks.get('baeff273-ab5b-4642-84ef-806083997ffa')!.groupId).toBe(
      '2529b1e8-9b97-4f33-a97f-fe2f808b938f',
    );
  });

  it('reads the worker of STARTED meta and leaves its own id out of RETRY children (fixtures)', () => {
    const m = createModel(at0);
    reduceTasks(
      m,
      resultsAction(
        at0,
        'get',
        fixtureMeta('result-meta-started.json'),
        fixtureMeta('result-meta-retry.json'),
      ),
    );
    const started = m.tasks.get('1fd839f2-3886-4ad6-a78f-8a3d4baca96d')!;
    expect([started.state, started.worker, started.result]).toEqual(['STARTED', 'w2@vm', null]);
    const retry = m.tasks.get('a8d48ac9-99da-4e44-9145-e7478ba2cc1c')!;
    expect(retry.state).toBe('RETRY');
    expect(retry.exception).toBe("RuntimeError('try 0')");
    expect(retry.children).toEqual([]);
  });

  it('extracts child ids from nested result tuples, groups included', () => {
    const m = createModel(at0);
    const children = [
      [['c1', null], null],
      [
        ['g1', null],
        [
          [['m1', null], null],
          [['m2', null], null],
        ],
      ],
    ];
    reduceTasks(m, resultsAction(at0, 'get', resultMeta('p', 'SUCCESS', { result: 1, children })));
    expect(m.tasks.get('p')!.children).toEqual(['c1', 'g1', 'm1', 'm2']);
  });

  it('does not double count a result seen after its task-succeeded event', () => {
    const m = createModel(at0);
    reduceTasks(
      m,
      eventsAction(
        at0,
        taskEvent('task-received', 'a', t0, { name: 'app.add' }),
        taskEvent('task-succeeded', 'a', t0 + 1, { result: '5', runtime: 1 }),
      ),
    );
    reduceTasks(m, resultsAction(later, 'pubsub', resultMeta('a', 'SUCCESS', { result: 5 })));
    const stats = m.taskNames.get('app.add')!;
    expect(stats.succeeded).toBe(1);
    expect(finishedCount(m, 'app.add')).toBe(1);
    expect(m.tasks.get('a')!.origins).toEqual(['event', 'result']);
  });

  it('counts a result that arrives before its event once, still taking the runtime from the event', () => {
    const m = createModel(at0);
    reduceTasks(m, eventsAction(at0, taskEvent('task-received', 'a', t0, { name: 'app.add' })));
    reduceTasks(m, resultsAction(at0 + 10, 'pubsub', resultMeta('a', 'SUCCESS', { result: 5 })));
    reduceTasks(m, eventsAction(later, taskEvent('task-succeeded', 'a', t0 + 1, { runtime: 2 })));
    const stats = m.taskNames.get('app.add')!;
    expect(stats.succeeded).toBe(1);
    expect(stats.runtime.count).toBe(1);
    expect(finishedCount(m, 'app.add')).toBe(1);
  });

  it('counts scanned results into outcomes but not into rates', () => {
    const m = createModel(at0);
    const ext = { name: 'app.add', args: [1], kwargs: {}, worker: 'w1@vm', retries: 0, queue: 'celery' };
    reduceTasks(
      m,
      resultsAction(
        at0,
        'scan',
        resultMeta('a', 'SUCCESS', { result: 1, extended: ext }),
        resultMeta('b', 'FAILURE', {
          extended: ext,
          exception: { type: 'KeyError', message: ['k'], module: null },
        }),
      ),
    );
    // Seen again by a later scan: already in that state, so not counted again.
    reduceTasks(m, resultsAction(later, 'scan', resultMeta('a', 'SUCCESS', { result: 1, extended: ext })));
    const stats = m.taskNames.get('app.add')!;
    expect([stats.succeeded, stats.failed]).toEqual([1, 1]);
    expect(finishedCount(m, 'app.add')).toBe(0);
    expect(seriesRate(stats.failedRate, later + 1000, 60_000).count).toBe(0);
    expect(m.tasks.get('b')!.exception).toBe("KeyError('k')");
    reduceTasks(m, resultsAction(later, 'pubsub', resultMeta('c', 'SUCCESS', { result: 1, extended: ext })));
    expect(finishedCount(m, 'app.add')).toBe(1);
  });

  it('treats custom update_state states with Celery unknown precedence', () => {
    const m = createModel(at0);
    reduceTasks(m, eventsAction(at0, taskEvent('task-started', 'p', t0)));
    reduceTasks(m, resultsAction(later, 'pubsub', resultMeta('p', 'PROGRESS', { result: { done: 3 } })));
    expect(m.tasks.get('p')!.state).toBe('PROGRESS');
    expect(m.tasks.get('p')!.result).toBe('{"done":3}');
    reduceTasks(m, eventsAction(later, taskEvent('task-started', 'p', t0 + 1)));
    expect(m.tasks.get('p')!.state).toBe('PROGRESS');
    reduceTasks(m, eventsAction(later, taskEvent('task-succeeded', 'p', t0 + 2, { runtime: 2 })));
    expect(m.tasks.get('p')!.state).toBe('SUCCESS');
  });

  it('does not let a scanned RETRY meta pull a running retry back, but a live one moves it (no events)', () => {
    const m = createModel(at0);
    reduceTasks(m, eventsAction(at0, taskEvent('task-started', 'r', t0, { name: 'app.flaky' })));
    reduceTasks(m, resultsAction(later, 'scan', resultMeta('r', 'RETRY')));
    expect(m.tasks.get('r')!.state).toBe('STARTED');
    expect(m.tasks.get('r')!.name).toBe('app.flaky');
    // a task only results report: the live RETRY is the only word on it
    reduceTasks(m, resultsAction(at0, 'pubsub', resultMeta('m', 'STARTED')));
    reduceTasks(m, resultsAction(later, 'scan', resultMeta('m', 'RETRY')));
    expect(m.tasks.get('m')!.state).toBe('STARTED');
    reduceTasks(m, resultsAction(later, 'pubsub', resultMeta('m', 'RETRY')));
    expect(m.tasks.get('m')!.state).toBe('RETRY');
  });

  it('holds exact args only when small enough, with a note', () => {
    const m = createModel(at0, { maxValueChars: 10 });
    const ext = {
      name: 'app.echo',
      args: ['a'.repeat(20)],
      kwargs: {},
      worker: null,
      retries: null,
      queue: null,
    };
    reduceTasks(m, resultsAction(at0, 'get', resultMeta('big', 'SUCCESS', { result: 1, extended: ext })));
    const task = m.tasks.get('big')!;
    expect(task.args).toBeNull();
    expect(task.kwargs).toEqual({});
    expect(task.note).toBe('args too large to hold (24 characters)');
  });
});

describe('a live RETRY meta for a task that events report', () => {
  it('does not pull the re-received retry back to RETRY or count the retry twice', () => {
    const m = createModel(at0);
    const name = { name: 'app.flaky', args: '(2,)', kwargs: '{}', retries: 0 };
    // the worker retries with a countdown: task-retried, then the retry message is received at once
    // (its ETA waits in worker memory) before the RETRY meta's PUBLISH reaches qtop
    reduceTasks(
      m,
      eventsAction(at0, taskEvent('task-received', 'f', t0, name), taskEvent('task-started', 'f', t0)),
    );
    reduceTasks(
      m,
      eventsAction(at0 + 10, taskEvent('task-retried', 'f', t0 + 0.01, { exception: "Retry('x')" })),
    );
    reduceTasks(
      m,
      eventsAction(at0 + 20, taskEvent('task-received', 'f', t0 + 0.02, { ...name, retries: 1 })),
    );
    reduceTasks(m, resultsAction(at0 + 30, 'pubsub', resultMeta('f', 'RETRY')));
    const task = m.tasks.get('f')!;
    expect(task.state).toBe('RECEIVED');
    expect(task.retries).toBe(1);
    expect(m.taskNames.get('app.flaky')!.retried).toBe(1);
  });

  it('still applies for a task no event reports (a worker without -E)', () => {
    const m = createModel(at0);
    reduceTasks(m, resultsAction(at0, 'pubsub', resultMeta('q', 'STARTED')));
    reduceTasks(m, resultsAction(at0 + 10, 'pubsub', resultMeta('q', 'RETRY')));
    expect(m.tasks.get('q')!.state).toBe('RETRY');
  });
});
