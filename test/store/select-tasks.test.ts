import { describe, expect, it } from 'vitest';
import { createModel } from '../../src/store/create-model.js';
import { reduceTasks } from '../../src/store/reduce-tasks.js';
import { selectTaskDetail, selectTasks } from '../../src/store/select-tasks.js';
import { eventsAction, peeked, resultMeta, resultsAction, taskEvent } from './task-fixtures.js';

const t0 = 1_795_524_200;
const at0 = t0 * 1000;

/** Five tasks: a (add, SUCCESS 2 s), b (boom, FAILURE), c (add, STARTED on w2), d (queued echo), e (add, 0.5 s). */
function sample() {
  const m = createModel(at0);
  reduceTasks(
    m,
    eventsAction(
      at0,
      taskEvent('task-sent', 'a', t0 - 10, {
        name: 'app.add',
        args: '(2, 3)',
        kwargs: '{}',
        queue: 'celery',
      }),
      taskEvent('task-received', 'a', t0 - 9, { name: 'app.add', args: '(2, 3)', kwargs: '{}' }),
      taskEvent('task-started', 'a', t0 - 8),
      taskEvent('task-succeeded', 'a', t0 - 6, { result: '5', runtime: 2 }),
    ),
  );
  reduceTasks(
    m,
    eventsAction(
      at0 + 1000,
      taskEvent('task-received', 'b', t0 - 5, { name: 'app.boom', args: "('kaboom',)", kwargs: '{}' }),
      taskEvent('task-started', 'b', t0 - 4),
      taskEvent('task-failed', 'b', t0 - 3, {
        exception: "ValueError('kaboom')\n  more",
        traceback: 'Traceback…',
      }),
    ),
  );
  reduceTasks(
    m,
    eventsAction(
      at0 + 2000,
      taskEvent('task-received', 'c', t0 - 2, { name: 'app.add', args: '(7, 8)', hostname: 'w2@vm' }),
      taskEvent('task-started', 'c', t0 - 1, { hostname: 'w2@vm' }),
    ),
  );
  reduceTasks(m, {
    type: 'queues/sampled',
    at: at0 + 3000,
    queues: [
      {
        name: 'other',
        exchanges: [''],
        lengths: { 0: 1 },
        peek: [
          peeked('d', {
            name: 'app.echo',
            args: ['needle', 1],
            kwargs: { k: 'v' },
            argsRepr: null,
            kwargsRepr: null,
          }),
        ],
      },
    ],
    undecodableBindings: 0,
  });
  reduceTasks(
    m,
    eventsAction(
      at0 + 4000,
      taskEvent('task-started', 'e', t0, { name: 'app.add' }),
      taskEvent('task-succeeded', 'e', t0 + 0.5, { runtime: 0.5 }),
    ),
  );
  return m;
}

const ids = (list: ReturnType<typeof selectTasks>) => list.rows.map((r) => r.id);

