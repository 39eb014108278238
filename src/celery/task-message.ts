import {
  asArray,
  asBoolean,
  asNumber,
  asObject,
  asString,
  fail,
  field,
  guarded,
  isObject,
  jsonField,
  ok,
  typeName,
} from './decoded.js';
import { decodeEnvelope } from './envelope.js';
import { messageStamps } from './stamps.js';
import type { Decoded, Envelope, Json, JsonObject, TaskMessage } from './types.js';

/**
 * Decode a task message as it sits in a queue list (wire doc 5): the envelope, then the
 * protocol 2 headers or the protocol 1 body. Never throws.
 */
export function decodeTaskMessage(raw: string): Decoded<TaskMessage> {
  return guarded('task message', () => {
    const envelope = decodeEnvelope(raw);
    return envelope.ok ? taskMessageFromEnvelope(envelope.value) : envelope;
  });
}

/**
 * Read a task out of an already decoded envelope. Protocol 2 when `headers.task` exists
 * (wire doc 5.1), else protocol 1. An opaque (pickle, msgpack...) protocol 2 payload still
 * decodes from its headers, with null args/kwargs and `payloadNote` saying why.
 */
export function taskMessageFromEnvelope(env: Envelope): Decoded<TaskMessage> {
  return guarded('task message', () => {
    if (!isObject(env) || !isObject(env.headers) || !isObject(env.payload)) return fail('not an envelope');
    return field(env.headers, 'task') !== undefined ? protocol2(env) : protocol1(env);
  });
}

/** Everything that comes from the envelope rather than the task fields. */
function fromEnvelope(env: Envelope) {
  return {
    routingKey: env.deliveryInfo?.routingKey ?? null,
    exchange: env.deliveryInfo?.exchange ?? null,
    priority: env.priority,
    deliveryTag: env.deliveryTag,
    redelivered: env.redelivered,
    envelope: env,
  };
}

function protocol2(env: Envelope): Decoded<TaskMessage> {
  const h = env.headers;
  const name = asString(field(h, 'task'));
  if (!name) return fail('missing headers.task');
  const id = asString(field(h, 'id'));
  if (!id) return fail('missing headers.id');

  let args: Json[] | null = null;
  let kwargs: JsonObject | null = null;
  let embed: Json = null;
  let payloadNote: string | null = null;
  if (env.payload.kind === 'opaque') {
    payloadNote = env.payload.reason;
  } else {
    // Exactly [args, kwargs, embed]; a two-item body crash-loops a 5.2 worker (wire doc 5.1).
    const body = env.payload.value;
    if (!Array.isArray(body)) return fail(`protocol 2 body is not an array (${typeName(body)})`);
    if (body.length !== 3) return fail(`protocol 2 body has ${body.length} items, expected 3`);
    args = asArray(body[0]);
    if (!args) return fail(`args is not an array (${typeName(body[0])})`);
    kwargs = asObject(body[1]);
    if (!kwargs) return fail(`kwargs is not an object (${typeName(body[1])})`);
    embed = body[2] ?? null;
    if (embed !== null && !isObject(embed)) return fail(`embed is not an object (${typeName(embed)})`);
    // A note even though args decoded: writers that pass the body through must not take the
    // compressed bytes for JSON text (they refuse on any payloadNote).
    if (env.payload.compressed)
      payloadNote = `${env.payload.compressed}-compressed body, decoded for display`;
  }

  return ok({
    protocol: 2,
    id,
    name,
    args,
    kwargs,
    embed,
    argsRepr: asString(field(h, 'argsrepr')),
    kwargsRepr: asString(field(h, 'kwargsrepr')),
    eta: asString(field(h, 'eta')),
    expires: asString(field(h, 'expires')),
    retries: asNumber(field(h, 'retries')) ?? 0,
    rootId: asString(field(h, 'root_id')),
    parentId: asString(field(h, 'parent_id')),
    groupId: asString(field(h, 'group')),
    origin: asString(field(h, 'origin')),
    shadow: asString(field(h, 'shadow')),
    timeLimit: timeLimit(field(h, 'timelimit')),
    ignoreResult: asBoolean(field(h, 'ignore_result')) ?? false,
    payloadNote,
    ...stampsOf(h),
    ...fromEnvelope(env),
  });
}

/** Legacy protocol 1: everything in a body object {task, id, args, kwargs, ...} (wire doc 5.1). */
function protocol1(env: Envelope): Decoded<TaskMessage> {
  if (env.payload.kind === 'opaque') {
    return fail(`${env.payload.reason}; no headers.task and protocol 1 keeps the name in the body`);
  }
  const body = env.payload.value;
  if (!isObject(body)) return fail(`no headers.task and body is not a protocol 1 object (${typeName(body)})`);
  const name = asString(field(body, 'task'));
  if (!name) return fail('missing headers.task and body.task');
  const id = asString(field(body, 'id'));
  if (!id) return fail('missing body.id');
  const rawArgs = field(body, 'args') ?? [];
  const args = asArray(rawArgs);
  if (!args) return fail(`args is not an array (${typeName(rawArgs)})`);
  const rawKwargs = field(body, 'kwargs') ?? {};
  const kwargs = asObject(rawKwargs);
  if (!kwargs) return fail(`kwargs is not an object (${typeName(rawKwargs)})`);

  return ok({
    protocol: 1,
    id,
    name,
    args,
    kwargs,
    // Protocol 1 keeps the workflow links at the top level; present them like protocol 2's embed.
    embed: {
      callbacks: jsonField(body, 'callbacks'),
      errbacks: jsonField(body, 'errbacks'),
      chain: null,
      chord: jsonField(body, 'chord'),
    },
    argsRepr: null,
    kwargsRepr: null,
    eta: asString(field(body, 'eta')),
    expires: asString(field(body, 'expires')),
    retries: asNumber(field(body, 'retries')) ?? 0,
    rootId: null,
    parentId: null,
    groupId: asString(field(body, 'taskset')),
    origin: null,
    shadow: null,
    timeLimit: timeLimit(field(body, 'timelimit')),
    ignoreResult: false,
    payloadNote: null,
    ...fromEnvelope(env),
  });
}

/** `timelimit` is `[hard, soft]` seconds, each possibly null (wire doc 5.1). */
function timeLimit(value: Json | undefined): [number | null, number | null] {
  const pair = asArray(value);
  return [asNumber(pair?.[0]), asNumber(pair?.[1])];
}

/** `{stamps}` only when the message carries any, so unstamped messages keep their old shape. */
function stampsOf(headers: JsonObject): { stamps?: JsonObject } {
  const stamps = messageStamps(headers);
  return stamps ? { stamps } : {};
}
