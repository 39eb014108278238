/**
 * Worker liveness, judged once here so the queue, worker and meta selectors (and the queue
 * reducer's consumer check) agree on who is up.
 */
import type { Model, WorkerRecord } from './model.js';

/**
 * - `online`: heartbeating within the expiry window.
 * - `offline`: said goodbye (`worker-offline`, wire doc 6.3) and has not come back.
 * - `lost`: heartbeats stopped without a goodbye (SIGKILL, lost connection), or known only
 *   by name with no sign of life.
 * - `pidbox-only`: listed in the pidbox binding set, but qtop has neither a heartbeat nor an
 *   answer from it yet. A worker that never heartbeated to qtop but answered the latest
 *   inspect round is `online`: `qtop --json` ends long before the first heartbeat (2 s).
 */
export type WorkerState = 'online' | 'offline' | 'lost' | 'pidbox-only';

/** Celery's default heartbeat interval (s), for a worker whose `freq` is not known yet. */
export const defaultFreqSec = 2.0;

/**
 * Inspect rounds missed in a row after which pidbox membership is no longer believed: the
 * pidbox set keeps a SIGKILLed worker's member forever (wire doc 3.1).
 */
export const silentRoundsLost = 3;

/**
 * The time (qtop clock, ms) after which the worker's last heartbeat no longer proves it alive:
 * receipt time + freq × heartbeatExpiry s, Celery's own rule (wire doc 6.3) measured on qtop's
 * clock, so a worker with a skewed clock is judged fairly. Null when it never heartbeated.
 */
export function heartbeatExpiresAt(model: Model, worker: WorkerRecord): number | null {
  if (worker.heartbeatReceivedAt === null) return null;
  const freq = worker.freq !== null && worker.freq > 0 ? worker.freq : defaultFreqSec;
  return worker.heartbeatReceivedAt + freq * model.config.heartbeatExpiry * 1000;
}

/** Whether the pidbox and inspect evidence says the worker is there. */
function answersControl(worker: WorkerRecord): boolean {
  return (worker.inPidbox || worker.repliedAt !== null) && worker.silentRounds < silentRoundsLost;
}

/** The worker's state at `now` (ms); see `WorkerState`. */
export function workerState(model: Model, worker: WorkerRecord, now: number): WorkerState {
  if (worker.offlineAt !== null) return 'offline';
  const expiresAt = heartbeatExpiresAt(model, worker);
  if (expiresAt === null) {
    if (worker.repliedAt !== null && worker.silentRounds === 0) return 'online';
    return answersControl(worker) ? 'pidbox-only' : 'lost';
  }
  if (now <= expiresAt) return 'online';
  // Missing heartbeats mean nothing while qtop itself cannot hear events: if the event source
  // went blind before this heartbeat expired, fall back to the control evidence.
  const blind = model.sources.events.gaps.at(-1);
  if (blind && blind.to === null && blind.from <= expiresAt && answersControl(worker)) return 'online';
  return 'lost';
}

/** Online or pidbox-only: counted as capacity. */
export function isUp(state: WorkerState): boolean {
  return state === 'online' || state === 'pidbox-only';
}