describe('selectTasks', () => {
  it('lists the most recently updated first by default', () => {
    const list = selectTasks(sample(), at0 + 5000);
    expect(ids(list)).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect([list.total, list.matched, list.capped]).toEqual([5, 5, false]);
  });

  it('filters by state, name, worker and queue lists', () => {
    const m = sample();
    expect(ids(selectTasks(m, at0, { states: ['SUCCESS', 'FAILURE'] }))).toEqual(['e', 'b', 'a']);
    expect(ids(selectTasks(m, at0, { names: ['app.add'], workers: ['w1@vm'] }))).toEqual(['e', 'a']);
    expect(ids(selectTasks(m, at0, { queues: ['other'] }))).toEqual(['d']);
    expect(ids(selectTasks(m, at0, { workers: ['w2@vm'], states: [] }))).toEqual(['c']);
  });

  it('searches text case-insensitively over ids, names, args (repr and JSON), results and exceptions', () => {
    const m = sample();
    expect(ids(selectTasks(m, at0, { text: 'NEEDLE' }))).toEqual(['d']);
    expect(ids(selectTasks(m, at0, { text: '"k":"v"' }))).toEqual(['d']);
    expect(ids(selectTasks(m, at0, { text: '(7, 8' }))).toEqual(['c']);
    expect(ids(selectTasks(m, at0, { text: 'valueerror' }))).toEqual(['b']);
    expect(ids(selectTasks(m, at0, { text: 'boom' }))).toEqual(['b']);
    expect(selectTasks(m, at0, { text: 'nothing-like-this' }).matched).toBe(0);
  });

  it('sorts by runtime, start, name and state', () => {
    const m = sample();
    expect(ids(selectTasks(m, at0, { sort: 'runtime' }))).toEqual(['a', 'b', 'e', 'd', 'c']);
    expect(ids(selectTasks(m, at0, { sort: 'started' }))).toEqual(['e', 'c', 'b', 'a', 'd']);
    expect(ids(selectTasks(m, at0, { sort: 'name' }))).toEqual(['e', 'c', 'a', 'b', 'd']);
    expect(ids(selectTasks(m, at0, { sort: 'name', reverse: true }))).toEqual(['d', 'b', 'a', 'c', 'e']);
    expect(ids(selectTasks(m, at0, { sort: 'state' }))).toEqual(['d', 'c', 'b', 'e', 'a']);
  });

  it('caps at the limit and says so', () => {
    const list = selectTasks(sample(), at0, { limit: 2 });
    expect(ids(list)).toEqual(['e', 'd']);
    expect([list.matched, list.capped]).toEqual([5, true]);
  });

  it('computes ages from the earliest known time with a fake now, and one-line previews', () => {
    const rows = new Map(selectTasks(sample(), at0 + 10_000).rows.map((r) => [r.id, r]));
    expect(rows.get('a')!.ageSec).toBeCloseTo(20, 6); // sent at t0 - 10
    expect(rows.get('b')!.ageSec).toBeCloseTo(15, 6); // received at t0 - 5
    expect(rows.get('d')!.ageSec).toBeCloseTo(7, 6); // first seen by qtop at t0 + 3
    expect(rows.get('a')!.argsPreview).toBe('(2, 3)');
    expect(rows.get('d')!.argsPreview).toBe('["needle",1] {"k":"v"}');
    expect(rows.get('b')!.exception).toBe("ValueError('kaboom') more");
    expect(rows.get('a')!.runtime).toBe(2);
    expect(rows.get('d')!.origins).toEqual(['queue']);
  });

  it('bounds the preview to one line of 200 characters', () => {
    const m = createModel(at0);
    reduceTasks(
      m,
      eventsAction(at0, taskEvent('task-received', 'x', t0, { args: `(${'9, '.repeat(200)})` })),
    );
    const preview = selectTasks(m, at0).rows[0]!.argsPreview!;
    expect(preview).toHaveLength(200);
    expect(preview.endsWith('…')).toBe(true);
  });
});

describe('selectTaskDetail', () => {
  it('gives every field, exact JSON args when known, and copies (not the model objects)', () => {
    const m = sample();
    const detail = selectTaskDetail(m, 'd', at0 + 10_000)!;
    expect(detail.argsExact).toBe(true);
    expect(detail.argsText).toBe(JSON.stringify(['needle', 1], null, 2));
    expect(detail.kwargs).toEqual({ k: 'v' });
    detail.args!.push('mutated');
    detail.origins.push('event');
    expect(m.tasks.get('d')!.args).toEqual(['needle', 1]);
    expect(m.tasks.get('d')!.origins).toEqual(['queue']);
  });

  it('falls back to reprs, shows the timeline, traceback and retry links', () => {
    const m = sample();
    reduceTasks(m, { type: 'task/retried-as', at: at0 + 6000, oldId: 'b', newId: 'b2' });
    reduceTasks(
      m,
      resultsAction(at0 + 7000, 'get', resultMeta('b', 'FAILURE', { children: [[['kid', null], null]] })),
    );
    const detail = selectTaskDetail(m, 'b', at0 + 10_000)!;
    expect(detail.argsExact).toBe(false);
    expect(detail.argsText).toBe("('kaboom',)");
    expect(detail.traceback).toBe('Traceback…');
    expect(detail.retriedAs).toBe('b2');
    expect(detail.children).toEqual(['kid']);
    expect(detail.timeline.map((e) => e.type)).toEqual([
      'task-received',
      'task-started',
      'task-failed',
      'result-failure',
    ]);
    expect(selectTaskDetail(m, 'b2', at0)!.retryOf).toBe('b');
    expect(selectTaskDetail(m, 'missing', at0)).toBeNull();
  });
});
