/**
 * Finding one task's message where it still waits: a queue's priority lists (wire doc 3.2) or the
 * `unacked` hash of reserved and ETA messages (wire doc 3.3). Read-only; used by retry (the best
 * source of a call: the exact message) and by delete/move (which then remove exactly that element
 * with a Lua script). Returns the raw element text, so nothing is re-serialized.
 */
import type { Redis } from 'ioredis';
import { decodeBinding } from '../../src/celery/bindings.js';
import { jsonValueText } from '../../src/celery/json-span.js';
import {
  bindingScanPattern,
  exchangeOfBindingKey,
  isTaskExchange,
  queueListKeys,
  unackedKey,
} from '../../src/celery/names.js';
import type { WireOptions } from '../../src/celery/options.js';
import { decodeTaskMessage } from '../../src/celery/task-message.js';
import type { TaskMessage } from '../../src/celery/types.js';
import { decodeUnackedEntry } from '../../src/celery/unacked.js';

/** A task message found in Redis. */
export interface FoundMessage {
  /** The exact list element (for unacked: the envelope's exact text inside the hash value). */
  raw: string;
  queue: string;
  /** `queue`: waiting in list `key` (priority `step`); `unacked`: taken by a worker, not yet acked. */
  where: 'queue' | 'unacked';
  key: string;
  step: number;
  message: TaskMessage;
  /** `unacked` only: the whole hash value `[envelope, exchange, routing_key]`, to remove it exactly. */
  entry?: string;
}

/** LRANGE page size: bounded replies even for queues of millions of messages. */
const CHUNK = 1000;

/**
 * The message of `taskId` in `queue`'s priority lists, or null. Each list is read head to tail in
 * pages: producers LPUSH at the head and workers BRPOP at the tail, so concurrent traffic can only
 * shift unread elements further along, never past the cursor; nothing still queued is skipped.
 * The id text is searched first, and only candidates are decoded (the id must match exactly).
 */
export async function findInQueue(
  redis: Redis,
  wire: WireOptions,
  queue: string,
  taskId: string,
  signal?: AbortSignal,
): Promise<FoundMessage | null> {
  for (const { key, step } of queueListKeys(wire, queue)) {
    for (let start = 0; ; start += CHUNK) {
      signal?.throwIfAborted();
      const page = await redis.lrange(key, start, start + CHUNK - 1);
      for (const raw of page) {
        if (!raw.includes(taskId)) continue;
        const decoded = decodeTaskMessage(raw);
        if (decoded.ok && decoded.value.id === taskId) {
          return { raw, queue, where: 'queue', key, step, message: decoded.value };
        }
      }
      if (page.length < CHUNK) break;
    }
  }
  return null;
}

/** The message of `taskId` in the `unacked` hash (reserved, or waiting for its ETA), or null. */
export async function findInUnacked(
  redis: Redis,
  wire: WireOptions,
  taskId: string,
  signal?: AbortSignal,
): Promise<FoundMessage | null> {
  let cursor = '0';
  do {
    signal?.throwIfAborted();
    const [next, flat] = await redis.hscan(unackedKey(wire), cursor, 'COUNT', 500);
    cursor = next;
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const value = flat[i + 1]!;
      if (!value.includes(taskId)) continue;
      const entry = decodeUnackedEntry(value);
      const raw = jsonValueText(value, [0]);
      if (entry.ok && raw !== null && entry.value.message.id === taskId) {
        return {
          raw,
          queue: entry.value.routingKey,
          where: 'unacked',
          key: flat[i]!,
          step: 0,
          message: entry.value.message,
          entry: value,
        };
      }
    }
  } while (cursor !== '0');
  return null;
}

/** Every task queue named in a binding set (wire doc 3.1): the queues that exist. */
export async function knownQueues(redis: Redis, wire: WireOptions): Promise<string[]> {
  const queues = new Set<string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', bindingScanPattern(wire), 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      const exchange = exchangeOfBindingKey(wire, key);
      if (exchange === null || !isTaskExchange(wire, exchange)) continue;
      for (const member of await redis.smembers(key)) {
        const binding = decodeBinding(member, wire.sep);
        if (binding.ok) queues.add(binding.value.queue);
      }
    }
  } while (cursor !== '0');
  return [...queues].sort();
}
