/**
 * What one inspect round (wire doc 7.3) tells about each worker. Replies are untrusted JSON:
 * every field is read with a type check, and a reply of the wrong shape leaves the previous
 * values in place, like an `{error}` reply does.
 */
import { declaredExchanges } from '../celery/active-queues.js';
import { asArray, asNumber, asObject, asString, field, isObject } from '../celery/decoded.js';
import type { Json } from '../celery/types.js';
import { gaugeRecord } from '../metrics/series.js';
import type { Action, InspectMethod } from './actions.js';
import { ensureWorker } from './create-model.js';
import type { Model, WorkerRecord } from './model.js';

type InspectRound = Extract<Action, { type: 'inspect/replied' }>;

/**
 * Record the round (latest per method, for detail views and JSON), mark every node that
 * answered as heard from now, and count a missed round for every silent one.
 */
export function applyInspectRound(model: Model, round: InspectRound): void {
  model.inspect[round.method] = { at: round.at, replies: round.replies, silent: round.silent };
  for (const reply of round.replies) {
    const worker = ensureWorker(model, reply.node, round.at);
    // An error reply still proves the worker is there and listening.
    worker.repliedAt = round.at;
    worker.silentRounds = 0;
    if (reply.error === null && !isErrorValue(reply.value))
      applyValue(worker, round.method, reply.value, round.at);
  }
  for (const node of round.silent) ensureWorker(model, node, round.at).silentRounds += 1;
}

/** `{"error": "..."}` is how a handler failure comes back (wire doc 7.3). */
function isErrorValue(value: Json): boolean {
  return isObject(value) && Object.keys(value).length === 1 && typeof value.error === 'string';
}

function applyValue(worker: WorkerRecord, method: InspectMethod, value: Json, at: number): void {
  switch (method) {
    case 'stats':
      applyStats(worker, value, at);
      return;
    case 'active': {
      const ids = requestIds(value, (item) => item);
      if (ids === null) return;
      worker.activeIds = ids;
      // Without heartbeats (`--without-heartbeat`) this is the only load sample there is.
      if (worker.heartbeatReceivedAt === null) gaugeRecord(worker.history, at, ids.length);
      return;
    }
    case 'reserved':
      worker.reservedIds = requestIds(value, (item) => item) ?? worker.reservedIds;
      return;
    case 'scheduled':
      // Entries are `{eta, priority, request: {id, …}}`.
      worker.scheduledIds =
        requestIds(value, (item) => (isObject(item) ? asObject(field(item, 'request')) : null)) ??
        worker.scheduledIds;
      return;
    case 'registered': {
      const names = asArray(value)?.flatMap((item) => {
        const text = asString(item);
        // With taskinfoitems a name reads "app.add [rate_limit=10/m]"; keep the name only.
        return text === null ? [] : [text.split(' [')[0]!.trim()];
      });
      if (names) worker.registered = [...new Set(names)];
      return;
    }
    case 'active_queues': {
      const names = asArray(value)?.flatMap((item) => {
        const name = isObject(item) ? asString(field(item, 'name')) : null;
        return name === null ? [] : [name];
      });
      if (names) worker.queues = names;
      const exchanges = declaredExchanges(value);
      if (exchanges) worker.exchanges = exchanges;
      return;
    }
    default:
      // ping carries nothing beyond the fact of the reply.
      return;
  }
}

/** The task ids of a list of request infos; null when the reply is not a list. */
function requestIds(value: Json, request: (item: Json) => Json | null): string[] | null {
  const items = asArray(value);
  if (items === null) return null;
  const ids: string[] = [];
  for (const item of items) {
    const info = request(item);
    const id = info !== null && isObject(info) ? asString(field(info, 'id')) : null;
    if (id !== null) ids.push(id);
  }
  return ids;
}

/**
 * `stats` (wire doc 7.3): pool size, prefetch limit, pid, uptime and per-name totals. Fields
 * a pool does not report (solo and threads pools have no `processes`; 5.2 has no
 * `implementation`) read as null rather than keeping a stale value.
 */
function applyStats(worker: WorkerRecord, value: Json, at: number): void {
  const stats = asObject(value);
  if (stats === null) return;
  const pool = asObject(field(stats, 'pool'));
  worker.poolMax = pool ? asNumber(field(pool, 'max-concurrency')) : null;
  worker.poolProcesses = pool ? (asArray(field(pool, 'processes'))?.length ?? null) : null;
  worker.poolType = pool ? asString(field(pool, 'implementation')) : null;
  worker.prefetchCount = asNumber(field(stats, 'prefetch_count'));
  worker.pid = asNumber(field(stats, 'pid')) ?? worker.pid;
  worker.uptime = asNumber(field(stats, 'uptime'));
  const totals: Record<string, number> = {};
  const total = asObject(field(stats, 'total'));
  for (const [name, count] of Object.entries(total ?? {})) {
    const n = asNumber(count);
    if (n !== null) Object.defineProperty(totals, name, { value: n, enumerable: true, writable: true });
  }
  worker.totals = totals;
  worker.statsAt = at;
}
