/**
 * Recovering a task's original call for a retry, from the best source available (wire doc 5.2 step 6),
 * in this order:
 * 1. its message, still in a queue or in `unacked` (a revoked or lost task): the exact body text;
 * 2. `result_extended` meta (wire doc 9.1): `name`, `args`, `kwargs`, `queue`, args and kwargs taken
 *    as their raw JSON text;
 * 3. the exact JSON args qtop's model holds (from a queue peek or extended meta seen earlier);
 * 4. the `task-received` event's reprs, parsed by the strict Python-literal parser.
 * Raw JSON text is passed through rather than re-serialized, so `__type__` markers (wire doc 10.1),
 * `1.0` and big integers stay exactly as sent. Anything that cannot be exact is refused with reasons.
 */
import { stringifyExact } from '../../src/celery/json-exact.js';
import { inexactJsonNumber, jsonValueText } from '../../src/celery/json-span.js';
import { resultKey } from '../../src/celery/names.js';
import { parsePythonLiteral } from '../../src/celery/py-literal.js';
import { decodeResultMeta } from '../../src/celery/result-meta.js';
import { metaStamps } from '../../src/celery/stamps.js';
import type { Json, JsonObject, TaskMessage } from '../../src/celery/types.js';
import { type FoundMessage, findInQueue, findInUnacked, knownQueues } from './message-find.js';
import type { ControlRuntime } from './runtime.js';

/** Where a retry's call came from (reported in the outcome's `details.retried`). */
export type CallSource =
  | 'queued-message'
  | 'unacked-message'
  | 'result-extended'
  | 'model-json'
  | 'event-repr';

/** A call recovered exactly. */
export interface RecoveredCall {
  source: CallSource;
  name: string;
  /**
   * Where the original went: its `delivery_info.routing_key` (a message, extended meta, which stores
   * the routing key as `queue`), or the queue qtop saw it in; null when the source does not say.
   */
  queue: string | null;
  /** The original's exchange, when its message says (`''` is the default exchange); else null. */
  exchange: string | null;
  /** The original message when it still waits in a queue or in `unacked`: a retry must not copy it blindly. */
  found: FoundMessage | null;
  /** Headers to carry that the source keeps outside a message (5.3+ stamps from extended meta). */
  extraHeaders: JsonObject | null;
  priority: number;
  /** The body to publish, as raw JSON text `[args, kwargs, embed]` (wire doc 5.1). */
  bodyText: string;
  args: Json[];
  kwargs: JsonObject;
  /** The original message, when the source is one: its headers and reprs are kept on the retry. */
  message: TaskMessage | null;
  argsRepr: string | null;
  kwargsRepr: string | null;
}

/** A recovered call, or the reasons it cannot be exact; `notFound` when no source knew the task. */
export type Recovery =
  | { ok: true; call: RecoveredCall }
  | { ok: false; reasons: string[]; notFound: boolean; final?: boolean };

const DEFAULT_EMBED = '{"callbacks": null, "errbacks": null, "chain": null, "chord": null}';

/** A source that has the task but cannot give its call exactly; `final` stops the search. */
function refuse(reason: string, final = false): Recovery {
  return { ok: false, reasons: [reason], notFound: false, final };
}

/** The body text of a found message: protocol 2 bodies whole, protocol 1 rebuilt from raw spans. */
function messageBody(found: FoundMessage): string | null {
  const envelopeBody = jsonValueText(found.raw, ['body']);
  if (envelopeBody === null) return null;
  const body = JSON.parse(envelopeBody) as unknown;
  if (typeof body !== 'string') return null;
  const encoding = found.message.envelope.properties.body_encoding;
  const text = encoding === 'base64' ? Buffer.from(body, 'base64').toString('utf8') : body;
  if (found.message.protocol === 2) return text;
  const args = jsonValueText(text, ['args']) ?? '[]';
  const kwargs = jsonValueText(text, ['kwargs']) ?? '{}';
  return `[${args}, ${kwargs}, ${JSON.stringify(found.message.embed)}]`;
}

async function fromMessage(rt: ControlRuntime, taskId: string): Promise<Recovery | null> {
  const { broker, wire, signal, lookup } = rt.ctx;
  const hinted = lookup.task(taskId)?.queue;
  const queues = hinted ? [hinted] : await knownQueues(broker, wire);
  let found: FoundMessage | null = null;
  for (const queue of queues) if (!found) found = await findInQueue(broker, wire, queue, taskId, signal);
  found ??= await findInUnacked(broker, wire, taskId, signal);
  if (!found) return null;
  const m = found.message;
  if (m.payloadNote !== null || m.args === null || m.kwargs === null) {
    const type = found.message.envelope.contentType ?? 'no content-type';
    const why = `its message is not JSON (${m.payloadNote ?? type}): qtop publishes JSON only`;
    return refuse(why, true);
  }
  const bodyText = messageBody(found);
  if (bodyText === null) return refuse('its message body could not be read');
  const source = found.where === 'queue' ? 'queued-message' : 'unacked-message';
  const { name, args, kwargs, argsRepr, kwargsRepr } = m;
  const routed = m.exchange !== null && m.routingKey !== null;
  const call = {
    source,
    name,
    queue: routed ? m.routingKey : found.queue,
    exchange: routed ? m.exchange : null,
    found,
    extraHeaders: null,
    priority: m.priority ?? 0,
    bodyText,
    args,
    kwargs,
    argsRepr,
    kwargsRepr,
  } as const;
  return { ok: true, call: { ...call, message: m } };
}

