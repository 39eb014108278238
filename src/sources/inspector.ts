import type { Redis } from 'ioredis';
import type { Clock } from '../base/clock.js';
import type { WireOptions } from '../celery/options.js';
import type { JsonObject } from '../celery/types.js';
import type { Action, InspectMethod, InspectReply } from '../store/actions.js';
import { pidboxRound } from './pidbox-round.js';

type InspectReplied = Extract<Action, { type: 'inspect/replied' }>;

/**
 * The methods asked on every inspect tick. `ping` is left out: any reply to `stats` proves a worker
 * alive just as well and carries data. `stats` gives pool size and totals, `active`/`reserved`/
 * `scheduled` the per-worker task lists (the only view of reserved/ETA tasks besides `unacked`),
 * `active_queues` which queues each worker consumes (it changes with add/cancel_consumer).
 */
export const inspectMethods: readonly InspectMethod[] = [
  'stats',
  'active',
  'reserved',
  'scheduled',
  'active_queues',
];

/**
 * `registered` is asked on the first tick and then every this many ticks: the task list changes only
 * when workers are redeployed (which also shows as worker-online), and it is one of the larger replies.
 */
export const REGISTERED_EVERY_TICKS = 15;

/** The methods for inspect tick `tick` (0-based): {@link inspectMethods}, plus `registered` now and then. */
export function inspectMethodsForTick(tick: number): InspectMethod[] {
  return tick % REGISTERED_EVERY_TICKS === 0 ? [...inspectMethods, 'registered'] : [...inspectMethods];
}

/**
 * Arguments as `celery inspect` sends them (wire doc 7.3), with one choice: `active` gets `{}` rather
 * than `{safe: true}`, so its args/kwargs are the real JSON values, exactly like `reserved` and
 * `scheduled` (which have no `safe` at all) and like the CLI's `safe=None`. Task messages qtop can
 * show are JSON anyway, so the reprs that `safe` gives would only lose structure.
 */
function argumentsFor(_method: InspectMethod): JsonObject {
  return {};
}

/**
 * One read-only inspect round for `method` (wire doc 7.2/7.3), as an `inspect/replied` action.
 * `expect` is `knownNodes`, so the round ends as soon as every known worker answered; with no known
 * workers it waits the whole `timeoutMs`, and whoever answered becomes known through the store.
 * `silent` lists known workers that did not answer. Error replies (`{"error": …}`) keep their text in
 * `error`. Redis failures reject, for the sampler to record a gap; `signal` aborts (the sampler's stop).
 */
export async function inspectRound(
  redis: Redis,
  replies: Redis,
  opts: WireOptions,
  method: InspectMethod,
  knownNodes: string[],
  timeoutMs: number,
  clock: Clock,
  signal?: AbortSignal,
): Promise<InspectReplied> {
  const round = await pidboxRound(
    redis,
    replies,
    opts,
    { method, arguments: argumentsFor(method) },
    { timeoutMs, expect: knownNodes.length > 0 ? knownNodes : undefined, signal },
    clock,
  );
  const mapped: InspectReply[] = round.replies.map(({ node, value, error }) => ({ node, value, error }));
  return { type: 'inspect/replied', at: clock.now(), method, replies: mapped, silent: round.silent };
}
