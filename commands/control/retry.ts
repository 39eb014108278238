/**
 * Retry: publish a new message (new id) that reproduces a failed, revoked or lost task's call
 * (wire doc 5.2). The call comes from retry-sources.ts; the envelope from `encodeTaskMessage`, which
 * never emits a poison shape (wire doc 5), with the recovered body text spliced in unchanged.
 *
 * Kept from the original: name, args, kwargs and embed (callbacks, chain), priority, time limits,
 * shadow, ignore_result, the display reprs (apps set custom ones to hide secrets) and headers qtop
 * does not know (5.3 stamps). Not kept: id, root_id and parent_id (a new call), group, retries,
 * eta and expires (the retry runs now; an old `expires` would revoke it on arrival).
 *
 * Where it goes is kombu's routing of the original's exchange and routing key (route-target.ts),
 * one copy per matching queue, with no binding added. An original that still waits (a queue, or
 * `unacked`, which kombu restores later) would make two live copies: refused unless the caller asks
 * to remove it, which happens in the same Lua script as the publish.
 */
import type { Redis } from 'ioredis';
import { systemClock } from '../../src/base/clock.js';
import { spliceJsonValue } from '../../src/celery/json-span.js';
import { unackedIndexKey, unackedKey } from '../../src/celery/names.js';
import type { WireOptions } from '../../src/celery/options.js';
import { encodeTaskMessage, TASK_HEADER_ORDER, type TaskSpec } from '../../src/celery/task-encode.js';
import type { JsonObject } from '../../src/celery/types.js';
import type { ControlOutcome, RetryOptions } from '../../src/control/controls.js';
import { createResultScanner } from '../../src/sources/result-source.js';
import type { ModelConfig } from '../../src/store/model.js';
import { createStore } from '../../src/store/store.js';
import { UsageError } from '../shared/usage-error.js';
import type { ControlLookup } from './context.js';
import { learnExchangeTypes } from './exchange-types.js';
import { controlsFromStore } from './lookup.js';
import type { FoundMessage } from './message-find.js';
import { outcome } from './outcome.js';
import { withCall } from './retry-edit.js';
import { type RecoveredCall, recoverCall } from './retry-sources.js';
import {
  type ListTarget,
  loadRouting,
  needsWorkerTypes,
  planByExchange,
  planByRoutingKey,
  planToQueue,
  type RoutePlan,
  type RoutingState,
  withDeliveryInfo,
} from './route-target.js';
import type { ControlRuntime } from './runtime.js';

/** What would make refused retries possible; appended to every refusal. */
export const RETRY_HINT =
  'set result_extended=True in the Celery config so results keep name, args, kwargs and queue, ' +
  'or retry while the message is still queued';

/** One retried task: the link old -> new. */
export interface RetryLink {
  oldId: string;
  newId: string;
  name: string;
  /** The first of `queues` (most routes reach one queue). */
  queue: string;
  /** Every queue a copy was pushed to, as kombu's lookup routes the original. */
  queues: string[];
  /** The priority lists pushed to, one per queue. */
  lists: string[];
  /** How the route was found, in words. */
  via: string;
  source: RecoveredCall['source'];
  /** Where the original waited when it was removed in the same step (`--remove-original`). */
  removed: { where: 'queue' | 'unacked'; key: string } | null;
}

/**
 * The republished message for one target list: the recovered call under `ids` (one new task id for
 * every copy, a delivery tag of its own per copy), with the original's headers (stamps included),
 * reprs, priority and time limits, and `delivery_info` set for the target. The one place a retry's
 * bytes are decided: a caller that edits args/kwargs changes `call.bodyText`/`args`/`kwargs` first.
 */
export function retryMessage(
  call: RecoveredCall,
  target: ListTarget,
  ids: { taskId: string; origin: string },
  wire: WireOptions,
): { ok: true; raw: string } | { ok: false; reason: string } {
  const m = call.message;
  const extraHeaders: JsonObject = { ...(call.extraHeaders ?? {}) };
  for (const [key, value] of Object.entries(m?.envelope.headers ?? {})) {
    if (!(TASK_HEADER_ORDER as readonly string[]).includes(key)) extraHeaders[key] = value;
  }
  const spec: TaskSpec = {
    id: ids.taskId,
    name: call.name,
    args: call.args,
    kwargs: call.kwargs,
    queue: target.queue,
    priority: Math.max(0, Math.min(255, Math.trunc(call.priority))),
    origin: ids.origin,
    extraHeaders,
  };
  if (call.argsRepr) spec.argsRepr = call.argsRepr;
  if (call.kwargsRepr) spec.kwargsRepr = call.kwargsRepr;
  if (m) {
    spec.timeLimit = m.timeLimit;
    spec.shadow = m.shadow;
    spec.ignoreResult = m.ignoreResult;
  }
  const encoded = encodeTaskMessage(spec, wire);
  if (!encoded.ok) return encoded;
  const body = JSON.stringify(Buffer.from(call.bodyText, 'utf8').toString('base64'));
  const withBody = spliceJsonValue(encoded.value.raw, ['body'], body);
  const raw = withBody && withDeliveryInfo(withBody, target.exchange, target.routingKey);
  return raw
    ? { ok: true, raw }
    : { ok: false, reason: 'internal: encoded message has no body or delivery_info' };
}

