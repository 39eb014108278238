/**
 * Every Redis key and pub/sub channel name qtop reads or writes, derived from {@link WireOptions}
 * exactly as kombu 5.2's Redis transport and Celery 5.2 derive them (wire doc sections 1 and 2).
 * Nothing else in qtop should spell `_kombu.binding.`, `celery-task-meta-` or a separator.
 */
import type { WireOptions } from './options.js';

/** kombu's priority bounds: a message priority is clamped to 0..9 before bucketing (wire doc 2). */
const MIN_PRIORITY = 0;
const MAX_PRIORITY = 9;

/** Escape Redis glob metacharacters so `text` matches only itself inside SCAN MATCH / PSUBSCRIBE. */
export function globEscape(text: string): string {
  return text.replace(/[\\*?[\]]/g, (ch) => `\\${ch}`);
}

/** `opts.globalKeyprefix + name`: kombu prefixes every broker key and channel (wire doc 2). */
export function prefixed(opts: WireOptions, name: string): string {
  return `${opts.globalKeyprefix}${name}`;
}

/**
 * The key with `globalKeyprefix` removed, or null when the key does not carry the prefix (it then
 * belongs to another app sharing the database). With an empty prefix every key is returned as is.
 */
export function stripKeyPrefix(opts: WireOptions, key: string): string | null {
  return key.startsWith(opts.globalKeyprefix) ? key.slice(opts.globalKeyprefix.length) : null;
}

/**
 * The priority list a message lands in (wire doc 2): clamp to 0..9, then the largest step not above
 * it, so 0,1,2 -> 0 and 7 -> 6 with the default steps, and 255 -> 9. A non-numeric priority counts as
 * 0, like kombu's `default_priority`. Steps are searched as kombu's `bisect` does, so a priority
 * below the first step wraps to the last step (only possible with steps that lack 0).
 */
export function priorityStep(opts: WireOptions, priority: number): number {
  const steps = opts.prioritySteps;
  const p = Number.isFinite(priority)
    ? Math.max(MIN_PRIORITY, Math.min(Math.trunc(priority), MAX_PRIORITY))
    : 0;
  let index = 0; // bisect_right(steps, p)
  while (index < steps.length && steps[index]! <= p) index++;
  return steps.at(index - 1) ?? 0;
}

/** kombu's `_q_for_pri`: step 0 is the bare queue name, other steps append `sep + step` (wire doc 2). */
export function queueName(opts: WireOptions, queue: string, step: number): string {
  return step ? `${queue}${opts.sep}${step}` : queue;
}

/** The LIST key holding `queue`'s ready messages of one priority step, with the global prefix. */
export function queueListKey(opts: WireOptions, queue: string, step: number): string {
  return prefixed(opts, queueName(opts, queue, step));
}

/**
 * All LIST keys of a queue, in the order a worker's BRPOP serves them (configured step order;
 * step 0 first with the defaults, wire doc 3.2). Summing their LLENs gives the queue length.
 */
export function queueListKeys(opts: WireOptions, queue: string): { step: number; key: string }[] {
  return opts.prioritySteps.map((step) => ({ step, key: queueListKey(opts, queue, step) }));
}

/** The SET of queue bindings of one exchange: `{prefix}_kombu.binding.{exchange}` (wire doc 3.1). */
export function bindingKey(opts: WireOptions, exchange: string): string {
  return prefixed(opts, `_kombu.binding.${exchange}`);
}

/** SCAN MATCH pattern finding every binding set of this app (the prefix is glob-escaped). */
export function bindingScanPattern(opts: WireOptions): string {
  return `${globEscape(opts.globalKeyprefix)}_kombu.binding.*`;
}

/** The exchange name of a binding key found by {@link bindingScanPattern}, or null for a foreign key. */
export function exchangeOfBindingKey(opts: WireOptions, key: string): string | null {
  const bare = stripKeyPrefix(opts, key);
  return bare?.startsWith('_kombu.binding.') ? bare.slice('_kombu.binding.'.length) : null;
}

/** A binding set member: `routing_key SEP pattern SEP queue`. Members are never prefixed (wire doc 2). */
export function bindingMember(opts: WireOptions, routingKey: string, pattern: string, queue: string): string {
  return [routingKey, pattern, queue].join(opts.sep);
}

/**
 * Whether a binding exchange holds task queues. The event exchange and every pidbox exchange
 * (`{name}.pidbox`, `reply.{name}.pidbox`) hold bookkeeping bindings only (wire doc 3.1).
 */
export function isTaskExchange(opts: WireOptions, exchange: string): boolean {
  return exchange !== opts.eventExchange && !exchange.endsWith('.pidbox');
}

/**
 * kombu's fanout channel prefix (wire doc 2): `/{db}.` by default, none when `fanout_prefix` is
 * false, and a given string with `{db}` substituted. Pub/sub ignores SELECT, so this is what keeps
 * databases apart.
 */
export function fanoutPrefix(opts: WireOptions): string {
  if (opts.fanoutPrefix === false) return '';
  const template = opts.fanoutPrefix === true ? '/{db}.' : opts.fanoutPrefix;
  return opts.fanoutPrefixLiteral ? template : template.replaceAll('{db}', String(opts.db));
}

/**
 * kombu's `_get_publish_topic`: `{prefix}{fanout}{exchange}/{routing_key}` when `fanout_patterns`
 * is on and the routing key is not empty, else `{prefix}{fanout}{exchange}` (wire doc 2, 6.1, 7.1).
 */
