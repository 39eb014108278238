/**
 * The worker domain: liveness and load from `worker-*` events, evidence of task events per
 * worker, pidbox membership, and what inspect rounds report (see worker-inspect.ts).
 */
import type { CeleryEvent, WorkerEvent } from '../celery/types.js';
import { gaugeRecord } from '../metrics/series.js';
import type { Action } from './actions.js';
import { ensureWorker } from './create-model.js';
import type { Model } from './model.js';
import { applyInspectRound } from './worker-inspect.js';

/** `gen{pid}@{host}`: a producer's node name (wire doc 6.3), never a worker. */
const producerName = /^gen\d+@/;

/** Apply an action to the worker domain; returns whether anything changed. */
export function reduceWorkers(model: Model, action: Action): boolean {
  switch (action.type) {
    case 'events/received': {
      let changed = false;
      for (const event of action.events) if (applyEvent(model, event, action.at)) changed = true;
      return changed;
    }
    case 'pidbox/sampled':
      return applyPidbox(model, action.nodes, action.at);
    case 'inspect/replied':
      applyInspectRound(model, action);
      return true;
    default:
      return false;
  }
}

function applyEvent(model: Model, event: CeleryEvent, at: number): boolean {
  if (event.kind === 'worker') {
    applyWorkerEvent(model, event, at);
    return true;
  }
  // Task events prove the sender runs with events on. `task-sent` comes from producers
  // (`gen{pid}@host`, or a worker acting as a producer), so it proves nothing (wire doc 6.1).
  if (event.kind === 'task' && event.type !== 'task-sent' && !producerName.test(event.hostname)) {
    ensureWorker(model, event.hostname, at).taskEventAt = at;
    return true;
  }
  return false;
}

/**
 * Liveness is recorded on qtop's clock (`at`, ms) next to the sender's timestamp (s): the
 * expiry check compares receipt times only, so a worker whose clock is skewed is neither
 * declared lost early nor kept alive late. `onlineAt`/`offlineAt` are receipt times too.
 */
function applyWorkerEvent(model: Model, event: WorkerEvent, at: number): void {
  const worker = ensureWorker(model, event.hostname, at);
  // A wake-up heartbeat (after a `heartbeat` control) carries freq 5 and no load fields
  // (wire doc 6.3); the worker keeps its real interval, so that freq is not adopted.
  const wakeUp = event.type === 'worker-heartbeat' && event.active === null && event.processed === null;
  if (event.type === 'worker-offline') {
    worker.offlineAt = at;
  } else {
    worker.heartbeatAt = event.timestamp;
    worker.heartbeatReceivedAt = at;
    worker.offlineAt = null;
    if (event.type === 'worker-online') worker.onlineAt = at;
  }
  if (event.freq !== null && event.freq > 0 && !(wakeUp && worker.freq !== null)) worker.freq = event.freq;
  if (event.active !== null) worker.active = event.active;
  if (event.processed !== null) worker.processed = event.processed;
  if (event.loadavg !== null) worker.loadavg = event.loadavg;
  if (event.swIdent !== null) worker.swIdent = event.swIdent;
  if (event.swVer !== null) worker.swVer = event.swVer;
  if (event.swSys !== null) worker.swSys = event.swSys;
  if (event.pid !== null) worker.pid = event.pid;
  // A wake-up heartbeat did not measure load: skipping it keeps the history free of false gaps.
  if (event.active !== null) gaugeRecord(worker.history, at, event.active);
}

/** The pidbox binding set lists running workers (stale after SIGKILL, wire doc 3.1). */
function applyPidbox(model: Model, nodes: string[], at: number): boolean {
  const listed = new Set(nodes);
  let changed = false;
  for (const node of listed) {
    const known = model.workers.has(node);
    const worker = ensureWorker(model, node, at);
    if (!known || !worker.inPidbox) changed = true;
    worker.inPidbox = true;
  }
  for (const worker of model.workers.values()) {
    if (listed.has(worker.hostname) || !worker.inPidbox) continue;
    worker.inPidbox = false;
    changed = true;
  }
  return changed;
}
