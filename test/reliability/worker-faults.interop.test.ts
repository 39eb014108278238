import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/snapshot/select-snapshot.js';
import { type Cluster, startCluster, startWorker, type Worker } from '../helpers/celery-worker.js';
import { type QtopProcess, runQtop, spawnQtop } from '../helpers/qtop-cli.js';
import { schemaErrors } from '../helpers/schema.js';
import { waitFor } from '../helpers/wait-for.js';

// Real Celery 5.2 workers frozen (SIGSTOP), killed (SIGKILL) and restarted under qtop. w2 consumes
// 'slow' with one pool slot, so of three sleepy tasks one runs and two wait reserved in `unacked`.
// Its visibility_timeout is 4 s, so a restarted w2 restores what the killed one held (wire doc 3.4).
let cluster: Cluster;
let redis: Redis;
let w1: Worker;
let w2: Worker;
const extra: Worker[] = [];
const w2Options = {
  name: 'w2',
  events: true,
  concurrency: 1,
  queues: ['slow'],
  env: { QTOP_VISIBILITY_TIMEOUT: '4' },
};

beforeAll(async () => {
  cluster = await startCluster({ workers: [{ name: 'w1', events: true, concurrency: 1 }, w2Options] });
  [w1, w2] = cluster.workers as [Worker, Worker];
  redis = new Redis(cluster.brokerUrl);
});

afterEach(() => {
  w2.kill('SIGCONT'); // never leave a frozen worker behind a failed test
});

afterAll(async () => {
  redis?.disconnect();
  await Promise.all(extra.map((worker) => worker.stop()));
  await cluster?.stop();
});

const worker = (s: Snapshot, w: Worker) => s.workers.find((row) => row.hostname === w.hostname);

/** Ids of the tasks `w` holds reserved, as the snapshot shows them: received, waiting in `unacked`. */
const reservedOn = (s: Snapshot, w: Worker) =>
  s.tasks.rows
    .filter((t) => t.worker === w.hostname && t.state === 'RECEIVED' && t.origins.includes('unacked'))
    .map((t) => t.id)
    .sort();

/** Three sleepy tasks on 'slow': resolves with the two w2 holds reserved once it holds them. */
async function loadW2(secs: number): Promise<string[]> {
  const ids = await cluster.sendTasks('app.sleepy', [secs], { queue: 'slow', count: 3 });
  await waitFor(async () => (await redis.hlen('unacked')) === 2, 15_000, 'w2 to reserve two tasks');
  return ids;
}

async function watching(): Promise<QtopProcess> {
  const watch = spawnQtop([
    '-b',
    cluster.brokerUrl,
    '--json',
    '--watch',
    '--interval',
    '0.5',
    '--inspect-interval',
    '1',
  ]);
  await watch.waitForLine<Snapshot>((s) => worker(s, w2)?.state === 'online', 15_000);
  return watch;
}

describe('an inspect round with a frozen worker', () => {
  it('--json: the round ends on time, w1 answers, and the silent w2 is named', async () => {
    w2.kill('SIGSTOP');
    const result = await runQtop(['-b', cluster.brokerUrl, '--json']);
    w2.kill('SIGCONT');
    expect(result.code).toBe(0);
    // the ping round waits its timeout (60% of the 1.5 s window) for w2, the others only for w1
    expect(result.ms).toBeLessThan(2_500);
    const snap = JSON.parse(result.stdout) as Snapshot;
    expect(schemaErrors(snap)).toEqual([]);
    expect(worker(snap, w1)).toMatchObject({ state: 'online', poolMax: 1, silentRounds: 0, activeCount: 0 });
    expect(worker(snap, w2)).toMatchObject({ state: 'pidbox-only', poolMax: null, silentRounds: 1 });
    expect(snap.workers.filter((w) => w.silentRounds > 0).map((w) => w.hostname)).toEqual([w2.hostname]);
    expect(snap.meta.complete).toBe(true);
  });
});

describe('qtop --json --watch while workers fail', () => {
  it('SIGSTOP: heartbeats stop and w2 is lost with its reserved tasks noted; SIGCONT: back online', async () => {
    await loadW2(6);
    const watch = await watching();
    try {
      const before = await watch.waitForLine<Snapshot>((s) => reservedOn(s, w2).length === 2, 10_000);
      const reserved = reservedOn(before, w2);
      w2.kill('SIGSTOP');
      const lost = await watch.waitForLine<Snapshot>((s) => worker(s, w2)?.state === 'lost', 15_000);
      expect(schemaErrors(lost)).toEqual([]);
      expect(reservedOn(lost, w2)).toEqual(reserved); // still held in `unacked` by a lost worker
      expect(lost.totals.workersLost).toBe(1);
      expect(lost.totals.reserved).toBe(2);
      expect(lost.queues.find((q) => q.name === 'slow')?.reserved).toBe(2);
      expect(worker(lost, w1)?.state).toBe('online');
      // The hints name the lost worker and what it held (src/hints).
      const finding = lost.hints.findings.find((f) => f.kind === 'lost-worker' && f.worker === w2.hostname);
      expect(finding?.taskIds).toEqual(expect.arrayContaining(reserved));
      w2.kill('SIGCONT');
      const back = await watch.waitForLine<Snapshot>((s) => worker(s, w2)?.state === 'online', 15_000);
      expect(back.totals.workersLost).toBe(0);
    } finally {
      w2.kill('SIGCONT');
      expect(await watch.stop('SIGINT')).toBe(0);
    }
    await waitFor(async () => (await redis.hlen('unacked')) === 0, 30_000, 'w2 to finish its tasks');
  });

  it('SIGKILL: w2 is lost holding reserved tasks; restarted, it is back and runs them (redelivered)', async () => {
    const sent = await loadW2(2);
    const watch = await watching();
    try {
      const before = await watch.waitForLine<Snapshot>((s) => reservedOn(s, w2).length === 2, 10_000);
      const reserved = reservedOn(before, w2);
      const scores = await redis.zrange('unacked_index', '0', '-1', 'WITHSCORES');
      const deliveredAt = Math.max(...scores.filter((_, i) => i % 2 === 1).map(Number));
      w2.kill('SIGKILL');
      const lost = await watch.waitForLine<Snapshot>((s) => worker(s, w2)?.state === 'lost', 15_000);
      expect(reservedOn(lost, w2)).toEqual(reserved);
      expect(await redis.hlen('unacked')).toBe(2); // nobody runs them until a restore sweep

      // Past w2's visibility_timeout, a restarted w2 sweeps them back to 'slow' at start.
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, deliveredAt * 1000 + 4_500 - Date.now())),
      );
      const again = await startWorker({ ...w2Options, brokerUrl: cluster.brokerUrl });
      extra.push(again);
      const done = await watch.waitForLine<Snapshot>(
        (s) =>
          worker(s, w2)?.state === 'online' &&
          reserved.every((id) => s.tasks.rows.find((t) => t.id === id)?.state === 'SUCCESS'),
        30_000,
      );
      expect(schemaErrors(done)).toEqual([]);
      expect(done.totals.workersLost).toBe(0);
      expect(await redis.hlen('unacked')).toBe(0);
      const results = await Promise.all(sent.map((id) => redis.get(`celery-task-meta-${id}`)));
      for (const id of reserved) expect(JSON.parse(results[sent.indexOf(id)]!).status).toBe('SUCCESS');
    } finally {
      expect(await watch.stop('SIGINT')).toBe(0);
    }
  });
});
