/**
 * A small recording for the replay tests: the screen fixture cluster, then a minute of life
 * (a backlog that grows, tasks that finish and fail, a queue poll that fails and recovers, results
 * read from the backend), with `at` out of order where the sources put it out of order (a queue
 * sample is stamped when its poll began and dispatched after an event that arrived meanwhile).
 */
import { type RecordHeader, recordSchema } from '../../src/record/format.js';
import type { Action } from '../../src/store/actions.js';
import { defaultModelConfig } from '../../src/store/model.js';
import { eventsAction, peeked, resultMeta, resultsAction, taskEvent } from '../store/task-fixtures.js';
import { clusterActions } from '../views/cluster-fixture.js';

/** The recording's start: the store's creation, 5 s before the fixture cluster's first actions. */
export const start = Date.UTC(2026, 10, 24, 12, 0, 0);
const t0 = start + 5_000;

export const header: RecordHeader = {
  schema: recordSchema,
  qtopVersion: '0.1.0',
  broker: 'redis://:***@redis.example:6379/0',
  backend: 'redis://:***@redis.example:6379/0',
  backendNote: null,
  startedAt: new Date(start).toISOString(),
  model: { ...defaultModelConfig },
  label: 'prod',
  hideArgs: false,
  visibilityTimeoutSec: 3600,
};

const sample = (at: number, parked: number): Action => ({
  type: 'queues/sampled',
  at,
  undecodableBindings: 0,
  queues: [
    { name: 'celery', exchanges: ['celery'], lengths: { 0: 0 }, peek: [] },
    {
      name: 'parked',
      exchanges: ['parked'],
      lengths: { 0: parked },
      peek: parked > 0 ? [peeked('p-1', { name: 'app.add', argsRepr: '(1, 1)' })] : [],
    },
  ],
});

const task = (type: Parameters<typeof taskEvent>[0], id: string, at: number, extra = {}) =>
  taskEvent(type, id, at / 1000, { hostname: 'w1@vm', ...extra });

/** Ids of the tasks the minute adds. */
export const later = {
  done: 'aaaaaaaa-0000-4000-8000-00000000000a',
  failed: 'bbbbbbbb-0000-4000-8000-00000000000b',
};

/** Every action of the recording, in dispatch order. */
export function fixtureActions(): Action[] {
  const actions: Action[] = [...clusterActions(t0)];
  for (let s = 1; s <= 60; s++) {
    const at = t0 + s * 1_000;
    // The sample's poll began 30 ms before an event it is dispatched after (see the module comment).
    if (s === 20)
      actions.push(eventsAction(at + 10, task('task-received', later.done, at + 10, { name: 'app.add' })));
    // No sample while the queue poll fails (+30 s to +32 s): a successful sample is a recovery.
    if (s < 30 || s > 32) actions.push(sample(at - 30, 5 + s));
    if (s === 21) actions.push(eventsAction(at, task('task-started', later.done, at)));
    if (s === 22)
      actions.push(eventsAction(at, task('task-succeeded', later.done, at, { result: '2', runtime: 0.4 })));
    if (s === 30)
      actions.push({ type: 'source/failed', at, source: 'queues', reason: 'Redis stopped answering' });
    if (s === 33) actions.push({ type: 'source/recovered', at, source: 'queues' });
    if (s === 40)
      actions.push(
        resultsAction(
          at,
          'pubsub',
          resultMeta(later.failed, 'FAILURE', {
            exception: { type: 'KeyError', message: ['x'], module: 'builtins' },
          }),
        ),
      );
  }
  return actions;
}

/** `value` and everything in it frozen: a reducer that mutates an action then throws. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
