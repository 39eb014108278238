/**
 * One task in full, for the task detail panel and `qtop task <id> --json`.
 */
import { cloneJson, stringifyExact } from '../celery/json-exact.js';
import type { Model, TaskRecord } from './model.js';
import { taskOrigin } from './task-display.js';

/** The held record plus what the detail view derives from it. */
export interface TaskDetail extends TaskRecord {
  /** Display text of the call: pretty JSON when exact, else the Python repr. */
  argsText: string | null;
  kwargsText: string | null;
  /** True when args/kwargs are the exact JSON a worker received (retry can republish them). */
  argsExact: boolean;
  ageSec: number;
}

/**
 * Everything qtop holds about task `id`, as a fresh object (null when it is not held, for
 * example after eviction). `now` is the clock in ms.
 */
export function selectTaskDetail(model: Model, id: string, now: number): TaskDetail | null {
  const r = model.tasks.get(id);
  if (!r) return null;
  return {
    id: r.id,
    name: r.name,
    state: r.state,
    stateAt: r.stateAt,
    worker: r.worker,
    queue: r.queue,
    // stringifyExact: integers past 2^53 and Python's NaN/Infinity shown as written (json-exact.ts).
    argsText: r.args !== null ? stringifyExact(r.args, { indent: 2 }) : r.argsRepr,
    kwargsText: r.kwargs !== null ? stringifyExact(r.kwargs, { indent: 2 }) : r.kwargsRepr,
    argsExact: r.args !== null && r.kwargs !== null,
    // Structured clones: row models must not alias the store-owned model.
    // (cloneJson keeps ExactNumber, which structuredClone would turn into a plain object.)
    args: r.args !== null ? cloneJson(r.args) : null,
    kwargs: r.kwargs !== null ? cloneJson(r.kwargs) : null,
    argsRepr: r.argsRepr,
    kwargsRepr: r.kwargsRepr,
    result: r.result,
    exception: r.exception,
    traceback: r.traceback,
    runtime: r.runtime,
    retries: r.retries,
    eta: r.eta,
    expires: r.expires,
    rootId: r.rootId,
    parentId: r.parentId,
    groupId: r.groupId,
    chordId: r.chordId,
    children: [...r.children],
    retryOf: r.retryOf,
    retriedAs: r.retriedAs,
    sentAt: r.sentAt,
    receivedAt: r.receivedAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    ageSec: Math.max(0, now / 1000 - taskOrigin(r)),
    terminated: r.terminated,
    signum: r.signum,
    expired: r.expired,
    origins: [...r.origins],
    timeline: r.timeline.map((entry) => ({ ...entry })),
    note: r.note,
    stamps: r.stamps !== null ? cloneJson(r.stamps) : null,
    firstSeenAt: r.firstSeenAt,
    updatedAt: r.updatedAt,
  };
}
