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

/** The envelope's headers and JSON body, or why there is none. */
function jsonBody(raw: string): Decoded<{ headers: JsonObject; body: Json }> {
  const envelope = decodeEnvelope(raw);
  if (!envelope.ok) return envelope;
  const { headers, payload } = envelope.value;
  return payload.kind === 'json' ? ok({ headers, body: payload.value }) : fail(payload.reason);
}
