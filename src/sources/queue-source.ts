import type { Redis } from 'ioredis';
import { decodeBinding } from '../celery/bindings.js';
import { bindingScanPattern, exchangeOfBindingKey, isTaskExchange, queueListKeys } from '../celery/names.js';
import type { WireOptions } from '../celery/options.js';
import { detectSep } from '../celery/routing-sep.js';
import type { Action, QueueSample } from '../store/actions.js';
import { toPeekedMessage } from './peeked-message.js';
import { replyNumber, replyStrings, runPipeline } from './pipeline.js';

/** Bounds of one queue sample. */
export interface QueueLimits {
  /** Messages peeked per queue, across its priority lists. */
  peek: number;
  /**
   * Queues reported at most; discovery stops after this many task binding keys (one per queue with
   * Celery's direct queues), so past the bound which queues show depends on SCAN order.
   */
  maxQueues: number;
  /** Largest args+kwargs JSON kept per peeked message (see toPeekedMessage). */
  maxValueChars: number;
}

/** Binding members the sep check reads at most per sample. */
const maxSepMembers = 2000;

/** SCAN COUNT for discovery: bindings are few, but they may share a db with millions of result keys. */
const SCAN_COUNT = 500;
/** At most this many SCAN round trips per sample (500k keys examined); past it the sample is partial. */
const MAX_SCAN_CALLS = 1000;

/**
 * One read-only sample of every task queue (wire doc 3.1, 3.2):
 * 1. discover: SCAN the binding sets, drop event and pidbox exchanges, SMEMBERS them (one pipeline)
 *    and split each member into `routing_key SEP pattern SEP queue`; undecodable members are counted;
 * 2. lengths: one pipeline of LLEN over every priority list of every queue (how kombu counts);
 * 3. peek: one pipeline of LRANGE taking the oldest messages in execution order, step 0 first.
 * After the SCAN loop the cost is three round trips whatever the number of queues. Nothing is
 * popped or written: qtop must never change what the workers will run.
 */
export async function sampleQueues(
  redis: Redis,
  opts: WireOptions,
  limits: QueueLimits,
  at: number,
): Promise<Extract<Action, { type: 'queues/sampled' }>> {
  const { exchangesByQueue, undecodable, members } = await readBindings(redis, opts, limits.maxQueues);
  const names = [...exchangesByQueue.keys()].sort().slice(0, Math.max(0, limits.maxQueues));

  const lengthsPipe = redis.pipeline();
  const lists = names.map((name) => ({ name, keys: queueListKeys(opts, name) }));
  for (const queue of lists) for (const { key } of queue.keys) lengthsPipe.llen(key);
  const lengthReplies = await runPipeline(lengthsPipe);

  // Plan the peek from the lengths just read, so one pipeline serves every queue. Within a queue
  // the lists are visited in BRPOP order: every step-0 message runs before any step-3 one (3.2).
  const peekPipe = redis.pipeline();
  const plans: { queue: number; step: number; take: number }[] = [];
  const samples: QueueSample[] = [];
  let replyIndex = 0;
  for (const [queueIndex, queue] of lists.entries()) {
    const lengths: Record<number, number> = {};
    let remaining = Math.max(0, limits.peek);
    for (const { step, key } of queue.keys) {
      const length = replyNumber(lengthReplies[replyIndex++]);
      lengths[step] = length;
      const take = Math.min(length, remaining);
      if (take > 0) {
        // Index -1 is the oldest message and runs next: read the tail, reverse it (3.2).
        peekPipe.lrange(key, -take, -1);
        plans.push({ queue: queueIndex, step, take });
        remaining -= take;
      }
    }
    const exchanges = [...(exchangesByQueue.get(queue.name) ?? [])].sort();
    samples.push({ name: queue.name, exchanges, lengths, peek: [] });
  }
  const peekReplies = await runPipeline(peekPipe);
  for (const [i, plan] of plans.entries()) {
    const sample = samples[plan.queue]!;
    // The list may have changed since LLEN; never show more than planned.
    const items = replyStrings(peekReplies[i]).slice(-plan.take).reverse();
    for (const raw of items) {
      sample.peek.push(toPeekedMessage(raw, sample.peek.length, plan.step, limits.maxValueChars));
    }
  }
  const sampled = { type: 'queues/sampled' as const, at, queues: samples, undecodableBindings: undecodable };
  if (members.length === 0) return sampled;
  // Only a sep the members prove is a finding; members no candidate splits are counted as undecodable.
  const { detected, mismatch } = detectSep(opts.sep, members);
  return { ...sampled, sep: { detected, mismatch: detected === null ? null : mismatch } };
}

/** Queue name -> exchanges binding it, from every task exchange's binding set (wire doc 3.1). */
async function readBindings(
  redis: Redis,
  opts: WireOptions,
  maxKeys: number,
): Promise<{ exchangesByQueue: Map<string, Set<string>>; undecodable: number; members: string[] }> {
  const bindings = await scanBindingKeys(redis, opts, maxKeys);
  const pipe = redis.pipeline();
  for (const { key } of bindings) pipe.smembers(key);
  const replies = await runPipeline(pipe);

  const exchangesByQueue = new Map<string, Set<string>>();
  let undecodable = 0;
  // Raw members, bounded, for the sep check: they tell kombu's sep even when none decodes with ours.
  const members: string[] = [];
  for (const [i, { exchange }] of bindings.entries()) {
    const reply = replies[i];
    if (!reply?.ok) {
      undecodable++; // a binding key that is not a set: someone else's data under kombu's name
      continue;
    }
    // Members are never prefixed, even with global_keyprefix (wire doc 2); the list keys are.
    for (const member of replyStrings(reply)) {
      if (members.length < maxSepMembers) members.push(member);
      const binding = decodeBinding(member, opts.sep);
      if (!binding.ok || binding.value.queue === '') {
        undecodable++;
        continue;
      }
      const set = exchangesByQueue.get(binding.value.queue) ?? new Set<string>();
      set.add(exchange);
      exchangesByQueue.set(binding.value.queue, set);
    }
  }
  return { exchangesByQueue, undecodable, members };
}

/**
 * SCAN (never KEYS) the binding sets of task exchanges. Loops the cursor to completion, bounded by
 * `maxKeys` task bindings (with Celery's direct queues one key is one queue) and MAX_SCAN_CALLS.
 */
async function scanBindingKeys(
  redis: Redis,
  opts: WireOptions,
  maxKeys: number,
): Promise<{ key: string; exchange: string }[]> {
  const found = new Map<string, string>();
  const pattern = bindingScanPattern(opts);
  let cursor = '0';
  for (let calls = 0; calls < MAX_SCAN_CALLS && found.size < maxKeys; calls++) {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT);
    for (const key of keys) {
      const exchange = exchangeOfBindingKey(opts, key);
      // Event and pidbox exchanges hold bookkeeping bindings, not task queues (3.1).
      if (exchange !== null && isTaskExchange(opts, exchange) && found.size < maxKeys)
        found.set(key, exchange);
    }
    cursor = next;
    if (cursor === '0') break;
  }
  return [...found].map(([key, exchange]) => ({ key, exchange }));
}