export function fanoutChannel(opts: WireOptions, exchange: string, routingKey: string): string {
  const base = `${fanoutPrefix(opts)}${exchange}`;
  return prefixed(opts, routingKey && opts.fanoutPatterns ? `${base}/${routingKey}` : base);
}

/** The channel an event with this routing key (`task.multi`, `worker.heartbeat`) is published on. */
export function eventChannel(opts: WireOptions, routingKey: string): string {
  return fanoutChannel(opts, opts.eventExchange, routingKey);
}

/**
 * What to PSUBSCRIBE to receive every event (wire doc 6.1): `{prefix}/{db}.celeryev/*`, or the one
 * shared channel when `fanout_patterns` is off. Literal parts are glob-escaped either way.
 */
export function eventChannelPattern(opts: WireOptions): string {
  const base = globEscape(prefixed(opts, `${fanoutPrefix(opts)}${opts.eventExchange}`));
  return opts.fanoutPatterns ? `${base}/*` : base;
}

/** The routing key an event type travels under: `task-sent` -> `task.sent` (wire doc 6.1). */
export function eventRoutingKey(type: string): string {
  return type.replaceAll('-', '.');
}

/** The mailbox (control) exchange: `{control_exchange}.pidbox` (wire doc 2). */
export function mailboxExchange(opts: WireOptions): string {
  return `${opts.controlExchange}.pidbox`;
}

/** The reply exchange: `reply.{control_exchange}.pidbox` (wire doc 2). */
export function replyExchange(opts: WireOptions): string {
  return `reply.${opts.controlExchange}.pidbox`;
}

/** The broadcast channel of control requests; the routing key is empty so none is appended (wire doc 7.1). */
export function pidboxChannel(opts: WireOptions): string {
  return fanoutChannel(opts, mailboxExchange(opts), '');
}

/** The SET with one `SEP SEP {node}.{control}.pidbox` member per running worker (wire doc 3.1). */
export function mailboxBindingKey(opts: WireOptions): string {
  return bindingKey(opts, mailboxExchange(opts));
}

/** The worker node name in a {@link mailboxBindingKey} member, or null when the member has another form. */
export function nodeOfMailboxMember(opts: WireOptions, member: string): string | null {
  const suffix = `.${mailboxExchange(opts)}`;
  const lead = `${opts.sep}${opts.sep}`;
  if (!member.startsWith(lead) || !member.endsWith(suffix)) return null;
  const node = member.slice(lead.length, member.length - suffix.length);
  return node && !node.includes(opts.sep) ? node : null;
}

/** The SET a control client must add its reply binding to before publishing (wire doc 7.2 step 2). */
export function replyBindingKey(opts: WireOptions): string {
  return bindingKey(opts, replyExchange(opts));
}

/** The name of a control client's reply queue: `{oid}.reply.{control}.pidbox` (wire doc 7.2). */
export function replyQueueName(opts: WireOptions, oid: string): string {
  return `${oid}.${replyExchange(opts)}`;
}

/** The reply binding member `{oid} SEP SEP {oid}.reply.celery.pidbox`; without it replies are dropped. */
export function replyBindingMember(opts: WireOptions, oid: string): string {
  return bindingMember(opts, oid, '', replyQueueName(opts, oid));
}

/** Every list a reply may land in: base and priority variants, prefixed (BRPOP them, then DEL them). */
export function replyQueueKeys(opts: WireOptions, oid: string): string[] {
  return queueListKeys(opts, replyQueueName(opts, oid)).map((entry) => entry.key);
}

/** The `unacked` HASH of delivered-but-unacked messages (wire doc 3.3), prefixed. */
export function unackedKey(opts: WireOptions): string {
  return prefixed(opts, opts.unackedKey);
}

/** The `unacked_index` ZSET of delivery times (wire doc 3.3), prefixed. */
export function unackedIndexKey(opts: WireOptions): string {
  return prefixed(opts, opts.unackedIndexKey);
}

/**
 * The result backend's key prefix as Celery applies it (celery/backends/base.py
 * `_add_global_keyprefix`): `global_keyprefix` from `result_backend_transport_options`, with `_`
 * appended unless it already ends in one of `:_-.`. Task, group and chord keys all carry it.
 */
export function backendKeyprefix(raw: string): string {
  if (!raw) return '';
  return ':_-.'.includes(raw.at(-1)!) ? raw : `${raw}_`;
}

/** Task meta key; also its PUBLISH channel (wire doc 9.1, 10.2). `prefix` is {@link backendKeyprefix}'s. */
export function resultKey(taskId: string, prefix = ''): string {
  return `${prefix}celery-task-meta-${taskId}`;
}

/** SCAN MATCH pattern for every task meta key in the backend database (the prefix glob-escaped). */
export function resultKeyPattern(prefix = ''): string {
  return `${globEscape(prefix)}celery-task-meta-*`;
}

/**
 * PSUBSCRIBE pattern for result notifications. Pub/sub has no database, so it hears every db and
 * every app on the server (wire doc 9.1): result-source.ts checks each against the backend db.
 */
export function resultChannelPattern(prefix = ''): string {
  return resultKeyPattern(prefix);
}

/** The task id inside a {@link resultKey} (or result channel), or null for another key. */
export function taskIdOfResultKey(key: string, prefix = ''): string | null {
  const head = `${prefix}celery-task-meta-`;
  return key.startsWith(head) ? key.slice(head.length) || null : null;
}

/** `GroupResult.save()`'s key (wire doc 9.2), with the backend prefix. */
export function groupResultKey(groupId: string, prefix = ''): string {
  return `${prefix}celery-taskset-meta-${groupId}`;
}
