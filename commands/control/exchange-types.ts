/**
 * The exchange types the running workers declared, for routing a write through a named exchange
 * whose type Redis cannot tell (kombu keeps it in the declaring process; a fanout table looks like a
 * direct one). The live screen's store already holds the workers' last `active_queues`; the CLI asks
 * once, in one read-only pidbox round that ends as soon as every live worker answered.
 */
import { declaredExchanges } from '../../src/celery/active-queues.js';
import type { ExchangeType } from '../../src/celery/routing.js';
import type { Json } from '../../src/celery/types.js';
import type { WorkerExchangeTypes } from './context.js';
import type { ControlRuntime } from './runtime.js';

/** One worker's declarations each (name -> type), merged: every type some worker gave a name. */
export function mergeExchangeTypes(declared: readonly Record<string, ExchangeType>[]): WorkerExchangeTypes {
  const types: Record<string, ExchangeType[]> = {};
  for (const one of declared) {
    for (const [name, type] of Object.entries(one)) {
      const seen = types[name] ?? [];
      if (!seen.includes(type)) types[name] = [...seen, type];
    }
  }
  for (const seen of Object.values(types)) seen.sort();
  return { types, workers: declared.length };
}

/** `active_queues` reply values (one per worker) -> the merged declarations; non-lists told nothing. */
export function exchangeTypesFromReplies(values: readonly Json[]): WorkerExchangeTypes {
  return mergeExchangeTypes(values.map(declaredExchanges).filter((d) => d !== null));
}

/**
 * What the workers declared: the model's answer when it holds some worker's declarations, else one
 * `active_queues` round to the live workers (bounded by the control timeout). No live worker, or none
 * answering in a serializer qtop decodes, gives `workers: 0`.
 */
export async function learnExchangeTypes(rt: ControlRuntime): Promise<WorkerExchangeTypes> {
  const held = rt.ctx.lookup.exchangeTypes?.();
  if (held && held.workers > 0) return held;
  const live = await rt.liveWorkers();
  if (live.length === 0) return { types: {}, workers: 0 };
  const { round } = await rt.round({ method: 'active_queues', destination: null }, live);
  return exchangeTypesFromReplies(round.replies.map((r) => r.value));
}
