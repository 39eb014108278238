import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../commands/config/config.js';
import { type Collection, openCollection } from '../../commands/live/collect.js';
import type { CliIo } from '../../commands/shared/io.js';
import { systemClock } from '../../src/base/clock.js';
import { wireOptions } from '../../src/celery/options.js';
import { drainSec } from '../../src/hints/maths/queueing.js';
import type { QueueHint } from '../../src/hints/maths/types.js';
import { selectHints } from '../../src/hints/select/select-hints.js';
import { pidboxRound } from '../../src/sources/pidbox-round.js';
import { type Cluster, startCluster, startWorker, type Worker } from '../helpers/celery-worker.js';
import { runQtop } from '../helpers/qtop-cli.js';
import { waitFor } from '../helpers/wait-for.js';

// The drain-time hint against a real backlog (issue 7, "Done when"): tasks are queued first, then
// a prefork worker of known concurrency starts, and qtop samples the cluster live the way
// `qtop hints` does (store + collector). The hint made while the queue drains is compared with
// the drain then observed. Then the slots-needed hint is applied with pool_grow and the shorter
// drain is compared with its prediction. Both errors are printed ([drain], [grow] lines).
const QUEUE = 'drain';
/** Short tasks, where worker overhead is a visible share of the runtime. */
const SHORT_SEC = 0.05;
const SHORT_TASKS = 1000;
/**
 * Longer tasks for pool_grow: with 50 ms tasks one worker's main process, not its slots, caps the
 * throughput near 40/s on this machine (measured: 2 → 7 slots gave 38 → 43/s), which a per-slot
 * model cannot predict; see docs/hints.md, limits.
 */
const GROW_SEC = 0.25;
const GROW_TASKS = 240;
/** Live sampling before the hint is read: ~10 backlog samples and hundreds of completions. */
const SAMPLE_MS = 10_000;
const CONCURRENCY = 2;

let cluster: Cluster;
let redis: Redis;
let replies: Redis;
const workers: Worker[] = [];
const collections: Collection[] = [];

const quietIo: CliIo = { stdout: process.stdout, stderr: process.stderr, env: {}, setExitCode: () => {} };

beforeAll(async () => {
  cluster = await startCluster({ workers: [] });
  redis = new Redis(cluster.brokerUrl);
  replies = new Redis(cluster.brokerUrl);
});

afterAll(async () => {
  for (const c of collections) await c.collector.stop();
  redis?.disconnect();
  replies?.disconnect();
  await Promise.all(workers.map((w) => w.stop()));
  await cluster?.stop();
});

/** B = ready + reserved, straight from Redis (the test has a single queue). */
async function backlog(): Promise<number> {
  const [ready, reserved] = await Promise.all([redis.llen(QUEUE), redis.hlen('unacked')]);
  return ready + reserved;
}

/** Queue `count` sleepy tasks, then start a 2-slot prefork worker on them. */
async function backlogWithWorker(name: string, count: number, taskSec: number): Promise<Worker> {
  await cluster.sendTasks('app.sleepy', [taskSec], { queue: QUEUE, count });
  expect(await redis.llen(QUEUE)).toBe(count);
  const worker = await startWorker({
    brokerUrl: cluster.brokerUrl,
    name,
    queues: [QUEUE],
    concurrency: CONCURRENCY,
    pool: 'prefork',
    events: true,
  });
  workers.push(worker);
  return worker;
}

/** Collect live for SAMPLE_MS, as `qtop hints` does, and return the collection still running. */
async function sampleLive(): Promise<Collection> {
  const config = resolveConfig({ broker: cluster.brokerUrl }, {});
  const collection = await openCollection(config, quietIo, 1_500);
  if (!collection) throw new Error('could not connect');
  collections.push(collection);
  await collection.collector.collectOnce(2_000);
  collection.collector.start();
  await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
  return collection;
}

function hintOf(collection: Collection, targetSec = 300): { hint: QueueHint; at: number } {
  const at = Date.now();
  const hint = selectHints(collection.store.getModel(), at, { targetSec }).queues.find(
    (q) => q.queue === QUEUE,
  );
  if (!hint) throw new Error(`no hint for ${QUEUE}`);
  return { hint, at };
}

/** Milliseconds from `from` until B is 0, polled every 25 ms. */
async function drainedAfter(from: number): Promise<number> {
  await waitFor(async () => (await backlog()) === 0, 90_000, `${QUEUE} to drain`, 25);
  return Date.now() - from;
}

