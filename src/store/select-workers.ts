/**
 * Worker rows for the workers panel and JSON output: liveness (worker-state.ts), load, pool
 * and what the last inspect rounds reported, copied out as plain data.
 */
import { gaugeValues } from '../metrics/series.js';
import type { InspectMethod, InspectReply } from './actions.js';
import { taskEventsFreshMs, workersMissedByEvents } from './events-evidence.js';
import type { Model, WorkerRecord } from './model.js';
import { type WorkerState, workerState } from './worker-state.js';

/** A task event within this long proves the worker sends them. */

export interface WorkerRow {
  hostname: string;
  state: WorkerState;
  /** Seconds since qtop received the last heartbeat; null when none was. */
  heartbeatAgeSec: number | null;
  freq: number | null;
  poolMax: number | null;
  /** Tasks running now: the heartbeat's `active`, or the `active` reply when that is newer. */
  busy: number | null;
  prefetchCount: number | null;
  processed: number | null;
  loadavg: [number, number, number] | null;
  queues: string[] | null;
  swVer: string | null;
  /**
   * true: it sent a task event in the last 5 minutes; false: it ran a task while qtop listened
   * and no event told of it (it runs without `-E`; see events-evidence.ts); null: cannot tell
   * yet (a worker with `-E` that runs no tasks is as quiet as one without).
   */
  eventsEnabled: boolean | null;
  /** Lengths of the last inspect answers; null until the worker answered that method. */
  activeCount: number | null;
  reservedCount: number | null;
  scheduledCount: number | null;
  registered: string[] | null;
  uptime: number | null;
  pid: number | null;
  inPidbox: boolean;
  silentRounds: number;
}

export interface WorkerDetail extends WorkerRow {
  totals: Record<string, number>;
  activeIds: string[];
  reservedIds: string[];
  scheduledIds: string[];
  poolProcesses: number | null;
  poolType: string | null;
  swIdent: string | null;
  swSys: string | null;
  heartbeatAt: number | null;
  onlineAt: number | null;
  offlineAt: number | null;
  taskEventAt: number | null;
  statsAt: number | null;
  repliedAt: number | null;
  firstSeenAt: number;
  /** Tasks running per heartbeat, oldest first; null = not measured. */
  history: (number | null)[];
}

// The header's totals, the events status and the workers panel all ask for the worker rows in
// one frame: the rows of the latest (model version, now) are kept and handed out again (frozen,
// so no reader can change what another reads).
const latestRows = new WeakMap<Model, { version: number; now: number; rows: readonly WorkerRow[] }>();

/** Every known worker, sorted by hostname. */
export function selectWorkers(model: Model, now: number): WorkerRow[] {
  const kept = latestRows.get(model);
  if (kept !== undefined && kept.version === model.version && kept.now === now)
    return kept.rows as WorkerRow[];
  const missed = workersMissedByEvents(model, now);
  const rows = Object.freeze(
    [...model.workers.values()]
      .sort((a, b) => (a.hostname < b.hostname ? -1 : a.hostname > b.hostname ? 1 : 0))
      .map((worker) => workerRow(model, worker, now, missed)),
  );
  latestRows.set(model, { version: model.version, now, rows });
  return rows as WorkerRow[];
}

/** One worker with totals, task ids and load history; null when not known. */
export function selectWorker(model: Model, hostname: string, now: number): WorkerDetail | null {
  const w = model.workers.get(hostname);
  if (!w) return null;
  return {
    ...workerRow(model, w, now, workersMissedByEvents(model, now)),
    totals: { ...w.totals },
    activeIds: [...w.activeIds],
    reservedIds: [...w.reservedIds],
    scheduledIds: [...w.scheduledIds],
    poolProcesses: w.poolProcesses,
    poolType: w.poolType,
    swIdent: w.swIdent,
    swSys: w.swSys,
    heartbeatAt: w.heartbeatAt,
    onlineAt: w.onlineAt,
    offlineAt: w.offlineAt,
    taskEventAt: w.taskEventAt,
    statsAt: w.statsAt,
    repliedAt: w.repliedAt,
    firstSeenAt: w.firstSeenAt,
    history: gaugeValues(w.history, w.history.capacity),
  };
}

function workerRow(model: Model, w: WorkerRecord, now: number, missed: Set<string>): WorkerRow {
  return {
    hostname: w.hostname,
    state: workerState(model, w, now),
    heartbeatAgeSec: w.heartbeatReceivedAt === null ? null : Math.max(0, now - w.heartbeatReceivedAt) / 1000,
    freq: w.freq,
    poolMax: w.poolMax,
    busy: busy(model, w),
    prefetchCount: w.prefetchCount,
    processed: w.processed,
    loadavg: w.loadavg === null ? null : [...w.loadavg],
    queues: w.queues === null ? null : [...w.queues],
    swVer: w.swVer,
    eventsEnabled:
      w.taskEventAt !== null && now - w.taskEventAt <= taskEventsFreshMs
        ? true
        : missed.has(w.hostname)
          ? false
          : null,
    activeCount: answeredCount(model, w, 'active', w.activeIds),
    reservedCount: answeredCount(model, w, 'reserved', w.reservedIds),
    scheduledCount: answeredCount(model, w, 'scheduled', w.scheduledIds),
    registered: w.registered === null ? null : [...w.registered],
    uptime: w.uptime,
    pid: w.pid,
    inPidbox: w.inPidbox,
    silentRounds: w.silentRounds,
  };
}

/** When this worker last answered `method` without error (qtop ms), from the latest round. */
function answeredAt(model: Model, w: WorkerRecord, method: InspectMethod): number | null {
  const round = model.inspect[method];
  if (!round) return null;
  return answeredBy(round.replies).has(w.hostname) ? round.at : null;
}

// A round is replaced whole when the next one lands (worker-inspect.ts), so its replies array
// identifies it: the nodes that answered are indexed once per round, not once per worker.
const answeredNodes = new WeakMap<readonly InspectReply[], Set<string>>();

function answeredBy(replies: readonly InspectReply[]): Set<string> {
  let nodes = answeredNodes.get(replies);
  if (nodes === undefined) {
    nodes = new Set(replies.filter((reply) => reply.error === null).map((reply) => reply.node));
    answeredNodes.set(replies, nodes);
  }
  return nodes;
}

/**
 * The number of ids a method reported, or null when unknown. Ids are only ever set from an
 * answer, so a non-empty list came from some round even if the worker missed the latest one;
 * an empty list means "answered: none" only when it answered the latest round.
 */
function answeredCount(model: Model, w: WorkerRecord, method: InspectMethod, ids: string[]): number | null {
  return ids.length > 0 || answeredAt(model, w, method) !== null ? ids.length : null;
}

/** Heartbeats report `active` every `freq` s; an `active` reply received later wins. */
function busy(model: Model, w: WorkerRecord): number | null {
  const activeAt = answeredAt(model, w, 'active');
  if (
    activeAt !== null &&
    (w.active === null || w.heartbeatReceivedAt === null || activeAt > w.heartbeatReceivedAt)
  ) {
    return w.activeIds.length;
  }
  return w.active;
}
