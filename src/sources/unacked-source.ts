import type { Redis } from 'ioredis';
import { priorityStep, unackedIndexKey, unackedKey } from '../celery/names.js';
import type { WireOptions } from '../celery/options.js';
import { decodeUnackedEntry } from '../celery/unacked.js';
import type { Action, UnackedSample } from '../store/actions.js';
import { peekedFromTask } from './peeked-message.js';
import { type PipelineReply, replyNumber, runPipeline } from './pipeline.js';

/** Bounds of one unacked sample. */
export interface UnackedLimits {
  /** Entries read at most; `total` still reports the full HLEN. */
  maxEntries: number;
  /** Largest args+kwargs JSON kept per message (see toPeekedMessage). */
  maxValueChars: number;
}

/** HSCAN COUNT: pages of about this many fields once the hash is too big for one reply. */
const HSCAN_COUNT = 200;
/** Hard stop on HSCAN round trips, whatever the hash does (empty pages are allowed by Redis). */
const MAX_HSCAN_CALLS = 1000;

/**
 * One read-only sample of the `unacked` hash and its `unacked_index` delivery times (wire doc 3.3):
 * the messages workers have taken but not acked, i.e. reserved (prefetched) and ETA/countdown tasks
 * (running ones too under acks_late). HLEN gives the true total; HSCAN reads at most `maxEntries`
 * (never HGETALL: a stuck cluster can hold a huge hash); one pipeline of ZSCORE reads their
 * delivery times. ZSCORE rather than ZMSCORE keeps Redis < 6.2 working at the same round-trip cost.
 * Entries are ordered oldest delivery first; entries the index lacks come last.
 */
export async function sampleUnacked(
  redis: Redis,
  opts: WireOptions,
  limits: UnackedLimits,
  at: number,
): Promise<Extract<Action, { type: 'unacked/sampled' }>> {
  const key = unackedKey(opts);
  const max = Math.max(0, limits.maxEntries);
  const [hlen, firstPage] = await runPipeline(
    redis.pipeline().hlen(key).hscan(key, '0', 'COUNT', HSCAN_COUNT),
  );
  const total = replyNumber(hlen);

  // HSCAN may repeat a field across pages; the map keeps each delivery tag once.
  const values = new Map<string, string>();
  let page = scanPage(firstPage);
  for (let calls = 1; ; calls++) {
    for (let i = 0; i + 1 < page.items.length && values.size < max; i += 2) {
      values.set(page.items[i]!, page.items[i + 1]!);
    }
    if (page.cursor === '0' || values.size >= max || calls >= MAX_HSCAN_CALLS) break;
    const [cursor, items] = await redis.hscan(key, page.cursor, 'COUNT', HSCAN_COUNT);
    page = { cursor, items };
  }

  const tags = [...values.keys()];
  const indexKey = unackedIndexKey(opts);
  const scorePipe = redis.pipeline();
  for (const tag of tags) scorePipe.zscore(indexKey, tag);
  const scores = await runPipeline(scorePipe);

  const entries = tags.map((tag, i) => ({ tag, raw: values.get(tag)!, deliveredAt: score(scores[i]) }));
  entries.sort(
    (a, b) =>
      (a.deliveredAt ?? Number.POSITIVE_INFINITY) - (b.deliveredAt ?? Number.POSITIVE_INFINITY) ||
      (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0),
  );
  const samples = entries.map(({ tag, raw, deliveredAt }, position): UnackedSample => {
    const decoded = decodeUnackedEntry(raw);
    if (!decoded.ok)
      return { deliveryTag: tag, deliveredAt, queue: null, message: null, note: decoded.reason };
    const { message, routingKey } = decoded.value;
    const step = priorityStep(opts, message.priority ?? 0);
    const peeked = peekedFromTask(
      message,
      position,
      step,
      limits.maxValueChars,
      Buffer.byteLength(raw, 'utf8'),
    );
    // The routing key is the queue for Celery's direct routing (wire doc 5.1).
    return { deliveryTag: tag, deliveredAt, queue: routingKey, message: peeked, note: null };
  });
  return { type: 'unacked/sampled', at, total, entries: samples };
}

/** An HSCAN reply inside a pipeline; an error (unacked is not a hash) reads as an empty last page. */
function scanPage(reply: PipelineReply | undefined): { cursor: string; items: string[] } {
  if (!reply?.ok || !Array.isArray(reply.value)) return { cursor: '0', items: [] };
  const [cursor, items] = reply.value as [unknown, unknown];
  return {
    cursor: typeof cursor === 'string' ? cursor : '0',
    items: Array.isArray(items) ? items.filter((item): item is string => typeof item === 'string') : [],
  };
}

/** A ZSCORE reply (a decimal string in RESP2) as epoch seconds, or null when the index lacks the tag. */
function score(reply: PipelineReply | undefined): number | null {
  if (!reply?.ok || reply.value === null || reply.value === undefined) return null;
  const value = Number(reply.value);
  return Number.isFinite(value) ? value : null;
}
