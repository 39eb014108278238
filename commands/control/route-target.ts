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
import { type ExchangeType, restoreDeliveryInfo, routeMessage, showText } from '../../src/celery/routing.js';
import { detectSep, priorityListKey } from '../../src/celery/routing-sep.js';
import { type BindingTable, readTaskBindingTables } from '../../src/sources/binding-table.js';

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

export type RoutePlan = { ok: true; targets: ListTarget[]; via: string } | { ok: false; reason: string };

/** The binding tables of one moment, plus the operator's type overrides. */
export interface RoutingState {
  wire: WireOptions;
  tables: BindingTable[];
  /** Queues some task binding names: the queues workers or producers declared. */
  queues: Set<string>;
  types: ExchangeTypes;
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
  const restore = restoreDeliveryInfo(queue, original, tableOf(state, exchange).table, state.types[exchange]);
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
  const override = state.types[exchange];
  const route = routeMessage(
    exchange,
    routingKey,
    table,
    override ? { override, undecodable } : { undecodable },
  );
  if (!route.ok) return route;
  if (route.delivery === 'pubsub') {
    return {
      ok: false,
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
  const found = state.tables
    .map((t) => ({ exchange: t.exchange, plan: planByExchange(state, t.exchange, routingKey, rawPriority) }))
    .filter((c): c is { exchange: string; plan: RoutePlan & { ok: true } } => c.plan.ok);
  if (found.length === 1) return found[0]!.plan;
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