/**
 * Remove the original (KEYS[1], its exact element or unacked entry) and push the copies (KEYS[3..])
 * in one step, or do nothing when the original is gone (a worker took or acked it meanwhile).
 * ARGV: 'queue' | 'unacked', the exact element or hash value, its delivery tag, then one message per
 * target list. KEYS[2] is the unacked index (kombu's `unacked_index` sorted set).
 */
export const RETRY_REMOVE_SCRIPT = `
if ARGV[1] == 'queue' then
  if redis.call('LREM', KEYS[1], 1, ARGV[2]) ~= 1 then return 0 end
else
  if redis.call('HGET', KEYS[1], ARGV[3]) ~= ARGV[2] then return 0 end
  redis.call('HDEL', KEYS[1], ARGV[3])
  redis.call('ZREM', KEYS[2], ARGV[3])
end
for i = 3, #KEYS do redis.call('LPUSH', KEYS[i], ARGV[i + 1]) end
return 1`;

/** Where the original waits, in words, or null when it waits nowhere. */
export function originalWhere(found: FoundMessage | null): string | null {
  if (!found) return null;
  if (found.where === 'queue')
    return `its original message still waits in queue '${found.queue}' (list ${JSON.stringify(found.key)})`;
  return (
    `its original message is in the ${JSON.stringify(found.key)} entry of the unacked hash ` +
    `(reserved by a worker or waiting for its ETA; kombu restores it if that worker is lost)`
  );
}

class RefusedRetry extends Error {}

/** Publish one recovered call to every target (removing the original first when asked). */
async function publish(
  rt: ControlRuntime,
  call: RecoveredCall,
  plan: { targets: ListTarget[] },
  removeOriginal: boolean,
): Promise<{ newId: string; removed: RetryLink['removed'] }> {
  const ids = { taskId: globalThis.crypto.randomUUID(), origin: rt.origin };
  const raws = plan.targets.map((target) => {
    const built = retryMessage(call, target, ids, rt.ctx.wire);
    if (!built.ok) throw new RefusedRetry(built.reason);
    return built.raw;
  });
  const found = call.found;
  if (found && removeOriginal) {
    const wire = rt.ctx.wire;
    const keys = [found.key, unackedIndexKey(wire), ...plan.targets.map((t) => t.key)];
    const argv =
      found.where === 'queue' ? ['queue', found.raw, ''] : ['unacked', found.entry ?? '', found.key];
    if (found.where === 'unacked') keys[0] = unackedKey(wire);
    const done = Number(
      await rt.ctx.broker.eval(RETRY_REMOVE_SCRIPT, keys.length, ...keys, ...argv, ...raws),
    );
    if (done === 0) {
      throw new RefusedRetry(
        `its original left ${found.where === 'queue' ? `queue '${found.queue}'` : 'the unacked hash'} before the retry (a worker took or acked it): nothing was written`,
      );
    }
    return { newId: ids.taskId, removed: { where: found.where, key: found.key } };
  }
  const multi = rt.ctx.broker.multi();
  for (const [i, target] of plan.targets.entries()) multi.lpush(target.key, raws[i]!);
  const replies = await multi.exec();
  const failed = replies?.find(([error]) => error);
  if (failed) throw failed[0];
  return { newId: ids.taskId, removed: null };
}

/** The route of one recovered call: `--queue`, else the original's exchange, else its routing key. */
function routeOf(routing: RoutingState, call: RecoveredCall, queue: string | undefined): RoutePlan | null {
  const original =
    call.exchange !== null && call.queue !== null
      ? { exchange: call.exchange, routingKey: call.queue }
      : null;
  if (queue) return planToQueue(routing, queue, original, call.priority);
  if (original) return planByExchange(routing, original.exchange, original.routingKey, call.priority);
  if (call.queue) return planByRoutingKey(routing, call.queue, call.priority);
  return null;
}

