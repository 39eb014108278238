import {
  asObject,
  asString,
  asStringArray,
  fail,
  field,
  guarded,
  isObject,
  ok,
  typeName,
} from './decoded.js';
import { decodeEnvelope } from './envelope.js';
import type { Decoded, Json, JsonObject, PidboxReply, PidboxRequest } from './types.js';

/**
 * Decode a control request published on `/{db}.celery.pidbox` (wire doc 7.1). Useful to show
 * what other clients broadcast; a request without `ticket`/`reply_to` is a fire-and-forget
 * cast. Never throws.
 */
export function decodePidboxRequest(raw: string): Decoded<PidboxRequest> {
  return guarded('pidbox request', () => {
    const decoded = jsonBody(raw);
    if (!decoded.ok) return decoded;
    const request = decoded.value.body;
    if (!isObject(request)) return fail(`pidbox request body is not an object (${typeName(request)})`);
    const method = asString(field(request, 'method'));
    if (!method) return fail('pidbox request has no method');
    const args = field(request, 'arguments') ?? {};
    if (!isObject(args)) return fail(`pidbox arguments is not an object (${typeName(args)})`);
    // null means every worker; otherwise a list of node names (wire doc 7.1).
    const rawDestination = field(request, 'destination') ?? null;
    const destination = asStringArray(rawDestination);
    if (rawDestination !== null && destination === null)
      return fail('pidbox destination is not a list of names');

    const replyTo = asObject(field(request, 'reply_to'));
    const replyExchange = replyTo ? asString(field(replyTo, 'exchange')) : null;
    const replyRoutingKey = replyTo ? asString(field(replyTo, 'routing_key')) : null;
    return ok({
      method,
      arguments: args,
      destination,
      pattern: asString(field(request, 'pattern')),
      matcher: asString(field(request, 'matcher')),
      ticket: asString(field(request, 'ticket')),
      replyTo:
        replyExchange !== null && replyRoutingKey !== null
          ? { exchange: replyExchange, routingKey: replyRoutingKey }
          : null,
    });
  });
}

/**
 * Decode one worker's reply from `{oid}.reply.celery.pidbox` (wire doc 7.2): body
 * `{"<node>": value}` with exactly one key, `headers.ticket` to match the request. `value`
 * is kept whole; an `{error: "..."}` value also sets `error` (wire doc 7.3). A null value
 * (the `heartbeat` reply) is valid. Never throws.
 */
export function decodePidboxReply(raw: string): Decoded<PidboxReply> {
  return guarded('pidbox reply', () => {
    const decoded = jsonBody(raw);
    if (!decoded.ok) return decoded;
    const reply = decoded.value.body;
    if (!isObject(reply)) return fail(`pidbox reply body is not an object (${typeName(reply)})`);
    const nodes = Object.keys(reply);
    if (nodes.length !== 1) return fail(`pidbox reply has ${nodes.length} keys, expected 1`);
    const node = nodes[0]!;
    const value: Json = field(reply, node) ?? null;
    const error = isObject(value) ? asString(field(value, 'error')) : null;
    return ok({ ticket: asString(field(decoded.value.headers, 'ticket')), node, value, error });
  });
}

/** A reply in a serializer qtop does not decode (pickle, msgpack, yaml): counted, never interpreted. */
export interface OpaquePidboxReply {
  ticket: string | null;
  /** The expected node whose name occurs in the body bytes, or null when none (or several) does. */
  node: string | null;
  /** Short serializer name for messages: `pickle`, `msgpack`, `yaml`, else the content type. */
  serializer: string;
}

const serializerNames: Record<string, string> = {
  'application/x-python-serialize': 'pickle',
  'application/x-msgpack': 'msgpack',
  'application/x-yaml': 'yaml',
};

/**
 * A reply whose body is not JSON: Celery's mailbox replies in `task_serializer`
 * (celery/app/control.py), so a `task_serializer='pickle'` worker answers in pickle. The ticket is
 * in the (JSON) headers; the node name only inside the body, so it is found by looking for each
 * expected name's UTF-8 bytes in the body (pickle stores a str key as its UTF-8 bytes): the body is
 * never unpickled. Null when the envelope is broken or the body is JSON. Never throws.
 */
export function decodeOpaquePidboxReply(raw: string, expect: readonly string[]): OpaquePidboxReply | null {
  const envelope = decodeEnvelope(raw);
  if (!envelope.ok || envelope.value.payload.kind !== 'opaque') return null;
  const contentType = envelope.value.payload.contentType;
  const media = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  const body = field(envelope.value.properties, 'body_encoding') === 'base64' ? base64Body(raw) : null;
  const found = body ? expect.filter((node) => body.includes(Buffer.from(node, 'utf8'))) : [];
  // `w1@h` is inside `w11@h`'s bytes too: the longest match is the one that is there whole.
  const longest = found.sort((a, b) => b.length - a.length);
  const node =
    longest.length === 0
      ? null
      : longest.filter((n) => !longest[0]!.includes(n)).length === 0
        ? longest[0]!
        : null;
  return {
    ticket: asString(field(envelope.value.headers, 'ticket')),
    node,
    serializer: serializerNames[media] ?? contentType,
  };
}

/** The raw body bytes of an envelope with a base64 body, or null. */
function base64Body(raw: string): Buffer | null {
  try {
    const body = (JSON.parse(raw) as { body?: unknown }).body;
    return typeof body === 'string' ? Buffer.from(body, 'base64') : null;
  } catch {
    return null;
  }
}

/** The envelope's headers and JSON body, or why there is none. */
function jsonBody(raw: string): Decoded<{ headers: JsonObject; body: Json }> {
  const envelope = decodeEnvelope(raw);
  if (!envelope.ok) return envelope;
  const { headers, payload } = envelope.value;
  return payload.kind === 'json' ? ok({ headers, body: payload.value }) : fail(payload.reason);
}
