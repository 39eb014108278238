import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Clock } from '../base/clock.js';
import { replyBindingKey, replyBindingMember, replyQueueKeys } from '../celery/names.js';
import type { WireOptions } from '../celery/options.js';
import { decodeOpaquePidboxReply, decodePidboxReply, type OpaquePidboxReply } from '../celery/pidbox.js';
import { encodePidboxRequest } from '../celery/pidbox-encode.js';
import type { JsonObject, PidboxReply } from '../celery/types.js';

/** What to broadcast (wire doc 7.1). `pattern` and `matcher` go together. */
export interface PidboxRoundRequest {
  method: string;
  arguments?: JsonObject;
  destination?: string[] | null;
  pattern?: string;
  matcher?: string;
}

/** How to collect replies. */
export interface PidboxRoundOptions {
  timeoutMs: number;
  /** Nodes expected to answer: the round ends once all did. Defaults to `destination`. */
  expect?: string[];
  /** End after this many replies (Celery's `limit`). */
  limit?: number;
  /** False: a fire-and-forget cast, no reply binding, no waiting. Default true. */
  reply?: boolean;
  /** Ctrl-C: ends the wait within one BRPOP slice, cleans up, and rejects with the abort reason. */
  signal?: AbortSignal;
}

export interface PidboxRoundResult {
  /** Replies carrying this round's ticket, in arrival order. */
  replies: PidboxReply[];
  /** Names in `expect` that did not answer in time. */
  silent: string[];
  elapsedMs: number;
  /** PUBLISH's subscriber count: every pattern subscriber counts, so only an upper bound (7.2 step 3). */
  published: number;
  /** Items with this round's reply key that could not be decoded. */
  malformed: number;
  /**
   * Replies carrying this round's ticket in a serializer qtop does not decode (a worker with
   * `task_serializer='pickle'` answers in pickle): the worker did reply, the value is unknown.
   */
  opaque: OpaquePidboxReply[];
}

/** BRPOP wait per call, so abort is noticed promptly; replies themselves end a BRPOP at once. */
const SLICE_MS = 100;
/** Floor of a slice: a BRPOP timeout of 0 would block forever. */
const MIN_SLICE_MS = 10;
/** The sender's Lamport clock for the `clock` header; workers only adjust their own clock by it. */
let lamport = 0;

/**
 * One pidbox request/reply round exactly as wire doc 7.2 lays it out: fresh `oid` and `ticket`;
 * `SADD` the reply binding BEFORE publishing (without it workers drop replies silently); `PUBLISH`;
 * `BRPOP` the reply list and its priority variants until the timeout, the `limit`, or every `expect`ed
 * node answered; skip other tickets (leftovers of earlier rounds); then ALWAYS `SREM` the member and
 * `DEL` the lists, even on error or abort (kombu 5.2 sets no TTL, so leftovers would stay forever).
 *
 * `redis` is the shared command connection (SADD, PUBLISH, cleanup); `replies` must be a dedicated
 * connection, because BRPOP blocks it: rounds sharing one `replies` connection run one after another.
 * Used read-only by the inspector and by the control commands. Encoding errors (empty method, pattern
 * without matcher) throw before anything is written; a signal aborted before the PUBLISH sends nothing.
 */
export async function pidboxRound(
  redis: Redis,
  replies: Redis,
  opts: WireOptions,
  request: PidboxRoundRequest,
  round: PidboxRoundOptions,
  clock: Clock,
): Promise<PidboxRoundResult> {
  const start = clock.now();
  const wantReply = round.reply !== false;
  const oid = randomUUID();
  const ticket = randomUUID();
  const encoded = encodePidboxRequest(
    { ...request, reply: wantReply ? { oid, ticket } : null },
    opts,
    ++lamport,
    (start + round.timeoutMs) / 1000,
  );
  round.signal?.throwIfAborted();
  const result: PidboxRoundResult = {
    replies: [],
    silent: [],
    elapsedMs: 0,
    published: 0,
    malformed: 0,
    opaque: [],
  };
  if (!wantReply) {
    result.published = await redis.publish(encoded.channel, encoded.raw);
    result.elapsedMs = clock.now() - start;
    return result;
  }

  const expect = round.expect ?? request.destination ?? [];
  const bindingKey = replyBindingKey(opts);
  const member = replyBindingMember(opts, oid);
  const keys = replyQueueKeys(opts, oid);
  try {
    await redis.sadd(bindingKey, member);
    round.signal?.throwIfAborted();
    result.published = await redis.publish(encoded.channel, encoded.raw);
    const waiting = new Set(expect);
    const deadline = start + round.timeoutMs;
    for (;;) {
      round.signal?.throwIfAborted();
      if (expect.length > 0 && waiting.size === 0) break;
      if (round.limit !== undefined && result.replies.length + result.opaque.length >= round.limit) break;
      const left = deadline - clock.now();
      if (left <= 0) break;
      const slice = Math.max(MIN_SLICE_MS, Math.min(left, SLICE_MS));
      const popped = await replies.brpop(...keys, slice / 1000);
      if (!popped) continue;
      const decoded = decodePidboxReply(popped[1]);
      const opaque = decoded.ok ? null : decodeOpaquePidboxReply(popped[1], expect);
      if (opaque) {
        if (opaque.ticket === ticket) {
          result.opaque.push(opaque);
          if (opaque.node !== null) waiting.delete(opaque.node);
        }
      } else if (!decoded.ok) result.malformed++;
      else if (decoded.value.ticket === ticket) {
        result.replies.push(decoded.value);
        waiting.delete(decoded.value.node);
      }
    }
    result.silent = expect.filter((node) => waiting.has(node));
    result.elapsedMs = clock.now() - start;
    return result;
  } finally {
    // SREM first so no worker pushes a reply after the DEL (wire doc 7.2 step 6). Best effort: a dead
    // connection must not replace the round's own error, and kombu leaves the same leftovers then.
    await redis
      .pipeline()
      .srem(bindingKey, member)
      .del(...keys)
      .exec()
      .catch(() => null);
  }
}