/** Retry every task in `taskIds` (each gets a new id); see `Controls.retry`. */
export async function retry(
  rt: ControlRuntime,
  taskIds: string[],
  options: RetryOptions = {},
): Promise<ControlOutcome> {
  const refused = rt.refuseWrite();
  if (refused) return refused;
  const ids = [...new Set(taskIds)];
  if (ids.length === 0 || ids.some((id) => !id))
    return outcome('refused', 'refused: give one or more task ids');
  const links: RetryLink[] = [];
  const refusals: Refusal[] = [];
  try {
    const routing = await loadRouting(rt.ctx.broker, rt.ctx.wire, options.exchangeTypes, rt.ctx.signal);
    if ('ok' in routing) return outcome('refused', routing.reason);
    for (const id of ids) {
      rt.ctx.signal?.throwIfAborted();
      const recovered = await recoverCall(rt, id);
      if (!recovered.ok) {
        refusals.push({ id, reason: recovered.reasons.join('; '), notFound: recovered.notFound });
        continue;
      }
      const call = options.call ? withCall(recovered.call, options.call) : recovered.call;
      if (!call.queue && !options.queue) {
        const hinted = rt.ctx.lookup.task(id)?.queue;
        if (hinted) call.queue = hinted;
      }
      if (!options.queue && call.queue && needsWorkerTypes(routing, call.exchange, call.queue)) {
        // Asked once per run, and only when the bindings cannot tell direct from fanout.
        routing.workers = await learnExchangeTypes(rt);
      }
      const plan = routeOf(routing, call, options.queue);
      if (plan === null) {
        const why = `its queue is unknown (${call.source} does not name it): give the queue (--queue)`;
        refusals.push({ id, reason: why, notFound: false });
        continue;
      }
      if (!plan.ok) {
        refusals.push({ id, reason: plan.reason, notFound: false, routing: true });
        continue;
      }
      const waiting = originalWhere(call.found);
      if (waiting && !options.removeOriginal) {
        const why = `${waiting}: a retry would leave two live copies; use --remove-original to retry and remove it in one atomic step, or leave it`;
        refusals.push({ id, reason: why, notFound: false, routing: true });
        continue;
      }
      try {
        const { newId, removed } = await publish(rt, call, plan, options.removeOriginal === true);
        const queues = plan.targets.map((t) => t.queue);
        links.push({
          oldId: id,
          newId,
          name: call.name,
          queue: queues[0]!,
          queues,
          lists: plan.targets.map((t) => t.key),
          via: plan.via,
          source: call.source,
          removed,
        });
        rt.ctx.dispatch?.({ type: 'task/retried-as', at: rt.ctx.clock.now(), oldId: id, newId });
      } catch (error) {
        if (!(error instanceof RefusedRetry)) throw error;
        refusals.push({ id, reason: error.message, notFound: false, routing: true });
      }
    }
  } catch (error) {
    const failed = rt.failed(error, 'retry');
    return { ...failed, details: { retried: links, refused: refusals } };
  }
  return retryOutcome(ids.length, links, refusals);
}

/** `routing`: refused for where it would go or what waits, not for the call: no result_extended hint. */
interface Refusal {
  id: string;
  reason: string;
  notFound: boolean;
  routing?: boolean;
}

function retryOutcome(total: number, links: RetryLink[], refusals: Refusal[]): ControlOutcome {
  const details = { retried: links, refused: refusals.map(({ id, reason }) => ({ id, reason })) };
  const done = links.map((l) => `${l.oldId} -> ${l.newId}`).join(', ');
  const no = refusals
    .map((r) => `cannot retry ${r.id}${r.routing ? '' : ' exactly'}: ${r.reason}`)
    .join('; ');
  if (refusals.length === 0)
    return outcome('done', `retried ${links.length} of ${total}: ${done}`, [], details);
  const hint = refusals.every((r) => r.routing) ? '' : `; to make it possible, ${RETRY_HINT}`;
  if (links.length === 0) {
    const kind = refusals.every((r) => r.notFound) ? 'not-found' : 'refused';
    return outcome(kind, `${no}${hint}`, [], details);
  }
  return outcome('partial', `retried ${links.length} of ${total}: ${done}; ${no}${hint}`, [], details);
}

/** Retry every FAILURE task of `taskName` the model holds (the TUI's and CLI's bulk retry). */
export async function retryFailed(
  rt: ControlRuntime,
  taskName: string,
  options: RetryOptions = {},
): Promise<ControlOutcome> {
  const refused = rt.refuseWrite();
  if (refused) return refused;
  const ids = rt.ctx.lookup.failedTaskIds?.(taskName) ?? [];
  if (ids.length === 0) {
    return outcome(
      'not-found',
      `no failed ${taskName} tasks known (results name their task only with result_extended=True; ` +
        'the live screen also knows tasks from events)',
    );
  }
  return retry(rt, ids, options);
}

/**
 * A lookup over every result meta in the backend, read once into a fresh model: what `qtop retry
 * --failed NAME` selects from in a CLI run, where no live model exists. Only `result_extended` meta
 * names its task, so without it nothing is found (and the refusal says so).
 */
export async function lookupFromResults(
  backend: Redis | null,
  model: Partial<ModelConfig>,
  signal: AbortSignal,
): Promise<ControlLookup> {
  if (!backend) throw new UsageError('--failed needs a Redis result backend (--backend URL)');
  const store = createStore({ clock: systemClock, config: model, notifyEveryMs: 0 });
  const scanner = createResultScanner(backend, { budget: 1000 });
  do {
    signal.throwIfAborted();
    const read = await scanner.next(systemClock.now());
    if (read) store.dispatch(read);
  } while (!scanner.done);
  return controlsFromStore(store, systemClock).lookup;
}
