/**
 * Reads what RedBeat (the Redis-backed Celery beat scheduler, 2.4.2) keeps in Redis, read-only:
 * `{prefix}:schedule` (ZSET: entry key -> next due, Unix seconds), each entry's hash
 * (`definition`, `meta` JSON) and the beat lock (`{prefix}:lock`, a redis-py Lock token with a
 * TTL the running beat extends every tick). Never writes. Bounded: at most `maxEntries` entries per
 * sample, two round trips. RedBeat keys carry no kombu `global_keyprefix` (RedBeat opens its own
 * client), so names here are used as given.
 */
import type { Redis } from 'ioredis';
import { decodeDefinition, decodeMeta } from '../beat/redbeat-decode.js';
import type { Action, BeatEntrySample, BeatLockSample } from '../store/actions.js';
import { runPipeline } from './pipeline.js';

export interface BeatSourceOptions {
  /** `redbeat_key_prefix`; default `redbeat:`. */
  prefix: string;
  /**
   * `redbeat_lock_key`: default `{prefix}:lock`; null when RedBeat runs without a lock
   * (`redbeat_lock_key = None`), which turns the "beat is down" rule off.
   */
  lockKey: string | null;
  maxEntries: number;
}

export const defaultBeatSourceOptions: Readonly<BeatSourceOptions> = Object.freeze({
  prefix: 'redbeat:',
  lockKey: 'redbeat::lock',
  maxEntries: 500,
});

/** The lock key RedBeat uses for `prefix` and a configured name (it prefixes names lacking it). */
export function redbeatLockKey(prefix: string, configured?: string | null): string | null {
  if (configured === null) return null;
  const key = configured ?? `${prefix}:lock`;
  return key.startsWith(prefix) ? key : `${prefix}${key}`;
}

/** One sample of the RedBeat keys as a `beat/sampled` action; Redis errors reject (a gap). */
export async function sampleBeat(
  redis: Redis,
  options: BeatSourceOptions,
  at: number,
): Promise<Extract<Action, { type: 'beat/sampled' }>> {
  const scheduleKey = `${options.prefix}:schedule`;
  const first = redis.pipeline().exists(scheduleKey).zcard(scheduleKey);
  first.zrange(scheduleKey, '0', String(Math.max(0, options.maxEntries - 1)), 'WITHSCORES');
  if (options.lockKey) first.get(options.lockKey).pttl(options.lockKey);
  const [exists, card, range, token, pttl] = await runPipeline(first);
  const members = range?.ok && Array.isArray(range.value) ? (range.value as string[]) : [];

  const keys: { key: string; score: number }[] = [];
  for (let i = 0; i + 1 < members.length; i += 2)
    keys.push({ key: members[i]!, score: Number(members[i + 1]) });
  const second = redis.pipeline();
  for (const { key } of keys) second.hmget(key, 'definition', 'meta');
  const hashes = await runPipeline(second);

  const entries: BeatEntrySample[] = keys.map(({ key, score }, i) => {
    const reply = hashes[i];
    if (!reply?.ok || !Array.isArray(reply.value)) {
      const why = reply && !reply.ok ? reply.error : 'no reply';
      return { key, dueAt: null, definition: null, meta: null, problem: `cannot read ${key}: ${why}` };
    }
    const [definitionText, metaText] = reply.value as (string | null)[];
    const definition = decodeDefinition(definitionText ?? null);
    const meta = decodeMeta(metaText ?? null);
    const problems = [
      definitionText == null ? 'the entry hash is gone (beat removes such members on its next tick)' : null,
      definitionText != null && !definition.ok ? definition.reason : null,
      !meta.ok ? meta.reason : null,
    ].filter((p) => p !== null);
    return {
      key,
      // Scores below zero mean "no more runs" (RedBeat's `score` property).
      dueAt: Number.isFinite(score) && score >= 0 ? score * 1000 : null,
      definition: definition.ok ? definition.value : null,
      meta: meta.ok ? meta.value : null,
      problem: problems.length ? problems.join('; ') : null,
    };
  });

  let lock: BeatLockSample | null = null;
  if (options.lockKey) {
    const held = token?.ok && typeof token.value === 'string' ? token.value : null;
    const ttl = pttl?.ok && typeof pttl.value === 'number' && pttl.value >= 0 ? pttl.value : null;
    lock = { key: options.lockKey, token: held, ttlMs: held === null ? null : ttl };
  }
  const total = card?.ok && typeof card.value === 'number' ? card.value : keys.length;
  return {
    type: 'beat/sampled',
    at,
    prefix: options.prefix,
    scheduleFound: exists?.ok === true && exists.value === 1,
    entries,
    truncated: total > keys.length,
    lock,
  };
}
