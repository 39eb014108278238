/**
 * One inspect tick: a `ping` round to learn who is alive, then each inspect method in turn,
 * waiting only for the workers that answered the ping. A worker killed with SIGKILL stays in
 * the pidbox binding set (wire doc 3.1), so without the ping every method would wait the
 * full timeout for it; with it, a stale member costs one ping timeout per tick.
 */
import type { Redis } from 'ioredis';
import type { Clock } from '../base/clock.js';
import type { WireOptions } from '../celery/options.js';
import type { Action } from '../store/actions.js';
import { inspectMethodsForTick, inspectRound } from './inspector.js';

export async function inspectRounds(
  redis: Redis,
  replies: Redis,
  opts: WireOptions,
  candidates: string[],
  timeoutMs: number,
  clock: Clock,
  tick: number,
  signal?: AbortSignal,
): Promise<Action[]> {
  const ping = await inspectRound(redis, replies, opts, 'ping', candidates, timeoutMs, clock, signal);
  const alive = ping.replies.filter((reply) => reply.error === null).map((reply) => reply.node);
  const actions: Action[] = [ping];
  if (alive.length === 0) return actions;
  for (const method of inspectMethodsForTick(tick)) {
    if (signal?.aborted) break;
    actions.push(await inspectRound(redis, replies, opts, method, alive, timeoutMs, clock, signal));
  }
  return actions;
}
