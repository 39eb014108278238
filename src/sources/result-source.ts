import type { Redis } from 'ioredis';
import { resultChannelPattern, resultKey, resultKeyPattern } from '../celery/names.js';
import { decodeResultMeta } from '../celery/result-meta.js';
import type { ResultMeta } from '../celery/types.js';
import type { Action } from '../store/actions.js';
import { runPipeline } from './pipeline.js';

type ResultsRead = Extract<Action, { type: 'results/read' }>;

/**
 * Default cap on one meta value. A task may return megabytes; qtop wants its status. Larger values
 * are not transferred: they are read with `GETRANGE key 0 cap`, so at most cap+1 bytes cross the
 * wire, and counted as malformed ("too large") instead of decoded.
 */
export const DEFAULT_MAX_RESULT_BYTES = 1_000_000;
/** SCAN COUNT of the result scanner. */
const SCAN_COUNT = 200;
/** SCAN round trips per scanner call at most, even when few keys of a huge db match. */
const MAX_SCAN_CALLS_PER_TICK = 8;
/** Default pause between the end of one full pass and the next one from the start. */
export const DEFAULT_RESCAN_MS = 60_000;

export interface ResultScannerLimits {
  /** Meta keys read per `next()` call at most: the backend never sees more than this per tick. */
  budget: number;
  /** Cap on one meta value, in bytes (characters for ASCII JSON); default DEFAULT_MAX_RESULT_BYTES. */
  maxValueChars?: number;
  /** Pause after a full pass before rescanning from the start; default DEFAULT_RESCAN_MS. */
  rescanMs?: number;
  /** The backend key prefix, as `backendKeyprefix()` gives it (names.ts); default none. */
  keyprefix?: string;
}

export interface ResultScanner {
  /** Read the next page: a 'scan' action, or null when nothing was read this call. */
  next(at: number): Promise<ResultsRead | null>;
  /** True from the end of a full pass until the next pass starts. */
  readonly done: boolean;
}

/**
 * An incremental reader of every `celery-task-meta-*` key in the backend db (wire doc 9.1), so
 * results that finished before qtop started are visible. Each call runs a few SCAN COUNT 200 steps
 * and reads at most `budget` keys in one pipeline, so a backend with millions of keys is walked over
 * many ticks instead of hammered in one. After a full pass it waits `rescanMs` and starts again from
 * cursor 0: results written meanwhile arrive by pub/sub, so rescans only catch what pub/sub missed
 * (a dropped subscriber, a result from before a reconnect). Calls must not overlap (the sampler
 * never overlaps polls). A failed call throws and is simply retried by the next one.
 */
export function createResultScanner(backend: Redis, limits: ResultScannerLimits): ResultScanner {
  const budget = Math.max(1, limits.budget);
  const cap = limits.maxValueChars ?? DEFAULT_MAX_RESULT_BYTES;
  const rescanMs = limits.rescanMs ?? DEFAULT_RESCAN_MS;
  const pattern = resultKeyPattern(limits.keyprefix ?? '');
  let cursor = '0';
  let scanning = false;
  let done = false;
  let passEndedAt: number | null = null;
  let pending: string[] = [];

  return {
    get done() {
      return done;
    },
    async next(at) {
      if (!scanning && pending.length === 0) {
        if (passEndedAt !== null && at - passEndedAt < rescanMs) return null;
        scanning = true;
        done = false;
        cursor = '0';
      }
      for (let calls = 0; scanning && pending.length < budget && calls < MAX_SCAN_CALLS_PER_TICK; calls++) {
        const [next, keys] = await backend.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT);
        pending.push(...keys); // SCAN may repeat a key; the store keys metas by task id anyway
        cursor = next;
        if (cursor === '0') scanning = false;
      }
      const page = pending.slice(0, budget);
      const read = await readValues(backend, page, cap);
      pending = pending.slice(page.length); // only once read: a failed read is retried
      if (!scanning && pending.length === 0) {
        done = true;
        passEndedAt = at;
      }
      return page.length === 0 ? null : { type: 'results/read', at, via: 'scan', ...read };
    },
  };
}

/**
 * Read the metas of specific task ids ('get'), e.g. the tasks on screen. A missing key means
 * pending or unknown (Celery never stores PENDING, wire doc 9.1) and is left out, not counted.
 */
export async function readResults(
  backend: Redis,
  ids: string[],
  at: number,
  maxValueChars = DEFAULT_MAX_RESULT_BYTES,
  keyprefix = '',
): Promise<ResultsRead> {
  const read = await readValues(
    backend,
    ids.map((id) => resultKey(id, keyprefix)),
    maxValueChars,
  );
  return { type: 'results/read', at, via: 'get', ...read };
}

