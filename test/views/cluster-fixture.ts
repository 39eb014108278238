/**
 * A small cluster for screen tests, built by dispatching the same typed actions the sources
 * send: one worker, two queues (one with nobody consuming it), tasks in every common state,
 * one task whose name, args and result carry hostile terminal sequences.
 */
import type { TaskEvent } from '../../src/celery/types.js';
import type { Action } from '../../src/store/actions.js';
import { createStore, type Store } from '../../src/store/store.js';
import type { FakeClock } from '../helpers/fake-clock.js';
import { eventsAction, peeked, taskEvent } from '../store/task-fixtures.js';

export const ids = {
  success: '11111111-aaaa-4000-8000-000000000001',
  failure: '22222222-bbbb-4000-8000-000000000002',
  started: '33333333-cccc-4000-8000-000000000003',
  retry: '44444444-dddd-4000-8000-000000000004',
  hostile: '55555555-eeee-4000-8000-000000000005',
  child: '66666666-ffff-4000-8000-000000000006',
};

/** Every hostile sequence qtop must never pass to the terminal. */
export const hostile = {
  clear: '\u001b[2J',
  osc52: '\u001b]52;c;cm0gLXJmIH4=\u0007',
  osc8: '\u001b]8;;https://evil.example/\u001b\\click\u001b]8;;\u001b\\',
  c1: '\u009b31m',
  bidi: '\u202egnp.exe',
};

export const traceback = [
  'Traceback (most recent call last):',
  '  File "/app/tasks.py", line 42, in boom',
  '    raise ValueError(msg)',
  'ValueError: kaboom',
].join('\n');

const w = 'w1@vm';

function task(type: TaskEvent['type'], id: string, t: number, extra: Partial<TaskEvent> = {}): TaskEvent {
  return taskEvent(type, id, t, { hostname: w, ...extra });
}

/** The actions of the fixture cluster at clock time `now` (ms). */
export function clusterActions(now: number): Action[] {
  const t = now / 1000;
  const heartbeat = {
    kind: 'worker' as const,
    type: 'worker-heartbeat' as const,
    hostname: w,
    timestamp: t,
    utcoffset: 0,
    pid: 100,
    clock: 1,
    freq: 2,
    active: 1,
    processed: 42,
    loadavg: [0.5, 0.25, 0.1] as [number, number, number],
    swIdent: 'py-celery',
    swVer: '5.2.6',
    swSys: 'Linux',
  };
  const stats = {
    pool: {
      'max-concurrency': 2,
      processes: [101, 102],
      implementation: 'celery.concurrency.prefork:TaskPool',
    },
    prefetch_count: 8,
    pid: 100,
    uptime: 43,
    total: { 'app.add': 40, 'app.boom': 2 },
  };
  return [
    ...(['queues', 'events', 'inspect', 'results', 'unacked', 'beat'] as const).map(
      (source): Action => ({ type: 'source/recovered', at: now, source }),
    ),
    { type: 'events/received', at: now, events: [heartbeat], malformed: 0, bytes: 100 },
    {
      type: 'inspect/replied',
      at: now,
      method: 'stats',
      replies: [{ node: w, value: stats, error: null }],
      silent: [],
    },
    {
      type: 'inspect/replied',
      at: now,
      method: 'active_queues',
      replies: [{ node: w, value: [{ name: 'celery' }], error: null }],
      silent: [],
    },
    {
      type: 'queues/sampled',
      at: now,
      undecodableBindings: 0,
      queues: [
        {
          name: 'celery',
          exchanges: ['celery'],
          lengths: { 0: 2 },
          peek: [peeked('q-1'), peeked('q-2', { position: 1 })],
        },
        {
          name: 'parked',
          exchanges: ['parked'],
          lengths: { 0: 5, 9: 1 },
          peek: [peeked('p-1', { name: 'app.add', argsRepr: '(1, 1)' })],
        },
      ],
    },
    eventsAction(
      now,
      task('task-received', ids.success, t - 10, {
        name: 'app.add',
        args: '(2, 3)',
        kwargs: '{}',
        queue: 'celery',
      }),
      task('task-started', ids.success, t - 9.5),
      task('task-succeeded', ids.success, t - 9, { result: '5', runtime: 0.012 }),
      task('task-received', ids.failure, t - 8, { name: 'app.boom', args: "('kaboom',)", kwargs: '{}' }),
      task('task-started', ids.failure, t - 7.5),
      task('task-failed', ids.failure, t - 7, { exception: "ValueError('kaboom')", traceback }),
      task('task-received', ids.retry, t - 6, { name: 'app.flaky', args: '()', kwargs: '{}' }),
      task('task-started', ids.retry, t - 5.5),
      task('task-retried', ids.retry, t - 5, { exception: 'Retry in 1s', traceback: 'Traceback: retry' }),
      task('task-received', ids.hostile, t - 4, {
        name: `app.echo${hostile.clear}`,
        args: `('${hostile.osc52}', '${hostile.bidi}')`,
        kwargs: '{}',
      }),
      task('task-started', ids.hostile, t - 3.5),
      task('task-succeeded', ids.hostile, t - 3, { result: `'${hostile.osc8}${hostile.c1}'`, runtime: 0.5 }),
      task('task-received', ids.child, t - 2.5, {
        name: 'app.add',
        args: '(7, 8)',
        kwargs: '{}',
        parentId: ids.success,
      }),
      task('task-received', ids.started, t - 2, {
        name: 'app.sleepy',
        args: '(30,)',
        kwargs: '{}',
        queue: 'celery',
      }),
      task('task-started', ids.started, t - 1),
    ),
  ];
}

/** A store (synchronous notifications) holding the fixture cluster at the clock's time. */
export function clusterStore(clock: FakeClock): Store {
  const store = createStore({ clock, notifyEveryMs: 0 });
  for (const action of clusterActions(clock.now())) store.dispatch(action);
  return store;
}
