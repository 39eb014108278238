/**
 * Route an (exchange, routing key) to queues exactly as kombu's virtual transport does over the
 * `_kombu.binding.{exchange}` table (kombu/transport/virtual/base.py `_lookup`, exchange.py), so
 * qtop's writes (retry, move) land where a Celery producer's would, and a later restore by kombu
 * (`redis.py _do_restore_message`: warm shutdown, lost worker, visibility timeout) finds the same
 * queue. Pure: the caller reads the binding set (SMEMBERS) and passes its members in.
 *
 * The exchange TYPE is not stored in Redis: kombu's `Channel.typeof(exchange, default='direct')`
 * reads it from `state.exchanges`, the in-memory declarations of the process doing the lookup.
 * A worker that declared `Exchange('tasks', type='topic')` routes topic; a process that never
 * declared it (another worker restoring `unacked` on start, a plain producer) routes the same
 * exchange as direct. qtop therefore infers the type (see {@link inferExchangeType}), accepts an
 * override (`--exchange-type NAME=topic`), and when it keeps a message's exchange for a later
 * restore, requires that both readings agree (see {@link restoreDeliveryInfo}).
 */
import type { Binding } from './types.js';

export type ExchangeType = 'direct' | 'topic' | 'fanout';

/**
 * `--exchange-type NAME=TYPE` values (repeatable) -> overrides by exchange name, or the first bad
 * value's one-line reason. For the command layer; kombu's types are direct, topic and fanout.
 */
export function parseExchangeTypes(
  values: readonly string[],
): { ok: true; types: Map<string, ExchangeType> } | { ok: false; reason: string } {
  const types = new Map<string, ExchangeType>();
  for (const value of values) {
    const eq = value.lastIndexOf('=');
    const name = eq > 0 ? value.slice(0, eq) : '';
    const type = value.slice(eq + 1);
    if (!name || (type !== 'direct' && type !== 'topic' && type !== 'fanout')) {
      return { ok: false, reason: `--exchange-type takes NAME=direct|topic|fanout, got ${showText(value)}` };
    }
    types.set(name, type);
  }
  return { ok: true, types };
}

/** Where the type came from, for the reason text shown to the operator. */
export type TypeSource = 'anon' | 'override' | 'workers' | 'pattern' | 'pidbox' | 'default';

export interface TypedExchange {
  type: ExchangeType;
  source: TypeSource;
}

/** Where a message goes: queue lists (LPUSH per queue), or one PUBLISH (fanout). */
export type Route =
  | { ok: true; delivery: 'lists'; queues: string[]; type: ExchangeType | 'anon'; source: TypeSource }
  | { ok: true; delivery: 'pubsub'; queues: string[]; type: 'fanout'; source: TypeSource }
  | { ok: false; reason: string };

/** kombu's topic wildcards (exchange.py `TopicExchange.wildcards`), as Python regex text. */
const topicWildcards: Record<string, string> = { '*': '.*?[^\\.]', '#': '.*?' };

/**
 * kombu's `escape_regex(rkey, '.#*')` (kombu/utils/text.py): every character that is not
 * alphanumeric (Python's `str.isalnum`) or one of `.#*` is backslash-escaped; NUL becomes `\000`.
 */
function escapeRegex(text: string): string {
  let out = '';
  for (const ch of text) {
    if (/^[\p{L}\p{N}]$/u.test(ch) || '.#*'.includes(ch)) out += ch;
    else out += ch === '\0' ? '\\000' : `\\${ch}`;
  }
  return out;
}

/**
 * `TopicExchange.key_to_pattern`: the Python regex text kombu stores as a topic binding's pattern,
 * e.g. `task.#` -> `^task\..*?$`. A word is replaced only when it is exactly `*` or `#`.
 */
export function topicKeyToPattern(routingKey: string): string {
  const words = escapeRegex(routingKey).split('.');
  return `^${words.map((word) => topicWildcards[word] ?? word).join('\\.')}$`;
}

/**
 * A JS RegExp that accepts exactly what Python's `re.match(key_to_pattern(rkey), key)` accepts.
 * Built from the binding's routing key, not by re-reading Python regex text: Python's `.` excludes
 * only `\n` (JS's also `\r`, U+2028/9), and Python's `$` also matches before one final `\n`.
 * Escapes from escapeRegex (`\X` for a non-alphanumeric X) mean the same in JS without the `u` flag.
 */
