/**
 * The queue domain: what each queue holds (lengths per priority list, the next messages),
 * its backlog history, and the `unacked` hash (reserved and ETA messages, wire doc 3.3).
 * Flow rates (inRate/outRate) are fed from task events by the task domain.
 */
import { gaugeRecord, seriesRate } from '../metrics/series.js';
import type { Action, QueueSample } from './actions.js';
import { ensureQueue } from './create-model.js';
import type { Model, QueueRecord } from './model.js';
import { isUp, workerState } from './worker-state.js';

/** A queue missing from discovery is still kept while events showed flow this recently. */
export const queueFlowGraceMs = 5 * 60_000;

/** Apply an action to the queue domain; returns whether anything changed. */
export function reduceQueues(model: Model, action: Action): boolean {
  switch (action.type) {
    case 'queues/sampled': {
      // The binding sets are re-read whole each poll, so this is a level, not a running total.
      model.counters.undecodableBindings = action.undecodableBindings;
      const seen = new Set<string>();
      for (const sample of action.queues) {
        seen.add(sample.name);
        applySample(ensureQueue(model, sample.name, action.at), sample, action.at);
      }
      for (const queue of [...model.queues.values()]) {
        if (seen.has(queue.name)) continue;
        if (stillEvidenced(model, queue, action.at)) gaugeRecord(queue.backlog, action.at, null);
        else model.queues.delete(queue.name);
      }
      return true;
    }
    case 'unacked/sampled':
      model.unacked = { total: action.total, entries: action.entries, sampledAt: action.at };
      return true;
    case 'source/failed': {
      if (action.source !== 'queues' || model.queues.size === 0) return false;
      // A failed poll is a gap in every backlog's history, not a drop to zero.
      for (const queue of model.queues.values()) gaugeRecord(queue.backlog, action.at, null);
      return true;
    }
    default:
      return false;
  }
}

function applySample(queue: QueueRecord, sample: QueueSample, at: number): void {
  queue.exchanges = [...sample.exchanges];
  queue.lengths = { ...sample.lengths };
  let total = 0;
  for (const n of Object.values(sample.lengths)) if (Number.isFinite(n) && n > 0) total += n;
  queue.total = total;
  queue.peek = sample.peek;
  queue.sampledAt = at;
  gaugeRecord(queue.backlog, at, total);
  // First sighting of each peeked id: the time it entered the peek window, a lower bound of
  // its wait. Ids that left the peek ran or were removed; dropping them bounds the map.
  const peeked = new Set<string>();
  for (const message of sample.peek) {
    if (message.id === null) continue;
    peeked.add(message.id);
    if (!queue.firstSeen.has(message.id)) queue.firstSeen.set(message.id, at);
  }
  for (const id of [...queue.firstSeen.keys()]) if (!peeked.has(id)) queue.firstSeen.delete(id);
}

/**
 * Whether a queue absent from a full discovery should still be shown. Bindings are never
 * removed when a queue empties (wire doc 3.1), so absence means the binding itself went (an
 * auto-delete queue was deleted, or someone cleaned up). The record is kept only while other
 * evidence says the queue is in use: recent event flow, reserved messages in `unacked`, or a
 * live consumer; otherwise it would linger as a phantom row.
 */
function stillEvidenced(model: Model, queue: QueueRecord, at: number): boolean {
  const flow =
    seriesRate(queue.inRate, at, queueFlowGraceMs).count +
    seriesRate(queue.outRate, at, queueFlowGraceMs).count;
  if (flow > 0) return true;
  if (model.unacked.entries.some((entry) => entry.queue === queue.name)) return true;
  for (const worker of model.workers.values()) {
    if (worker.queues?.includes(queue.name) && isUp(workerState(model, worker, at))) return true;
  }
  return false;
}
