/**
 * Where a write (move, retry) puts a message, decided as kombu's virtual transport would route it
 * (src/celery/routing.ts over the `_kombu.binding.*` tables read here), and the `delivery_info` each
 * copy carries so that kombu's later restore of it (lost worker, visibility timeout, warm shutdown)
 * finds the same queue. Only reads: qtop never adds a binding member (Celery's own clients declare
 * queues), so a target no binding names is refused rather than declared.
 */
import type { Redis } from 'ioredis';
import { spliceJsonValue } from '../../src/celery/json-span.js';
import type { WireOptions } from '../../src/celery/options.js';
import {
  type ExchangeType,
  inferExchangeType,
  restoreDeliveryInfo,
  routeMessage,
  showText,
  type TypeSource,
} from '../../src/celery/routing.js';
import { detectSep, priorityListKey } from '../../src/celery/routing-sep.js';
import { type BindingTable, readTaskBindingTables } from '../../src/sources/binding-table.js';
import type { WorkerExchangeTypes } from './context.js';

/** `--exchange-type NAME=TYPE` overrides, as plain data (action params travel as JSON). */
export type ExchangeTypes = Readonly<Record<string, ExchangeType>>;

/** One list a message is pushed to, with the `delivery_info` its copy carries. */
export interface ListTarget {
  queue: string;
  /** The priority list (`{prefix}{queue}[SEP{step}]`) kombu's `_put` would push to. */
  key: string;
  exchange: string;
  routingKey: string;
}

export type RoutePlan =
  | { ok: true; targets: ListTarget[]; via: string }
  /** `fanout`: refused because the exchange delivers by PUBLISH, into no queue. */
  | { ok: false; reason: string; fanout?: boolean };

/** The binding tables of one moment, plus the operator's type overrides. */
export interface RoutingState {
  wire: WireOptions;
  tables: BindingTable[];
  /** Queues some task binding names: the queues workers or producers declared. */
  queues: Set<string>;
  types: ExchangeTypes;
  /** What the workers declared (`active_queues`), once asked; undefined: not asked yet. */
  workers?: WorkerExchangeTypes;
}

/**
 * Read every task exchange's bindings. Refused when the members show another sep than qtop's:
 * with the wrong sep every priority list name and binding split would be wrong.
 */
export async function loadRouting(
  broker: Redis,
  wire: WireOptions,
  types: ExchangeTypes = {},
  signal?: AbortSignal,
): Promise<RoutingState | { ok: false; reason: string }> {
  const tables = await readTaskBindingTables(broker, wire, signal);
  const sep = detectSep(
    wire.sep,
    tables.flatMap((t) => t.members),
  );
  if (sep.detected !== null && sep.detected !== wire.sep)
    return { ok: false, reason: `refuse: ${sep.mismatch}` };
  const queues = new Set(tables.flatMap((t) => t.table.map((b) => b.queue)));
  return { wire, tables, queues, types };
}

function tableOf(state: RoutingState, exchange: string): BindingTable {
  return (
    state.tables.find((t) => t.exchange === exchange) ?? { exchange, table: [], undecodable: 0, members: [] }
  );
}

/**
 * An exchange's type for a write, or why it cannot be settled. `type` undefined: route as the
 * bindings alone say (the default exchange; a topic pattern, which only a topic bind writes; Celery's
 * mailbox; or kombu's default direct once workers answered and none declares the exchange). `unknown`:
 * the bindings cannot tell direct from fanout (both store no pattern) and no worker said which:
 * guessing direct for a fanout exchange would LPUSH copies into lists its consumers never BRPOP.
 */
export type TypeDecision =
  | { ok: true; type: ExchangeType | undefined; source: TypeSource }
  | { ok: false; reason: string; unknown: boolean };

/** Decide `exchange`'s type: `--exchange-type`, else the workers' declarations, else the bindings. */
export function settleExchangeType(
  exchange: string,
  table: BindingTable['table'],
  override: ExchangeType | undefined,
  workers: WorkerExchangeTypes | undefined,
): TypeDecision {
  if (!exchange) return { ok: true, type: undefined, source: 'anon' };
  if (override) return { ok: true, type: override, source: 'override' };
  const declared = workers?.types[exchange] ?? [];
  if (declared.length > 1) {
    return {
      ok: false,
      unknown: false,
      reason: `refuse: workers declare exchange ${showText(exchange)} as ${declared.join(' and ')}; give --exchange-type ${exchange}=TYPE`,
    };
  }
  if (declared.length === 1) return { ok: true, type: declared[0], source: 'workers' };
  const inferred = inferExchangeType(exchange, table);
  if (table.length === 0 || inferred.source !== 'default')
    return { ok: true, type: undefined, source: inferred.source };
  if (workers && workers.workers > 0) return { ok: true, type: undefined, source: 'default' };
  return {
    ok: false,
    unknown: true,
    reason: `refuse: exchange type unknown: give --exchange-type NAME=TYPE (exchange ${showText(exchange)}: its bindings carry no topic pattern, so it is direct or fanout, and no worker answered active_queues to say which)`,
  };
}

/**
 * Whether routing through `exchange` (null: by routing key, over every exchange that could route it)
 * needs the workers' declarations that `state` has not asked for yet.
 */
export function needsWorkerTypes(state: RoutingState, exchange: string | null, routingKey: string): boolean {
  if (state.workers !== undefined) return false;
  const exchanges =
    exchange !== null ? [exchange] : state.queues.has(routingKey) ? [] : state.tables.map((t) => t.exchange);
  return exchanges.some((name) => {
    const decision = settleExchangeType(name, tableOf(state, name).table, state.types[name], undefined);
    return !decision.ok && decision.unknown;
  });
}

