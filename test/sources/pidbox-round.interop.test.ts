import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/base/clock.js';
import { replyBindingKey } from '../../src/celery/names.js';
import { wireOptions } from '../../src/celery/options.js';
import type { Json } from '../../src/celery/types.js';
import { inspectRound } from '../../src/sources/inspector.js';
import { pidboxRound } from '../../src/sources/pidbox-round.js';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { waitFor } from '../helpers/wait-for.js';

// Real Celery 5.2 workers answering qtop's pidbox rounds (wire doc 7.2/7.3). One cluster per file.
const opts = wireOptions();
let cluster: Cluster;
let redis: Redis;
let replies: Redis;
let w1: string;
let w2: string;
let bindingBefore: string[];

beforeAll(async () => {
  cluster = await startCluster({
    workers: [
      { name: 'w1', concurrency: 2 },
      { name: 'w2', concurrency: 3 },
    ],
  });
  [w1, w2] = cluster.workers.map((worker) => worker.hostname) as [string, string];
  redis = new Redis(cluster.brokerUrl);
  replies = new Redis(cluster.brokerUrl);
  // Members the workers' own start-up (mingle) may have left; ours must never add to them.
  bindingBefore = (await redis.smembers(replyBindingKey(opts))).sort();
});

afterAll(async () => {
  redis?.disconnect();
  replies?.disconnect();
  await cluster?.stop();
});

/** Every round leaves the broker as it found it: no reply binding member, no reply list. */
afterEach(async () => {
  expect((await redis.smembers(replyBindingKey(opts))).sort()).toEqual(bindingBefore);
  const [, lists] = await redis.scan('0', 'MATCH', '*.reply.celery.pidbox*', 'COUNT', 10_000);
  expect(lists).toEqual([]);
});

const round = (method: string, timeoutMs: number, more: Parameters<typeof pidboxRound>[4] = { timeoutMs }) =>
  pidboxRound(redis, replies, opts, { method }, { ...more, timeoutMs }, systemClock);

describe('pidboxRound with real workers', () => {
  it('ping: both workers answer and the round ends as soon as they did', async () => {
    const result = await round('ping', 5_000, { timeoutMs: 5_000, expect: [w1, w2] });
    expect(result.replies.map((r) => r.node).sort()).toEqual([w1, w2].sort());
    for (const reply of result.replies) expect(reply).toMatchObject({ value: { ok: 'pong' }, error: null });
    expect(result.silent).toEqual([]);
    expect(result.elapsedMs).toBeLessThan(3_000);
    expect(result.published).toBeGreaterThanOrEqual(2); // an upper bound: every pattern subscriber counts
  });

  it("stats: pool max-concurrency is each worker's --concurrency", async () => {
    const result = await round('stats', 5_000, { timeoutMs: 5_000, expect: [w1, w2] });
    const pool = (node: string) =>
      (result.replies.find((r) => r.node === node)?.value as { pool?: Record<string, Json> } | undefined)
        ?.pool;
    expect(pool(w1)?.['max-concurrency']).toBe(2);
    expect(pool(w2)?.['max-concurrency']).toBe(3);
  });

  it('destination [w1]: only w1 answers, and it is expected by default', async () => {
    const result = await pidboxRound(
      redis,
      replies,
      opts,
      { method: 'ping', destination: [w1] },
      { timeoutMs: 5_000 },
      systemClock,
    );
    expect(result.replies.map((r) => r.node)).toEqual([w1]);
    expect(result.silent).toEqual([]);
    expect(result.elapsedMs).toBeLessThan(3_000);
  });

  it('pattern w1@* with the glob matcher reaches w1 only', async () => {
    const result = await pidboxRound(
      redis,
      replies,
      opts,
      { method: 'ping', pattern: 'w1@*', matcher: 'glob' },
      { timeoutMs: 5_000, limit: 1 },
      systemClock,
    );
    expect(result.replies.map((r) => r.node)).toEqual([w1]);
  });

  it('an unknown method comes back as a KeyError reply from each worker', async () => {
    const result = await round('no_such_method', 5_000, { timeoutMs: 5_000, expect: [w1, w2] });
    expect(result.replies).toHaveLength(2);
    for (const reply of result.replies) expect(reply.error).toMatch(/^KeyError\('no_such_method'/);
  });

  it('a node that does not exist stays silent and the round runs to its timeout', async () => {
    const result = await round('ping', 1_500, { timeoutMs: 1_500, expect: [w1, w2, 'ghost@nowhere'] });
    expect(result.silent).toEqual(['ghost@nowhere']);
    expect(result.replies.map((r) => r.node).sort()).toEqual([w1, w2].sort());
    expect(result.elapsedMs).toBeGreaterThanOrEqual(1_500);
    expect(result.elapsedMs).toBeLessThan(2_500);
  });

  it('an aborted round rejects promptly and still cleans up', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    await expect(
      round('ping', 5_000, { timeoutMs: 5_000, expect: ['ghost@nowhere'], signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('a cast (reply: false) publishes without a binding and returns at once', async () => {
    const result = await round('heartbeat', 5_000, { timeoutMs: 5_000, reply: false });
    expect(result.replies).toEqual([]);
    expect(result.published).toBeGreaterThanOrEqual(2);
    expect(result.elapsedMs).toBeLessThan(1_000);
  });
});

describe('inspectRound', () => {
  it('active shows the id of a running app.sleepy, and ends early for known workers', async () => {
    const [id] = await cluster.sendTasks('app.sleepy', [3]);
    let action: Awaited<ReturnType<typeof inspectRound>> | undefined;
    await waitFor(
      async () => {
        action = await inspectRound(redis, replies, opts, 'active', [w1, w2], 5_000, systemClock);
        return action.replies.some(
          (r) => Array.isArray(r.value) && r.value.some((t) => (t as { id?: string }).id === id),
        );
      },
      15_000,
      'the sleepy task to be active',
    );
    expect(action).toMatchObject({ type: 'inspect/replied', method: 'active', silent: [] });
    const running = action!.replies.flatMap((r) => (Array.isArray(r.value) ? r.value : []));
    expect(running).toContainEqual(expect.objectContaining({ id, name: 'app.sleepy', args: [3] }));
  });

  it('with no known workers it waits the whole timeout and returns whoever answered', async () => {
    const started = Date.now();
    const action = await inspectRound(redis, replies, opts, 'ping', [], 1_000, systemClock);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(action.replies.map((r) => r.node).sort()).toEqual([w1, w2].sort());
    expect(action.silent).toEqual([]);
  });
});