function topicMatcher(routingKey: string): RegExp {
  const js: Record<string, string> = { '*': '[^\\n]*?[^.]', '#': '[^\\n]*?' };
  const words = escapeRegex(routingKey)
    .split('.')
    .map((word) => js[word] ?? word.replace(/\\000/g, '\\x00'));
  return new RegExp(`^${words.join('\\.')}(?=\\n?$)`);
}

const matcherCache = new Map<string, RegExp | null>();

/** The matcher of one topic binding, or null when its pattern is not kombu's for its routing key. */
function topicBindingMatcher(binding: Binding): RegExp | null {
  const cacheKey = `${binding.routingKey}\0${binding.pattern}`;
  let matcher = matcherCache.get(cacheKey);
  if (matcher === undefined) {
    try {
      matcher =
        binding.pattern === topicKeyToPattern(binding.routingKey) ? topicMatcher(binding.routingKey) : null;
    } catch {
      matcher = null; // a Python regex JS rejects (e.g. `a*+`): never evaluated by a guess
    }
    if (matcherCache.size > 10_000) matcherCache.clear();
    matcherCache.set(cacheKey, matcher);
  }
  return matcher;
}

/**
 * The type kombu most likely uses for `exchange`, from the table alone: only a topic bind writes a
 * pattern (`prepare_bind`; direct and fanout store `None`, i.e. an empty middle part), Celery's
 * mailbox `{control}.pidbox` is fanout (its `reply.` twin is direct), and everything else is
 * kombu's `typeof` default, direct. An override from the operator wins.
 */
export function inferExchangeType(
  exchange: string,
  table: readonly Binding[],
  override?: ExchangeType,
  overrideSource: TypeSource = 'override',
): TypedExchange {
  if (override) return { type: override, source: overrideSource };
  if (table.some((b) => b.pattern !== '')) return { type: 'topic', source: 'pattern' };
  if (exchange.endsWith('.pidbox') && !exchange.startsWith('reply.'))
    return { type: 'fanout', source: 'pidbox' };
  return { type: 'direct', source: 'default' };
}

/**
 * Queues a type's `lookup` returns, sorted (kombu returns a set). `foreign`: topic bindings whose
 * pattern is not kombu's `key_to_pattern` of their routing key, which qtop does not evaluate.
 */
export function lookupQueues(
  type: ExchangeType,
  table: readonly Binding[],
  routingKey: string,
): { queues: string[]; foreign: Binding[] } {
  const queues = new Set<string>();
  const foreign: Binding[] = [];
  for (const b of table) {
    if (type === 'fanout') queues.add(b.queue);
    else if (type === 'direct') {
      if (b.routingKey === routingKey) queues.add(b.queue);
    } else {
      const matcher = topicBindingMatcher(b);
      if (matcher === null) foreign.push(b);
      else if (matcher.test(routingKey)) queues.add(b.queue);
    }
  }
  return { queues: [...queues].sort(), foreign };
}

/** Printable form of a routing key or sep inside a reason (control bytes escaped). */
export function showText(text: string): string {
  return JSON.stringify(text).replace(/\\u00([0-9a-f]{2})/g, '\\x$1');
}

/**
 * Resolve where a message published to (exchange, routingKey) goes, as kombu's `basic_publish` and
 * `_lookup` do. `table` is the decoded `_kombu.binding.{exchange}` set; `undecodable` counts members
 * that do not split into three parts with the configured sep: kombu's own lookup unpacks every member
 * (`for rkey, _, queue in table`) and raises on such a member, so a restore through this exchange
 * would be lost too (`_do_restore_message` logs "Could not restore message"); qtop refuses instead.
 *
 * Fanout (`FanoutExchange.deliver` -> redis `_put_fanout`): the Redis transport does not push a
 * fanout message into any list. It is one PUBLISH on `{fanout prefix}{exchange}[/{routing key}]`;
 * only workers subscribed at that instant (those consuming a queue bound to the exchange, e.g.
 * Celery's `Broadcast`) get a copy, each runs it once, and nothing waits for a worker that is down.
 * If such a worker dies holding it, kombu's restore pushes it into the bound queues' LISTS, which
 * fanout consumers never BRPOP. So a fanout "retry" is at most once per subscribed worker.
 */