function undeclared(queue: string): string {
  return `refuse: no queue matches: no _kombu.binding.* set names queue ${showText(queue)} (no worker or producer declared it; qtop does not declare queues)`;
}

/**
 * One named queue (move's target, retry's `--queue`): the message goes to its priority list, and its
 * `delivery_info` keeps `original` only when that pair routes back to exactly this queue.
 */
export function planToQueue(
  state: RoutingState,
  queue: string,
  original: { exchange: string; routingKey: string } | null,
  rawPriority: unknown,
): RoutePlan {
  if (!state.queues.has(queue)) return { ok: false, reason: undeclared(queue) };
  const exchange = original?.exchange ?? '';
  const table = tableOf(state, exchange).table;
  const decided = settleExchangeType(exchange, table, state.types[exchange], state.workers);
  const restore = restoreDeliveryInfo(queue, original, table, decided.ok ? decided.type : undefined);
  return {
    ok: true,
    targets: [{ queue, key: priorityListKey(state.wire, queue, rawPriority), ...pair(restore) }],
    via: restore.why,
  };
}

/**
 * What kombu's `basic_publish` does with (exchange, routing key): every queue the lookup returns,
 * one copy each; each copy's `delivery_info` routes a restore back to its own queue.
 */
export function planByExchange(
  state: RoutingState,
  exchange: string,
  routingKey: string,
  rawPriority: unknown,
): RoutePlan {
  const { table, undecodable } = tableOf(state, exchange);
  const decided = settleExchangeType(exchange, table, state.types[exchange], state.workers);
  if (!decided.ok) return { ok: false, reason: decided.reason };
  const override = decided.type;
  const route = routeMessage(
    exchange,
    routingKey,
    table,
    override ? { override, source: decided.source, undecodable } : { undecodable },
  );
  if (!route.ok) return route;
  if (route.delivery === 'pubsub') {
    return {
      ok: false,
      fanout: true,
      reason: `refuse: exchange ${showText(exchange)} is fanout: kombu's Redis transport delivers it by PUBLISH to the workers subscribed at that instant, into no queue; give --queue`,
    };
  }
  if (route.type === 'anon' && !state.queues.has(routingKey))
    return { ok: false, reason: undeclared(routingKey) };
  const targets = route.queues.map((queue) => {
    const restore = restoreDeliveryInfo(queue, { exchange, routingKey }, table, override);
    return { queue, key: priorityListKey(state.wire, queue, rawPriority), ...pair(restore) };
  });
  const via = exchange
    ? `${route.type} exchange ${showText(exchange)} routes ${showText(routingKey)} to ${route.queues.map(showText).join(', ')}`
    : `default exchange: routing key ${showText(routingKey)} is the queue`;
  return { ok: true, targets, via };
}

/**
 * Only a routing key is known (`result_extended` meta stores `delivery_info.routing_key` as its
 * `queue`, without the exchange). A declared queue of that name is the default exchange's route;
 * otherwise the one exchange whose bindings route it; several that disagree are refused.
 */
export function planByRoutingKey(state: RoutingState, routingKey: string, rawPriority: unknown): RoutePlan {
  if (state.queues.has(routingKey)) return planByExchange(state, '', routingKey, rawPriority);
  const tried = state.tables.map((t) => ({
    exchange: t.exchange,
    plan: planByExchange(state, t.exchange, routingKey, rawPriority),
  }));
  const found = tried.filter((c): c is { exchange: string; plan: RoutePlan & { ok: true } } => c.plan.ok);
  if (found.length === 1) return found[0]!.plan;
  const unknown = tried.filter((c) => {
    if (c.plan.ok) return false;
    const table = tableOf(state, c.exchange).table;
    const decision = settleExchangeType(c.exchange, table, state.types[c.exchange], state.workers);
    return !decision.ok && decision.unknown;
  });
  if (found.length === 0 && unknown.length > 0) {
    return {
      ok: false,
      reason: `refuse: exchange type unknown: give --exchange-type NAME=TYPE (routing key ${showText(routingKey)} is no declared queue; exchange(s) ${unknown.map((c) => showText(c.exchange)).join(', ')} may route it, but their bindings do not tell direct from fanout and no worker answered active_queues to say which)`,
    };
  }
  const fanout = tried.find((c) => !c.plan.ok && c.plan.fanout);
  if (found.length === 0 && fanout) return fanout.plan;
  if (found.length === 0) {
    return {
      ok: false,
      reason: `refuse: no queue matches: routing key ${showText(routingKey)} is no declared queue and no exchange's bindings route it (give --queue)`,
    };
  }
  const names = found.map((c) => showText(c.exchange)).join(', ');
  return {
    ok: false,
    reason: `refuse: routing key ${showText(routingKey)} is routed by several exchanges (${names}) and the original's exchange is not known: give --queue`,
  };
}

function pair(restore: { exchange: string; routingKey: string }) {
  return { exchange: restore.exchange, routingKey: restore.routingKey };
}

/**
 * `raw` with `properties.delivery_info.exchange` and `.routing_key` replaced (every other byte kept),
 * or null when the message lacks either field.
 */
export function withDeliveryInfo(raw: string, exchange: string, routingKey: string): string | null {
  const info = ['properties', 'delivery_info'] as const;
  const withExchange = spliceJsonValue(raw, [...info, 'exchange'], JSON.stringify(exchange));
  return withExchange === null
    ? null
    : spliceJsonValue(withExchange, [...info, 'routing_key'], JSON.stringify(routingKey));
}
