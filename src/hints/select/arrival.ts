/**
 * Arrival rate λ for one queue: tasks per second entering it.
 *
 * - task-sent: when the queue's producers publish `task-sent` (task_send_sent_event=True,
 *   wire doc 6.1), qtop counts them into the queue's in-rate. Evidence that they do: the
 *   in-rate counted any event in its whole ring (10 minutes by default).
 * - backlog: otherwise λ = (slope of the ready count) + (tasks leaving the queue per second).
 *   Outflow is the larger of the queue's out-rate (deliveries attributed at `task-received`)
 *   and the completions attributed to it (service.ts): both only ever miss tasks whose queue
 *   is unknown, so the larger is the better lower bound. Without task events the outflow is
 *   unknown and λ is only the slope, a lower bound (noted by the caller).
 *
 * Fewer than `minBacklogSamples` samples, or less than `minWindowSec` of events, gives no
 * number: the caller says "not enough data yet".
 */
import { gaugeSlope, seriesRate } from '../../metrics/series.js';
import type { QueueRecord } from '../../store/model.js';
import type { ArrivalEstimate } from '../maths/types.js';
import { type FlowWindow, flowRate, windowSec } from './flow-rate.js';

export const minBacklogSamples = 3;
export const minWindowSec = 3;

/** Whether this queue's producers are seen sending `task-sent` (any in its rate ring). */
export function sendsTaskSent(queue: QueueRecord, now: number): boolean {
  const ringMs = queue.inRate.bucketMs * queue.inRate.counts.length;
  return seriesRate(queue.inRate, now, ringMs).count > 0;
}

/**
 * λ for `queue` at `now` (ms). `window` is the event window (null while events are unknown);
 * `backlogWindowSec` bounds the slope fit when there is no event window; `completionsPerSec`
 * is the queue's attributed throughput.
 */
export function estimateArrival(
  queue: QueueRecord,
  now: number,
  window: FlowWindow | null,
  backlogWindowSec: number,
  completionsPerSec: number | null,
): ArrivalEstimate {
  const spanMs = window ? now - window.fromMs : backlogWindowSec * 1000;
  const slope = gaugeSlope(queue.backlog, now, spanMs);
  const outRate = flowRate(queue.outRate, window).perSec;
  const outflow =
    outRate === null && completionsPerSec === null ? null : Math.max(outRate ?? 0, completionsPerSec ?? 0);
  const base = {
    windowSec: window ? windowSec(window) : spanMs / 1000,
    backlogSlopePerSec: slope.perSec,
    outflowPerSec: outflow,
  };
  if (window !== null && sendsTaskSent(queue, now)) {
    const sent = flowRate(queue.inRate, window);
    const enough = base.windowSec >= minWindowSec;
    return { ...base, perSec: enough ? sent.perSec : null, method: 'task-sent', samples: sent.count };
  }
  if (slope.perSec === null || slope.samples < minBacklogSamples) {
    return { ...base, perSec: null, method: 'backlog', samples: slope.samples };
  }
  return {
    ...base,
    perSec: Math.max(0, slope.perSec + (outflow ?? 0)),
    method: 'backlog',
    samples: slope.samples,
  };
}
