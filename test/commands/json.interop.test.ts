import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/snapshot/select-snapshot.js';
import { CELERY_APP_DIR, type Cluster, PYTHON, startCluster } from '../helpers/celery-worker.js';
import { runQtop, spawnQtop } from '../helpers/qtop-cli.js';
import { schemaErrors } from '../helpers/schema.js';
import { waitFor } from '../helpers/wait-for.js';

// `qtop --json` against real Celery 5.2 workers: w1 sends task events (-E), w2 does not and
// prefetches from a slow queue. Tests run in order; the last one SIGKILLs w1.
const run = promisify(execFile);
let cluster: Cluster;
let redis: Redis;

async function snapshot(extra: string[] = []): Promise<Snapshot> {
  const result = await runQtop(['-b', cluster.brokerUrl, '--json', ...extra]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const value = JSON.parse(result.stdout) as Snapshot;
  expect(schemaErrors(value)).toEqual([]);
  return value;
}

async function listLength(queue: string): Promise<number> {
  let total = 0;
  for (const suffix of ['', '\x06\x163', '\x06\x166', '\x06\x169']) total += await redis.llen(queue + suffix);
  return total;
}

beforeAll(async () => {
  cluster = await startCluster({
    workers: [
      { name: 'w1', events: true, concurrency: 2, queues: ['celery', 'other'] },
      { name: 'w2', events: false, concurrency: 1, queues: ['slow'] },
    ],
  });
  redis = new Redis(cluster.brokerUrl);
});

afterAll(async () => {
  redis?.disconnect();
  await cluster?.stop();
});

describe('qtop --json on a live cluster', () => {
  it('shows backlogs, workers, reserved tasks of a worker without -E, and results from before it started', async () => {
    const [doneId] = await cluster.sendTasks('app.add', [20, 22]);
    await cluster.sendTasks('app.add', [1, 1], { queue: 'parked', count: 3 });
    await cluster.sendTasks('app.add', [2, 2], { queue: 'parked', count: 2, priority: 9 });
    await cluster.sendTasks('app.sleepy', [30], { queue: 'slow', count: 6 });
    await waitFor(
      async () => (await redis.exists(`celery-task-meta-${doneId}`)) === 1,
      15_000,
      'add(20, 22) done',
    );
    await waitFor(async () => (await redis.hlen('unacked')) > 0, 15_000, 'w2 to prefetch');

    const snap = await snapshot();
    const parked = snap.queues.find((q) => q.name === 'parked')!;
    expect(parked.total).toBe(await listLength('parked'));
    expect(parked.total).toBe(5);
    expect(parked.byPriority).toMatchObject({ 0: 3, 9: 2 });
    expect(parked.consumers.workers).toBe(0);
    expect(parked.peek.map((m) => m.priorityStep)).toEqual([0, 0, 0, 9, 9]);

    const w1 = snap.workers.find((w) => w.hostname.startsWith('w1@'))!;
    expect(w1).toMatchObject({ state: 'online', poolMax: 2, queues: ['celery', 'other'] });
    const w2 = snap.workers.find((w) => w.hostname.startsWith('w2@'))!;
    expect(w2.state).toBe('online');
    expect(w2.poolMax).toBe(1);
    expect(w2.reservedCount).toBeGreaterThan(0);
    const reservedOnW2 = snap.tasks.rows.filter((t) => t.worker === w2.hostname && t.state === 'RECEIVED');
    expect(reservedOnW2.length).toBe(w2.reservedCount);
    expect(reservedOnW2.every((t) => t.name === 'app.sleepy' && t.queue === 'slow')).toBe(true);
    const slow = snap.queues.find((q) => q.name === 'slow')!;
    expect(slow.reserved).toBe(await redis.hlen('unacked'));

    const done = snap.tasks.rows.find((t) => t.id === doneId)!;
    expect(done.state).toBe('SUCCESS');
    expect(done.origins).toContain('result');
    expect(snap.meta.broker).toBe(cluster.brokerUrl);
    expect(Object.values(snap.meta.sources).every((s) => s.state === 'ok')).toBe(true);
  });

  it('answers within the snapshot latency target and reads nothing destructively', async () => {
    const before = await listLength('parked');
    const result = await runQtop(['-b', cluster.brokerUrl, '--json']);
    expect(result.code).toBe(0);
    expect(await listLength('parked')).toBe(before);
    // a bound, not a benchmark: an early-finishing round never waits for the 1.5 s window
    expect(result.ms).toBeLessThan(1_500);
  });

  it('--watch follows tasks live: success with runtime, failure with traceback, retries, revoke, and a killed worker goes lost', async () => {
    const watch = spawnQtop(['-b', cluster.brokerUrl, '--json', '--watch', '--interval', '0.5']);
    try {
      await watch.waitForLine<Snapshot>((s) => s.schema === 'qtop/1', 10_000);
      const [addId] = await cluster.sendTasks('app.add', [2, 3]);
      const [boomId] = await cluster.sendTasks('app.boom', ['kaboom']);
      const [flakyId] = await cluster.sendTasks('app.flaky', [2]);
      const [sleepyId] = await cluster.sendTasks('app.sleepy', [30]);
      const started = await watch.waitForLine<Snapshot>(
        (s) => s.tasks.rows.some((t) => t.id === sleepyId && t.state === 'STARTED'),
        15_000,
      );
      expect(started.tasks.rows.find((t) => t.id === sleepyId)!.worker).toMatch(/^w1@/);
      await run(
        PYTHON,
        ['-m', 'celery', '-A', 'qtop_test_app', 'control', 'terminate', 'SIGTERM', sleepyId!],
        {
          cwd: CELERY_APP_DIR,
          env: { ...process.env, QTOP_BROKER_URL: cluster.brokerUrl },
        },
      );

      const settled = await watch.waitForLine<Snapshot>((s) => {
        const state = (id: string | undefined) => s.tasks.rows.find((t) => t.id === id)?.state;
        return (
          state(addId) === 'SUCCESS' &&
          state(boomId) === 'FAILURE' &&
          state(flakyId) === 'SUCCESS' &&
          state(sleepyId) === 'REVOKED'
        );
      }, 30_000);
      expect(schemaErrors(settled)).toEqual([]);
      const add = settled.tasks.rows.find((t) => t.id === addId)!;
      expect(add.runtime).toBeGreaterThan(0);
      expect(add.runtime).toBeLessThan(5);
      const boom = settled.tasks.rows.find((t) => t.id === boomId)!;
      expect(boom.exception).toBe("ValueError('kaboom')");
      const failure = settled.failures.find((f) => f.exampleId === boomId)!;
      expect(failure.exampleTraceback).toContain('raise ValueError(msg)');
      expect(settled.tasks.rows.find((t) => t.id === flakyId)!.retries).toBe(2);
      const flakyStats = settled.taskNames.find((n) => n.name === 'app.flaky')!;
      expect(flakyStats.retried).toBe(2);
      const addStats = settled.taskNames.find((n) => n.name === 'app.add')!;
      expect(addStats.runtime?.p50).toBeGreaterThan(0);
      expect(settled.meta.counters.eventsMalformed).toBe(0);

      const w1 = cluster.workers.find((w) => w.name === 'w1')!;
      w1.kill('SIGKILL');
      const killedAt = Date.now();
      const lost = await watch.waitForLine<Snapshot>(
        (s) => s.workers.some((w) => w.hostname === w1.hostname && w.state === 'lost'),
        15_000,
      );
      // Celery's rule: lost once 2 × freq (2 s) pass without a heartbeat; plus one interval
      expect(Date.now() - killedAt).toBeLessThan(8_000);
      expect(lost.totals.workersLost).toBeGreaterThanOrEqual(1);
    } finally {
      expect(await watch.stop('SIGINT')).toBe(0);
    }
  });
});
