/**
 * Builds a remote-control (pidbox) request exactly as kombu's `Mailbox._publish` does for Celery
 * 5.2 (wire doc 7.1; fixtures `pidbox-broadcast-*.json`). Pure: the caller adds the reply binding
 * (names.ts `replyBindingKey`/`replyBindingMember`) and then PUBLISHes `raw` on `channel`.
 */
import { mailboxExchange, pidboxChannel, replyExchange } from './names.js';
import type { WireOptions } from './options.js';
import type { JsonObject } from './types.js';

/** A control command. Without `reply` it is a fire-and-forget cast (wire doc 7.1). */
export interface PidboxRequestSpec {
  /** The command name: `ping`, `revoke`, `pool_grow`, ... (wire doc 7.3). */
  method: string;
  /** Default `{}`. */
  arguments?: JsonObject;
  /** Node names; null or absent means every worker. */
  destination?: string[] | null;
  /** Node-name pattern; needs `matcher` too (`glob` or `pcre`). */
  pattern?: string | null;
  matcher?: string | null;
  /** Ask for replies on `{oid}.reply.{control}.pidbox`; the ticket defaults to a fresh UUID4. */
  reply?: { oid: string; ticket?: string } | null;
}

/** The request and where to publish it. */
export interface EncodedPidboxRequest {
  /** The JSON envelope to PUBLISH. */
  raw: string;
  /** `{prefix}/{db}.{control}.pidbox` (wire doc 7.1). */
  channel: string;
  /** The ticket replies will carry in `headers.ticket`; null for a cast. */
  ticket: string | null;
}

/**
 * Encode a control request. `clock` is the sender's Lamport clock (header `clock`); `expiresAt` is
 * the epoch-seconds float `now + timeout`, or 0 (header `expires`; 5.2 workers ignore it). Throws a
 * TypeError for a malformed spec (empty method, a pattern without a matcher, an empty oid): those
 * are programming errors, and a broadcast must not go out half-formed.
 */
export function encodePidboxRequest(
  req: PidboxRequestSpec,
  opts: WireOptions,
  clock = 1,
  expiresAt = 0,
): EncodedPidboxRequest {
  if (typeof req.method !== 'string' || req.method === '')
    throw new TypeError('pidbox method must be a non-empty string');
  if ((req.pattern == null) !== (req.matcher == null))
    throw new TypeError('pidbox pattern and matcher go together');
  if (req.destination != null && !req.destination.every((node) => typeof node === 'string' && node !== '')) {
    throw new TypeError('pidbox destination must list non-empty node names');
  }
  if (req.reply && (typeof req.reply.oid !== 'string' || req.reply.oid === '')) {
    throw new TypeError('pidbox reply oid must be a non-empty string');
  }
  if (!Number.isFinite(clock) || !Number.isFinite(expiresAt))
    throw new TypeError('clock and expiresAt must be finite');
  // Field order as kombu writes it; ticket and reply_to only when a reply is wanted (wire doc 7.1).
  const body: JsonObject = {
    method: req.method,
    arguments: req.arguments ?? {},
    destination: req.destination ?? null,
    pattern: req.pattern ?? null,
    matcher: req.matcher ?? null,
  };
  let ticket: string | null = null;
  if (req.reply) {
    ticket = req.reply.ticket ?? globalThis.crypto.randomUUID();
    body.ticket = ticket;
    body.reply_to = { exchange: replyExchange(opts), routing_key: req.reply.oid };
  }
  const envelope = {
    body: Buffer.from(JSON.stringify(body), 'utf8').toString('base64'),
    'content-encoding': 'utf-8',
    'content-type': 'application/json',
    headers: { clock, expires: expiresAt },
    properties: {
      delivery_mode: 2,
      delivery_info: { exchange: mailboxExchange(opts), routing_key: '' }, // fanout: empty routing key
      priority: 0,
      body_encoding: 'base64',
      delivery_tag: globalThis.crypto.randomUUID(),
    },
  };
  return { raw: JSON.stringify(envelope), channel: pidboxChannel(opts), ticket };
}
