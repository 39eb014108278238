/**
 * Per task name statistics, fed by the task reducers. A task reaches a final state once, but
 * the evidence can come twice (a `task-succeeded` event and the result meta published in the
 * same moment, wire doc 9.1), so outcomes are counted on the state *transition*, never per
 * report. Tasks whose name qtop does not know (a bare `task-started`, plain result meta) are
 * not attributed to any name.
 */
import { sketchAdd } from '../metrics/quantile-sketch.js';
import { seriesAdd } from '../metrics/series.js';
import { ensureQueue, ensureTaskName } from './create-model.js';
import type { Model, TaskNameStats, TaskRecord } from './model.js';

function statsOf(model: Model, record: TaskRecord, at: number): TaskNameStats | null {
  if (record.name === null) return null;
  const stats = ensureTaskName(model, record.name, at);
  stats.lastSeenAt = Math.max(stats.lastSeenAt, at);
  return stats;
}

/**
 * Count the move from `previous` to `record.state`: succeeded, failed, revoked and retried
 * counters. `live` observations (events, result PUBLISHes) also feed the finished/failed rate
 * series at `at` (ms); a scanned or fetched meta may be hours old, so it counts but is kept
 * out of rates, which would otherwise show a burst that never happened.
 */
export function countTransition(
  model: Model,
  record: TaskRecord,
  previous: string,
  live: boolean,
  at: number,
): void {
  if (record.state === previous) return;
  const stats = statsOf(model, record, at);
  if (!stats) return;
  switch (record.state) {
    case 'SUCCESS':
      stats.succeeded += 1;
      if (live) seriesAdd(stats.finishedRate, at);
      break;
    case 'FAILURE':
      stats.failed += 1;
      if (live) {
        seriesAdd(stats.finishedRate, at);
        seriesAdd(stats.failedRate, at);
      }
      break;
    case 'REVOKED':
      stats.revoked += 1;
      break;
    case 'RETRY':
      stats.retried += 1;
      if (live) seriesAdd(stats.retriedRate, at);
      break;
  }
}

/**
 * Count a `task-received` or `task-started` event. These are counted per event: each one is a
 * distinct delivery or execution (a retried task is received again under the same id).
 */
export function countEvent(model: Model, record: TaskRecord, kind: 'received' | 'started', at: number): void {
  const stats = statsOf(model, record, at);
  if (stats) stats[kind] += 1;
}

/** Add one runtime sample (seconds) to the task name's runtime sketch. */
export function addRuntime(model: Model, record: TaskRecord, seconds: number, at: number): void {
  const stats = statsOf(model, record, at);
  if (stats) sketchAdd(stats.runtime, seconds);
}

/**
 * Add one received → started wait (seconds) to the name's sketch and, when the task's queue
 * is known, to the queue's: that is the time a reserved task sat in a worker's prefetch
 * buffer, the part of latency that more pool slots (not more prefetch) would remove.
 */
export function addWait(model: Model, record: TaskRecord, seconds: number, at: number): void {
  const stats = statsOf(model, record, at);
  if (stats) sketchAdd(stats.wait, seconds);
  if (record.queue !== null) sketchAdd(ensureQueue(model, record.queue, at).wait, seconds);
}