/** Pool processes running now, from the worker's `stats` reply (one read-only pidbox round). */
async function processes(worker: Worker): Promise<number> {
  const request = { method: 'stats', destination: [worker.hostname] };
  const round = await pidboxRound(redis, replies, wireOptions(), request, { timeoutMs: 3_000 }, systemClock);
  const pool = (round.replies[0]?.value as { pool?: { processes?: number[] } } | undefined)?.pool;
  return pool?.processes?.length ?? -1;
}

const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

describe('drain-time hint on a real cluster', () => {
  it('predicts the drain of a backlog of short tasks within ±25%', { timeout: 150_000 }, async () => {
    const worker = await backlogWithWorker('d1', SHORT_TASKS, SHORT_SEC);
    const collection = await sampleLive();
    const { hint, at } = hintOf(collection);
    const observedMs = await drainedAfter(at);
    await collection.collector.stop();
    const predictedMs = hint.drainSec! * 1000;
    const error = (predictedMs - observedMs) / observedMs;
    const runtimeMu = 1 / hint.service.meanRuntimeSec!;
    console.log(
      `[drain] ${SHORT_TASKS} × sleepy(${SHORT_SEC}) on ${CONCURRENCY} prefork slots: B=${hint.backlog.total}, ` +
        `λ=${hint.arrival.perSec!.toFixed(2)}/s, μ=${hint.service.perSlotPerSec!.toFixed(2)}/s per slot ` +
        `(${hint.service.method}; 1/runtime would say ${runtimeMu.toFixed(2)}), "${hint.forecast.text}", ` +
        `confidence ${hint.confidence}; predicted ${sec(predictedMs)}, observed ${sec(observedMs)}, ` +
        `error ${(error * 100).toFixed(1)}%`,
    );
    expect(hint.forecast.kind).toBe('draining');
    expect(hint.slots.current).toBe(CONCURRENCY);
    expect(hint.confidence).not.toBe('low');
    expect(Math.abs(error)).toBeLessThanOrEqual(0.25);
    await worker.stop();
  });

  it(
    'applying the slots-needed hint with pool_grow shortens the drain as predicted',
    { timeout: 150_000 },
    async () => {
      const worker = await backlogWithWorker('d2', GROW_TASKS, GROW_SEC);
      const collection = await sampleLive();
      // A target a third of the current drain asks for about three times the slots.
      const target = hintOf(collection).hint.drainSec! / 3;
      const { hint } = hintOf(collection, target);
      await collection.collector.stop();
      const needed = hint.slotsToDrain!;
      const mu = hint.service.perSlotPerSec!;
      const lambda = hint.arrival.perSec!;
      expect(needed).toBeGreaterThan(CONCURRENCY);
      // Applied as the hint's text says: `qtop pool WORKER grow N` (the control layer's pool_grow).
      const by = String(needed - CONCURRENCY);
      const grow = await runQtop(['pool', worker.hostname, 'grow', by, '-b', cluster.brokerUrl]);
      expect(grow.code).toBe(0);
      const grownAt = Date.now();
      // Prefork starts new processes at its next maintenance tick (every 5 s: celery
      // concurrency/asynpool.py, `timers`), so the prediction starts when `stats` lists them.
      await waitFor(async () => (await processes(worker)) === needed, 10_000, 'the grown pool', 100);
      const upAt = Date.now();
      const b = await backlog();
      const predictedMs = drainSec(b, needed, mu, lambda)! * 1000;
      const unchangedMs = drainSec(b, CONCURRENCY, mu, lambda)! * 1000;
      const observedMs = await drainedAfter(upAt);
      const error = (predictedMs - observedMs) / observedMs;
      console.log(
        `[grow] ${GROW_TASKS} × sleepy(${GROW_SEC}): target ${target.toFixed(1)} s → slotsToDrain ${needed} ` +
          `(μ ${mu.toFixed(2)}/s, λ ${lambda.toFixed(2)}/s); qtop pool grow ${by}, processes up after ` +
          `${sec(upAt - grownAt)} with B=${b}; predicted ${sec(predictedMs)} (unchanged pool: ${sec(unchangedMs)}), ` +
          `observed ${sec(observedMs)}, error ${(error * 100).toFixed(1)}%`,
      );
      expect(observedMs).toBeLessThan(unchangedMs * 0.6);
      expect(Math.abs(error)).toBeLessThanOrEqual(0.25);
    },
  );
});
