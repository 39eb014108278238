import { decompressBody } from './compression.js';
import {
  asNumber,
  asObject,
  asString,
  fail,
  field,
  guarded,
  isObject,
  ok,
  parseJson,
  requireString,
  typeName,
} from './decoded.js';
import type { Decoded, Envelope, JsonObject, Payload } from './types.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The bytes of Base64 as Python's b64encode writes it (standard alphabet, padded, no whitespace),
 * or null for anything else (wire doc 4.1). Buffer.from(s, 'base64') skips characters outside
 * the alphabet and stops at a '=', so any of them makes the output shorter than the length the
 * text promises; base64url's '-' and '_' it takes as letters, so those are looked for. Two
 * memchr-like scans and the decode replace a regular expression over the whole body.
 */
export function strictBase64(body: string): Buffer | null {
  const n = body.length;
  if (n % 4 !== 0) return null;
  const padding = n === 0 || body.charCodeAt(n - 1) !== 61 ? 0 : body.charCodeAt(n - 2) === 61 ? 2 : 1;
  const bytes = Buffer.from(body, 'base64');
  if (bytes.length !== (n / 4) * 3 - padding) return null;
  if (body.includes('-') || body.includes('_')) return null;
  return bytes;
}

/** Serializers other than JSON: reported with a reason, never interpreted (no unpickling). */
const opaqueReasons: Record<string, string> = {
  'application/x-python-serialize': 'pickle payload, not decoded',
  'application/x-msgpack': 'msgpack payload, not decoded',
  'application/x-yaml': 'yaml payload, not decoded',
};

/**
 * Decode one kombu envelope: a queue list item, a pub/sub payload or a reply (wire doc 4).
 * Follows `properties.body_encoding` and `content-type`; only JSON bodies are parsed.
 * Never throws: any input, including non-strings, gives `{ok:false, reason}`.
 */
export function decodeEnvelope(raw: string): Decoded<Envelope> {
  return guarded('envelope', () => {
    const text = requireString(raw);
    if (!text.ok) return text;
    const parsed = parseJson(text.value);
    if (!parsed.ok) return parsed;
    return decodeEnvelopeObject(parsed.value, text.value.length);
  });
}

/**
 * Decode an envelope that was already parsed as part of a larger JSON value, such as the
 * first item of an `unacked` hash value (wire doc 3.3). `rawBytes` is the caller's raw length.
 */
export function decodeEnvelopeObject(obj: unknown, rawBytes: number): Decoded<Envelope> {
  return guarded('envelope', () => {
    if (!isObject(obj)) return fail(`envelope is not a JSON object (${typeName(obj)})`);
    const headers = optionalObject(obj, 'headers');
    if (!headers.ok) return headers;
    const properties = optionalObject(obj, 'properties');
    if (!properties.ok) return properties;
    const contentType = optionalString(obj, 'content-type');
    if (!contentType.ok) return contentType;
    const contentEncoding = optionalString(obj, 'content-encoding');
    if (!contentEncoding.ok) return contentEncoding;

    const body = field(obj, 'body');
    if (body === undefined) return fail('envelope has no body');
    if (typeof body !== 'string') return fail(`body is not a string (${typeName(body)})`);
    // kombu names a compressed body in headers.compression (compression.ts); headers stay plain.
    const compression = asString(field(headers.value, 'compression'));
    const payload = decodePayload(
      body,
      field(properties.value, 'body_encoding'),
      contentType.value,
      compression,
    );
    if (!payload.ok) return payload;

    // delivery_info {exchange, routing_key}: kombu restores a message with these (wire doc 4).
    const info = asObject(field(properties.value, 'delivery_info'));
    const exchange = info ? asString(field(info, 'exchange')) : null;
    const routingKey = info ? asString(field(info, 'routing_key')) : null;
    // A restored message carries redelivered in both places (wire doc 3.4).
    const redelivered =
      field(headers.value, 'redelivered') === true || (info !== null && field(info, 'redelivered') === true);

    return ok({
      contentType: contentType.value,
      contentEncoding: contentEncoding.value,
      headers: headers.value,
      properties: properties.value,
      deliveryTag: asString(field(properties.value, 'delivery_tag')),
      deliveryInfo: exchange !== null && routingKey !== null ? { exchange, routingKey } : null,
      priority: asNumber(field(properties.value, 'priority')),
      redelivered,
      payload: payload.value,
      compression,
      rawBytes,
    });
  });
}

/** Body text -> Payload, following body_encoding then content-type (wire doc 4.1). */
function decodePayload(
  body: string,
  bodyEncoding: unknown,
  contentType: string | null,
  compression: string | null,
): Decoded<Payload> {
  let decoded: Buffer | null = null;
  if (bodyEncoding === 'base64') {
    decoded = strictBase64(body);
    if (decoded === null) return fail('invalid base64 body');
  } else if (bodyEncoding !== undefined && bodyEncoding !== null && bodyEncoding !== 'utf-8') {
    return fail(`unsupported body_encoding: ${String(JSON.stringify(bodyEncoding))}`);
  }

  const mediaType = contentType ? (contentType.split(';')[0] ?? '').trim().toLowerCase() : '';
  if (contentType && mediaType !== 'application/json') {
    const reason = opaqueReasons[mediaType] ?? `${contentType} payload, not decoded`;
    const bytes = decoded !== null ? decoded.length : Buffer.byteLength(body, 'utf8');
    return ok({ kind: 'opaque', contentType, reason, bytes });
  }

  let text = body;
  let compressed: string | undefined;
  if (compression) {
    const bytes = decoded ?? Buffer.from(body, 'latin1');
    const inflated = decompressBody(bytes, compression);
    if (!inflated.ok) {
      return ok({
        kind: 'opaque',
        contentType: contentType ?? 'application/json',
        reason: inflated.reason,
        bytes: bytes.length,
      });
    }
    compressed = inflated.method;
    try {
      text = utf8.decode(inflated.bytes);
    } catch {
      return fail(`invalid UTF-8 body after ${compressed} decompression`);
    }
  } else if (decoded !== null) {
    try {
      text = utf8.decode(decoded);
    } catch {
      return fail('invalid UTF-8 body');
    }
  }
  const parsed = parseJson(text);
  // Without content-type a 5.2 worker dies (wire doc 4); qtop still tries JSON to show it.
  if (!parsed.ok) return contentType ? parsed : fail(`no content-type; ${parsed.reason}`);
  return ok(
    compressed ? { kind: 'json', value: parsed.value, compressed } : { kind: 'json', value: parsed.value },
  );
}

function optionalObject(obj: JsonObject, key: string): Decoded<JsonObject> {
  const value = field(obj, key);
  if (value === undefined || value === null) return ok({});
  return isObject(value) ? ok(value) : fail(`${key} is not an object (${typeName(value)})`);
}

function optionalString(obj: JsonObject, key: string): Decoded<string | null> {
  const value = field(obj, key);
  if (value === undefined || value === null) return ok(null);
  return typeof value === 'string' ? ok(value) : fail(`${key} is not a string (${typeName(value)})`);
}
