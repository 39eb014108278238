import { asString, fail, guarded, ok, parseJson, requireString, typeName } from './decoded.js';
import { decodeEnvelopeObject } from './envelope.js';
import { taskMessageFromEnvelope } from './task-message.js';
import type { Decoded, UnackedEntry } from './types.js';

/**
 * Decode one value of the `unacked` hash: `[envelope, exchange, routing_key]`, written by a
 * worker when it takes a message (wire doc 3.3). These are reserved and ETA tasks held in
 * worker memory. Never throws.
 */
export function decodeUnackedEntry(raw: string): Decoded<UnackedEntry> {
  return guarded('unacked entry', () => {
    const text = requireString(raw);
    if (!text.ok) return text;
    const parsed = parseJson(text.value);
    if (!parsed.ok) return parsed;
    const entry = parsed.value;
    if (!Array.isArray(entry)) return fail(`unacked entry is not an array (${typeName(entry)})`);
    if (entry.length !== 3) return fail(`unacked entry has ${entry.length} items, expected 3`);

    const exchange = asString(entry[1]);
    if (exchange === null) return fail(`unacked exchange is not a string (${typeName(entry[1])})`);
    const routingKey = asString(entry[2]);
    if (routingKey === null) return fail(`unacked routing key is not a string (${typeName(entry[2])})`);

    const envelope = decodeEnvelopeObject(entry[0], text.value.length);
    if (!envelope.ok) return envelope;
    const message = taskMessageFromEnvelope(envelope.value);
    if (!message.ok) return message;
    return ok({ message: message.value, exchange, routingKey });
  });
}
