import type { TaskEvent, TaskEventType, WorkerEvent } from '../../src/celery/types.js';
import type { PeekedMessage, UnackedSample } from '../../src/store/actions.js';
import { createModel } from '../../src/store/create-model.js';
import type { Model } from '../../src/store/model.js';
import { reduce } from '../../src/store/reducer.js';

/**
 * Models for the hints tests, built through the real reducer with the actions the sources
 * dispatch, so a hint test exercises the same data the live app would hold. Times are qtop ms
 * from T0; event timestamps are the same instant in epoch seconds (no clock skew).
 */

/** 2026-11-24 12:00:00 UTC: on a 5 s rate-bucket boundary, so windows from T0 are whole buckets. */
export const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);

/** A model created at T0 whose event source is up since T0 (qtop listened from then). */
export function hintModel(at = T0): Model {
  const model = createModel(at);
  reduce(model, { type: 'source/recovered', at, source: 'events' });
  return model;
}

function base(hostname: string, atMs: number) {
  return { hostname, timestamp: atMs / 1000, utcoffset: 0, pid: 1, clock: 1 };
}

/** A worker known from `stats` and `active_queues`, heartbeating at `at` with `busy` running. */
export function addWorker(
  model: Model,
  at: number,
  hostname: string,
  opts: { poolMax: number | null; queues: string[] | null; busy?: number },
): void {
  if (opts.poolMax !== null) {
    const value = {
      pool: { 'max-concurrency': opts.poolMax, processes: [] },
      prefetch_count: opts.poolMax * 4,
    };
    reduce(model, {
      type: 'inspect/replied',
      at,
      method: 'stats',
      replies: [{ node: hostname, value, error: null }],
      silent: [],
    });
  }
  if (opts.queues !== null) {
    const value = opts.queues.map((name) => ({ name }));
    reduce(model, {
      type: 'inspect/replied',
      at,
      method: 'active_queues',
      replies: [{ node: hostname, value, error: null }],
      silent: [],
    });
  }
  heartbeat(model, at, hostname, opts.busy ?? 0);
}

/** A `worker-heartbeat` received at `at` (freq 2 s, so the worker is online until at + 4 s). */
export function heartbeat(model: Model, at: number, hostname: string, active: number): void {
  const event: WorkerEvent = {
    kind: 'worker',
    type: 'worker-heartbeat',
    ...base(hostname, at),
    freq: 2,
    active,
    processed: 0,
    loadavg: [0, 0, 0],
    swIdent: 'py-celery',
    swVer: '5.2.6',
    swSys: 'Linux',
  };
  reduce(model, { type: 'events/received', at, events: [event], malformed: 0, bytes: 100 });
}

/** One task event received at `at`. */
export function taskEvent(
  model: Model,
  at: number,
  type: TaskEventType,
  uuid: string,
  hostname: string,
  extra: Partial<TaskEvent> = {},
): void {
  const event: TaskEvent = { kind: 'task', type, uuid, ...base(hostname, at), ...extra };
  reduce(model, { type: 'events/received', at, events: [event], malformed: 0, bytes: 100 });
}

/** A task received, started and finished (succeeded with `runtime`, or failed) at `at`. */
export function runTask(
  model: Model,
  at: number,
  id: string,
  opts: { name: string; worker: string; runtime: number; failed?: boolean; sentQueue?: string },
): void {
  if (opts.sentQueue)
    taskEvent(model, at, 'task-sent', id, 'gen1@host', { name: opts.name, queue: opts.sentQueue });
  taskEvent(model, at, 'task-received', id, opts.worker, { name: opts.name, retries: 0 });
  taskEvent(model, at, 'task-started', id, opts.worker);
  if (opts.failed)
    taskEvent(model, at, 'task-failed', id, opts.worker, { exception: "ValueError('kaboom')" });
  else taskEvent(model, at, 'task-succeeded', id, opts.worker, { runtime: opts.runtime, result: 'None' });
}

/** One full queue discovery at `at`: every queue with its ready count and optional peek. */
export function sampleQueues(
  model: Model,
  at: number,
  queues: Record<string, number>,
  peeks: Record<string, PeekedMessage[]> = {},
): void {
  reduce(model, {
    type: 'queues/sampled',
    at,
    undecodableBindings: 0,
    queues: Object.entries(queues).map(([name, ready]) => ({
      name,
      exchanges: [name],
      lengths: { 0: ready },
      peek: peeks[name] ?? [],
    })),
  });
}

/** The whole `unacked` hash at `at`. */
export function sampleUnacked(model: Model, at: number, entries: UnackedSample[]): void {
  reduce(model, { type: 'unacked/sampled', at, total: entries.length, entries });
}

/** A queued message as the queue source decodes it. */
export function message(id: string, patch: Partial<PeekedMessage> = {}): PeekedMessage {
  return {
    position: 0,
    priorityStep: 0,
    id,
    name: 'app.work',
    args: [],
    kwargs: {},
    argsRepr: '()',
    kwargsRepr: '{}',
    eta: null,
    expires: null,
    retries: 0,
    redelivered: false,
    bytes: 200,
    note: null,
    ...patch,
  };
}

/** An `unacked` entry of `queue` delivered at `deliveredAtMs`. */
export function unacked(
  id: string,
  queue: string,
  deliveredAtMs: number,
  patch: Partial<PeekedMessage> = {},
): UnackedSample {
  return {
    deliveryTag: `tag-${id}`,
    deliveredAt: deliveredAtMs / 1000,
    queue,
    message: message(id, patch),
    note: null,
  };
}

/** mulberry32: a tiny seeded PRNG, so property tests are random yet repeatable. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
