/**
 * Retry: publish a new message (new id) that reproduces a failed, revoked or lost task's call
 * (wire doc 5.2). The call comes from retry-sources.ts; the envelope from `encodeTaskMessage`, which
 * never emits a poison shape (wire doc 5), with the recovered body text spliced in unchanged.
 *
 * Kept from the original: name, args, kwargs and embed (callbacks, chain), queue, priority, time
 * limits, shadow, ignore_result, the display reprs (apps set custom ones to hide secrets) and headers
 * qtop does not know (5.3 stamps). Not kept: id, root_id and parent_id (a new call), group, retries,
 * eta and expires (the retry runs now; an old `expires` would revoke it on arrival).
 */
import type { Redis } from 'ioredis';
import { systemClock } from '../../src/base/clock.js';
import { spliceJsonValue } from '../../src/celery/json-span.js';
import { encodeTaskMessage, TASK_HEADER_ORDER, type TaskSpec } from '../../src/celery/task-encode.js';
import type { JsonObject } from '../../src/celery/types.js';
import type { CallOverride } from '../../src/control/call-edit.js';
import type { ControlOutcome } from '../../src/control/controls.js';
import { createResultScanner } from '../../src/sources/result-source.js';
import type { ModelConfig } from '../../src/store/model.js';
import { createStore } from '../../src/store/store.js';
import { UsageError } from '../shared/usage-error.js';
import type { ControlLookup } from './context.js';
import { controlsFromStore } from './lookup.js';
import { outcome } from './outcome.js';
import { withCall } from './retry-edit.js';
import { type RecoveredCall, recoverCall } from './retry-sources.js';
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
  queue: string;
  source: RecoveredCall['source'];
}

function specFor(rt: ControlRuntime, call: RecoveredCall, queue: string): TaskSpec {
  const m = call.message;
  const extraHeaders: JsonObject = {};
  for (const [key, value] of Object.entries(m?.envelope.headers ?? {})) {
    if (!(TASK_HEADER_ORDER as readonly string[]).includes(key)) extraHeaders[key] = value;
  }
  const spec: TaskSpec = {
    name: call.name,
    args: call.args,
    kwargs: call.kwargs,
    queue,
    priority: Math.max(0, Math.min(255, Math.trunc(call.priority))),
    origin: rt.origin,
    extraHeaders,
  };
  if (call.argsRepr) spec.argsRepr = call.argsRepr;
  if (call.kwargsRepr) spec.kwargsRepr = call.kwargsRepr;
  if (m) {
    spec.timeLimit = m.timeLimit;
    spec.shadow = m.shadow;
    spec.ignoreResult = m.ignoreResult;
  }
  return spec;
}

/** Publish one recovered call; resolves with the new id, or a reason it could not be encoded. */
async function publish(rt: ControlRuntime, call: RecoveredCall, queue: string): Promise<string> {
  const encoded = encodeTaskMessage(specFor(rt, call, queue), rt.ctx.wire);
  if (!encoded.ok) throw new RefusedRetry(encoded.reason);
  const task = encoded.value;
  const body = JSON.stringify(Buffer.from(call.bodyText, 'utf8').toString('base64'));
  const raw = spliceJsonValue(task.raw, ['body'], body);
  if (raw === null) throw new RefusedRetry('internal: encoded message has no body');
  // Declare the queue like a producer, then push, in one MULTI (wire doc 5.2 step 5).
  const replies = await rt.ctx.broker
    .multi()
    .sadd(task.bindingKey, task.bindingMember)
    .lpush(task.listKey, raw)
    .exec();
  const failed = replies?.find(([error]) => error);
  if (failed) throw failed[0];
  return task.id;
}

class RefusedRetry extends Error {}

/**
 * Retry every task in `taskIds` (each gets a new id); `queue` overrides the original queue, `call`
 * the args and/or kwargs (edit and retry, retry-edit.ts).
 */
export async function retry(
  rt: ControlRuntime,
  taskIds: string[],
  options: { queue?: string; call?: CallOverride } = {},
): Promise<ControlOutcome> {
  const refused = rt.refuseWrite();
  if (refused) return refused;
  const ids = [...new Set(taskIds)];
  if (ids.length === 0 || ids.some((id) => !id))
    return outcome('refused', 'refused: give one or more task ids');
  const links: RetryLink[] = [];
  const refusals: { id: string; reason: string; notFound: boolean }[] = [];
  try {
    for (const id of ids) {
      rt.ctx.signal?.throwIfAborted();
      const recovered = await recoverCall(rt, id);
      if (!recovered.ok) {
        refusals.push({ id, reason: recovered.reasons.join('; '), notFound: recovered.notFound });
        continue;
      }
      const call = options.call ? withCall(recovered.call, options.call) : recovered.call;
      const queue = options.queue ?? call.queue ?? rt.ctx.lookup.task(id)?.queue;
      if (!queue) {
        const why = `its queue is unknown (${call.source} does not name it): give the queue (--queue)`;
        refusals.push({ id, reason: why, notFound: false });
        continue;
      }
      try {
        const newId = await publish(rt, call, queue);
        links.push({ oldId: id, newId, name: call.name, queue, source: call.source });
        rt.ctx.dispatch?.({ type: 'task/retried-as', at: rt.ctx.clock.now(), oldId: id, newId });
      } catch (error) {
        if (!(error instanceof RefusedRetry)) throw error;
        refusals.push({ id, reason: error.message, notFound: false });
      }
    }
  } catch (error) {
    const failed = rt.failed(error, 'retry');
    return { ...failed, details: { retried: links, refused: refusals } };
  }
  return retryOutcome(ids.length, links, refusals);
}

function retryOutcome(
  total: number,
  links: RetryLink[],
  refusals: { id: string; reason: string; notFound: boolean }[],
): ControlOutcome {
  const details = { retried: links, refused: refusals.map(({ id, reason }) => ({ id, reason })) };
  const done = links.map((l) => `${l.oldId} -> ${l.newId}`).join(', ');
  const no = refusals.map((r) => `cannot retry ${r.id} exactly: ${r.reason}`).join('; ');
  if (refusals.length === 0)
    return outcome('done', `retried ${links.length} of ${total}: ${done}`, [], details);
  const hint = `; to make it possible, ${RETRY_HINT}`;
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
  options: { queue?: string } = {},
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