async function fromMeta(rt: ControlRuntime, taskId: string): Promise<Recovery | null> {
  const raw = rt.ctx.backend ? await rt.ctx.backend.get(resultKey(taskId)) : null;
  if (raw === null) return null;
  const meta = decodeResultMeta(raw);
  if (!meta.ok) return refuse(`its result meta is unreadable (${meta.reason})`);
  const ext = meta.value.extended;
  if (!ext) return refuse('its result meta holds no call (result_extended is off)');
  const args = jsonValueText(raw, ['args']);
  const kwargs = jsonValueText(raw, ['kwargs']);
  if (!ext.name || !ext.args || !ext.kwargs || args === null || kwargs === null) {
    const why = ext.name ? 'no args/kwargs' : 'no task name (an unregistered task)';
    return refuse(`its extended result meta has ${why}`);
  }
  const bodyText = `[${args}, ${kwargs}, ${DEFAULT_EMBED}]`;
  const call = {
    source: 'result-extended',
    name: ext.name,
    queue: ext.queue,
    exchange: null,
    found: null,
    extraHeaders: stampHeaders(raw),
    priority: 0,
    bodyText,
  } as const;
  return {
    ok: true,
    call: { ...call, args: ext.args, kwargs: ext.kwargs, message: null, argsRepr: null, kwargsRepr: null },
  };
}

function fromModel(rt: ControlRuntime, taskId: string): Recovery | null {
  const task = rt.ctx.lookup.task(taskId);
  if (!task) return null;
  if (!task.name) return refuse('qtop does not know its task name');
  const reprs = { argsRepr: task.argsRepr, kwargsRepr: task.kwargsRepr };
  const base = {
    name: task.name,
    queue: task.queue,
    exchange: null,
    found: null,
    extraHeaders: null,
    priority: 0,
    message: null,
    ...reprs,
  };
  // JSON.parse already turned 1.0 into 1; the repr (when known) tells whether that happened.
  const float = inexactReprNumber(`${task.argsRepr ?? ''} ${task.kwargsRepr ?? ''}`);
  if (float) return refuse(`its args hold the float ${float}, which JSON held by qtop cannot keep exact`);
  if (task.args && task.kwargs) {
    // Numbers kept as written (big integers, NaN) go back out as written.
    const bodyText = stringifyExact([task.args, task.kwargs, JSON.parse(DEFAULT_EMBED)], {
      nonFinite: 'raw',
    });
    const big = inexactJsonNumber(bodyText);
    if (big) return refuse(`its args hold ${big}, beyond what JSON held by qtop keeps exact`);
    return {
      ok: true,
      call: { ...base, source: 'model-json', bodyText, args: task.args, kwargs: task.kwargs },
    };
  }
  if (task.argsRepr === null || task.kwargsRepr === null)
    return refuse('qtop saw no task-received event with its args');
  const args = parsePythonLiteral(task.argsRepr);
  const kwargs = parsePythonLiteral(task.kwargsRepr);
  const reasons: string[] = [];
  if (!args.ok) reasons.push(`args repr: ${args.reason}`);
  else if (!Array.isArray(args.value)) reasons.push('args repr is not a tuple or list');
  if (!kwargs.ok) reasons.push(`kwargs repr: ${kwargs.reason}`);
  else if (kwargs.value === null || typeof kwargs.value !== 'object' || Array.isArray(kwargs.value)) {
    reasons.push('kwargs repr is not a dict');
  }
  if (reasons.length || !args.ok || !kwargs.ok) return { ok: false, reasons, notFound: false };
  const a = args.value as Json[];
  const k = kwargs.value as JsonObject;
  const bodyText = JSON.stringify([a, k, JSON.parse(DEFAULT_EMBED)]);
  return { ok: true, call: { ...base, source: 'event-repr', bodyText, args: a, kwargs: k } };
}

/**
 * Celery >= 5.3 copies a task's stamps into its extended meta (`stamped_headers` and each stamp at
 * the top level); a retry from the meta carries them back as the message headers the worker reads.
 */
function stampHeaders(raw: string): JsonObject | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const stamps = metaStamps(parsed as JsonObject);
  if (!stamps) return null;
  return { stamped_headers: Object.keys(stamps), stamps };
}

/** Recover the call of `taskId`, or the reasons (per source) why it cannot be exact. */
export async function recoverCall(rt: ControlRuntime, taskId: string): Promise<Recovery> {
  const reasons: string[] = [];
  let seen = false;
  for (const step of [fromMessage, fromMeta, fromModel]) {
    const found = await step(rt, taskId);
    if (found === null) continue;
    if (found.ok) return found;
    seen = true;
    reasons.push(...found.reasons);
    if (found.final) break;
  }
  if (!seen) reasons.push('it is not queued, has no result meta, and qtop holds nothing about it');
  return { ok: false, reasons, notFound: !seen };
}

/**
 * The first float literal in a Python repr whose value is whole (`1.0`, `1e+16`): JSON numbers in JS
 * would publish it as an int. Strings are skipped (both quote styles, backslash escapes).
 */
export function inexactReprNumber(repr: string): string | null {
  const token = /'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|\b\d+\.\d*(?:[eE][+-]?\d+)?|\b\d+[eE][+-]?\d+/g;
  for (const match of repr.matchAll(token)) {
    const t = match[0];
    if (t.startsWith("'") || t.startsWith('"')) continue;
    if (Number.isInteger(Number(t))) return t;
  }
  return null;
}