/** How the live result channel is checked against the configured backend database. */
export interface ResultSubscribeOptions {
  maxValueChars?: number;
  /** The backend key prefix (`backendKeyprefix()`); only channels with it are heard. */
  keyprefix?: string;
  /**
   * The backend connection (its configured db). With it, a notification is only a hint: the key is
   * read from this db and the value found there is what enters the store; a key the db lacks
   * belongs to another db or app on the server and is dropped (counted in `otherDb`). Without it,
   * every notification is taken as is (the old behaviour, for callers with no backend client).
   */
  verifyWith?: Redis;
}

/**
 * Receive results live: PSUBSCRIBE `{prefix}celery-task-meta-*` (wire doc 9.1). Pub/sub has no
 * database, so the results of every database and app on the server arrive: with `verifyWith` each
 * channel name (the meta key) is read back from the configured backend db before anything merges.
 * Celery writes the key and publishes it in one MULTI (redis backend `_set_with_state`), so the key
 * is there when the message is. Messages of one event-loop turn are batched into one action (one
 * pipelined read), so a burst of results costs one store update. Undecodable or over-cap messages
 * count as `malformed`. `subscriber` must be a subscriber connection; it may carry other patterns
 * (events), which are ignored here. `stop()` unsubscribes and flushes what already arrived.
 */
export async function subscribeResults(
  subscriber: Redis,
  onAction: (action: Action) => void,
  now: () => number,
  options: ResultSubscribeOptions | number = {},
): Promise<{ stop(): Promise<void> }> {
  const opts = typeof options === 'number' ? { maxValueChars: options } : options;
  const maxValueChars = opts.maxValueChars ?? DEFAULT_MAX_RESULT_BYTES;
  const pattern = resultChannelPattern(opts.keyprefix ?? '');
  let metas: ResultMeta[] = [];
  let keys: string[] = [];
  let malformed = 0;
  let scheduled: NodeJS.Immediate | null = null;
  let inFlight: Promise<void> = Promise.resolve();

  const flush = () => {
    scheduled = null;
    if (metas.length === 0 && keys.length === 0 && malformed === 0) return;
    const batch = { metas, keys, malformed };
    metas = [];
    keys = [];
    malformed = 0;
    if (!opts.verifyWith) {
      onAction({
        type: 'results/read',
        at: now(),
        via: 'pubsub',
        metas: batch.metas,
        malformed: batch.malformed,
      });
      return;
    }
    const backend = opts.verifyWith;
    // Batches are verified in arrival order, so a later state never overtakes an earlier one.
    inFlight = inFlight.then(async () => {
      try {
        const read = await readValues(backend, [...new Set(batch.keys)], maxValueChars, true);
        const otherDb = read.missing;
        onAction({
          type: 'results/read',
          at: now(),
          via: 'pubsub',
          metas: read.metas,
          malformed: batch.malformed + read.malformed,
          ...(otherDb > 0 ? { otherDb } : {}),
        });
      } catch {
        // The backend read failed: the scanner's next pass finds these keys in the right db.
      }
    });
  };
  const onMessage = (from: string, channel: Buffer, message: Buffer) => {
    if (from !== pattern) return;
    if (message.length > maxValueChars) malformed++;
    else if (opts.verifyWith) keys.push(channel.toString('utf8'));
    else {
      const decoded = decodeResultMeta(message.toString('utf8'));
      if (decoded.ok) metas.push(decoded.value);
      else malformed++;
    }
    scheduled ??= setImmediate(flush);
  };

  subscriber.on('pmessageBuffer', onMessage);
  try {
    await subscriber.psubscribe(pattern);
  } catch (error) {
    subscriber.off('pmessageBuffer', onMessage);
    throw error;
  }
  return {
    async stop() {
      try {
        // Redis delivers everything published before the unsubscribe reply, so nothing is cut off.
        await subscriber.punsubscribe(pattern);
      } finally {
        subscriber.off('pmessageBuffer', onMessage);
        if (scheduled) clearImmediate(scheduled);
        flush();
        await inFlight;
      }
    },
  };
}

/**
 * Pipelined `GETRANGE key 0 cap` (bounded transfer); empty means the key is gone (expired), or, for
 * keys named by a notification, held by another db (`missing`).
 */
async function readValues(
  backend: Redis,
  keys: string[],
  cap: number,
  countMissing = false,
): Promise<{ metas: ResultMeta[]; malformed: number; missing: number }> {
  const pipe = backend.pipeline();
  for (const key of keys) pipe.getrangeBuffer(key, 0, cap);
  const replies = await runPipeline(pipe);
  const metas: ResultMeta[] = [];
  let malformed = 0;
  let missing = 0;
  for (const reply of replies) {
    // An error reply: a key of another type under Celery's name.
    if (!reply.ok || !Buffer.isBuffer(reply.value)) malformed++;
    else if (reply.value.length === 0) missing += countMissing ? 1 : 0;
    else if (reply.value.length > cap)
      malformed++; // too large: more than cap bytes exist
    else {
      const decoded = decodeResultMeta(reply.value.toString('utf8'));
      if (decoded.ok) metas.push(decoded.value);
      else malformed++;
    }
  }
  return { metas, malformed, missing };
}