export function routeMessage(
  exchange: string,
  routingKey: string,
  table: readonly Binding[],
  options: { override?: ExchangeType; source?: TypeSource; undecodable?: number } = {},
): Route {
  if (!exchange) {
    // `_lookup`: "anon exchange": the routing key is the queue; an empty one goes to the dead-letter
    // queue, which the Redis transport leaves unset (None), so the message would be dropped.
    if (!routingKey)
      return { ok: false, reason: 'refuse: no queue matches: default exchange with an empty routing key' };
    return { ok: true, delivery: 'lists', queues: [routingKey], type: 'anon', source: 'anon' };
  }
  if (options.undecodable) {
    return {
      ok: false,
      reason: `refuse: ${options.undecodable} member(s) of _kombu.binding.${exchange} do not split into routing key, pattern and queue with the configured sep; kombu's own lookup fails on this exchange (check --sep)`,
    };
  }
  if (table.length === 0) {
    return {
      ok: false,
      reason: `refuse: no queue matches: _kombu.binding.${exchange} is empty or missing (no worker declared a queue on exchange ${showText(exchange)})`,
    };
  }
  const typed = inferExchangeType(exchange, table, options.override, options.source);
  const { queues, foreign } = lookupQueues(typed.type, table, routingKey);
  if (foreign.length > 0) {
    return {
      ok: false,
      reason: `refuse: topic binding pattern ${showText(foreign[0]!.pattern)} of queue ${showText(foreign[0]!.queue)} is not kombu's pattern for ${showText(foreign[0]!.routingKey)}; qtop does not guess a regex`,
    };
  }
  if (queues.length === 0) {
    return {
      ok: false,
      reason: `refuse: no queue matches: routing key ${showText(routingKey)} on ${typed.type} exchange ${showText(exchange)} (type ${describeSource(typed)}) matches none of ${table.length} binding(s)`,
    };
  }
  if (typed.type === 'fanout')
    return { ok: true, delivery: 'pubsub', queues, type: 'fanout', source: typed.source };
  return { ok: true, delivery: 'lists', queues, type: typed.type, source: typed.source };
}

function describeSource(typed: TypedExchange): string {
  switch (typed.source) {
    case 'override':
      return 'from --exchange-type';
    case 'workers':
      return "as the workers' active_queues declare it";
    case 'pattern':
      return 'inferred: its bindings carry topic patterns';
    case 'pidbox':
      return "inferred: Celery's mailbox exchange";
    default:
      return "kombu's default; set --exchange-type NAME=topic|fanout if the app declares another";
  }
}

/** `properties.delivery_info` fields a message needs so kombu's restore puts it back in `queue`. */
export interface RestoreTarget {
  exchange: string;
  routingKey: string;
  /** True when the message's own exchange/routing key already resolve to exactly `queue`. */
  kept: boolean;
  why: string;
}

/**
 * The `delivery_info` to write into a message placed in `queue` (move, retry). kombu's restore
 * (`_do_restore_message` -> `_lookup(exchange, routing_key)`, from the `unacked` entry, which the
 * worker copied from `delivery_info`) must find `queue` and only it. The original pair is kept when
 * it resolves to exactly [queue] both under the inferred type and under kombu's default `direct`
 * (a restoring process that never declared the exchange reads it as direct). Otherwise the default
 * exchange `''` with routing key `queue`: `_lookup` returns `[routing_key]` for it without reading
 * any table, and `basic_publish` sends it to the same list if the task later calls `self.retry()`.
 */
export function restoreDeliveryInfo(
  queue: string,
  original: { exchange: string; routingKey: string } | null,
  table: readonly Binding[],
  override?: ExchangeType,
): RestoreTarget {
  if (original?.exchange) {
    const typed = inferExchangeType(original.exchange, table, override);
    const asTyped = typed.type === 'fanout' ? null : lookupQueues(typed.type, table, original.routingKey);
    const asDirect = lookupQueues('direct', table, original.routingKey);
    const exactly = (r: { queues: string[]; foreign: Binding[] } | null) =>
      r !== null && r.foreign.length === 0 && r.queues.length === 1 && r.queues[0] === queue;
    if (exactly(asTyped) && exactly(asDirect)) {
      return {
        ...original,
        kept: true,
        why: `exchange ${showText(original.exchange)} routes back to ${showText(queue)}`,
      };
    }
    return {
      exchange: '',
      routingKey: queue,
      kept: false,
      why: `exchange ${showText(original.exchange)} with routing key ${showText(original.routingKey)} does not route to exactly ${showText(queue)}; default exchange used so a restore finds it`,
    };
  }
  if (original && original.routingKey === queue) return { ...original, kept: true, why: 'default exchange' };
  return { exchange: '', routingKey: queue, kept: false, why: 'default exchange: routing key is the queue' };
}
