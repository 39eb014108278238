import { spawn } from 'node:child_process';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../sim/simulator.mjs';
import type { Snapshot } from '../../src/snapshot/select-snapshot.js';
import { onProcessEnd } from '../helpers/process-end.js';
import { spawnQtop } from '../helpers/qtop-cli.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { schemaErrors } from '../helpers/schema.js';

// The benchmarks' quick variants (bench/*.mjs --quick): each script must still run to the end
// and print its figure rows. Nothing here asserts speed: these are not timed tests, and a slow
// machine must not fail CI. The simulator is also checked on the wire: qtop must read its
// workers, queues, events and pidbox replies as it reads real Celery workers, and it must leave
// Redis as it found it.
const benchDir = path.resolve(process.cwd(), 'bench');
const running = new Set<ReturnType<typeof spawn>>();
onProcessEnd(() => {
  for (const child of running) child.kill('SIGKILL');
});

function runScript(
  name: string,
  args: string[] = ['--quick'],
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(benchDir, name), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.once('error', reject);
    child.once('close', (code) => {
      running.delete(child);
      resolve({ code, out });
    });
  });
}

/** Figure rows: `| date | machine | command | figure | value | target | ratio |`. */
function figures(out: string): string[] {
  return out.split('\n').filter((line) => /^\| \d{4}-\d{2}-\d{2} \| .+ \|$/.test(line));
}

function expectRun(result: { code: number | null; out: string }, wanted: string[]): void {
  expect(result.code, result.out).toBe(0);
  expect(result.out).toMatch(/^# date: \d{4}-/m);
  expect(result.out).toMatch(/^# machine: nproc \d+/m);
  expect(result.out).toMatch(/^# command: node bench\//m);
  const rows = figures(result.out);
  for (const figure of wanted)
    expect(
      rows.some((row) => row.includes(figure)),
      `${figure}\n${result.out}`,
    ).toBe(true);
  for (const row of rows) expect(row.split(' | ').length).toBe(7);
}

describe('benchmark scripts, quick variants', () => {
  it('event-ingest', { timeout: 90_000 }, async () => {
    expectRun(await runScript('event-ingest.mjs'), [
      'bare decode ceiling',
      'qtop pipeline (startEventStream -> store), own process: highest zero-loss rate',
      'qtop --json --watch: highest zero-loss rate',
      'Celery 5.2 State + kombu decoding (python3): highest zero-loss rate',
    ]);
  });

  it('memory', { timeout: 60_000 }, async () => {
    expectRun(await runScript('memory.mjs'), [
      'RSS after 20,000 distinct tasks',
      'growth past the cap',
      'pipeline process',
    ]);
  });

  it('snapshot-latency', { timeout: 120_000 }, async () => {
    expectRun(await runScript('snapshot-latency.mjs'), [
      '`qtop --json` wall time, 3 real workers',
      '`python3 -m celery inspect stats` wall time',
      '`python3 -m celery inspect active` wall time',
    ]);
  });

  it('startup', { timeout: 60_000 }, async () => {
    expectRun(await runScript('startup.mjs'), [
      '`qtop --version` wall time',
      '`qtop --help` wall time',
      'first JSON line',
    ]);
  });

  it('redis-load', { timeout: 60_000 }, async () => {
    expectRun(await runScript('redis-load.mjs'), [
      "qtop's Redis cost, 10 queues",
      "qtop's Redis cost, 1,000 queues",
    ]);
  });

  it('replay-seek', { timeout: 60_000 }, async () => {
    expectRun(await runScript('replay-seek.mjs'), [
      'load and index',
      'full rebuild',
      'seek +10 s near the end',
      '`qtop --json --replay FILE --at end` wall time',
    ]);
  });
});

describe('screen-cost, quick variant', () => {
  it('screen-cost', { timeout: 60_000 }, async () => {
    expectRun(await runScript('screen-cost.mjs'), [
      'TUI time per frame, queues panel',
      'TUI time per frame, tasks panel',
      'TUI idle CPU',
    ]);
  });
});

describe('key-latency, quick variant', () => {
  it('key-latency', { timeout: 90_000 }, async () => {
    expectRun(await runScript('key-latency.mjs'), [
      'key 3 → changed screen',
      'key Tab → changed screen',
      'key j → changed screen',
    ]);
  });
});

describe('simulator', () => {
  let redis: RedisServer | undefined;
  let sim: Simulator | undefined;
  afterAll(async () => {
    await sim?.stop();
    await redis?.stop();
  });

  it(
    'looks like Celery 5.2 workers to qtop, and leaves Redis as it found it',
    { timeout: 60_000 },
    async () => {
      redis = await startRedis();
      const client = new Redis(redis.url(0));
      try {
        sim = await startSimulator({
          broker: redis.url(0),
          workers: 4,
          concurrency: 2,
          queues: 3,
          idleQueues: 1,
          rate: 40,
          failureRate: 0.2,
          duration: 30,
        });
        // --watch, so heartbeats (every 2 s) and task events arrive while qtop listens; the first
        // line that knows every worker from its events and its pidbox replies is checked.
        const qtop = spawnQtop(['-b', redis.url(0), '--json', '--watch', '--interval', '1']);
        let snap: Snapshot;
        try {
          snap = await qtop.waitForLine<Snapshot>(
            (s) =>
              s.workers.length === 4 &&
              s.workers.every((w) => w.swVer !== null && w.poolMax !== null) &&
              (s.meta.counters.eventsByType['task-succeeded'] ?? 0) > 0,
            20_000,
          );
        } finally {
          expect(await qtop.stop('SIGINT')).toBe(0);
        }
        expect(schemaErrors(snap)).toEqual([]);
        expect(snap.workers.map((w) => w.hostname).sort()).toEqual([...sim.workers].sort());
        for (const worker of snap.workers) {
          expect(worker.state).toBe('online');
          expect(worker.poolMax).toBe(2); // from the `stats` reply
          expect(worker.prefetchCount).toBe(8);
          expect(worker.swVer).toBe('5.2.6'); // from worker-online / worker-heartbeat
          expect(worker.registered).toContain('orders.process');
          expect(worker.queues?.length).toBeGreaterThan(0); // from `active_queues`
        }
        expect(snap.queues.map((q) => q.name).sort()).toEqual([...sim.queues].sort());
        const idle = snap.queues.find((q) => q.name === sim!.queues.at(-1));
        expect(idle?.consumers.workers).toBe(0);
        expect(snap.meta.counters.eventsMalformed).toBe(0);
        const stats = sim.stats();
        expect(stats.received).toBeGreaterThan(0);
        expect(stats.pidboxReplies).toBeGreaterThan(0);
        expect(stats.errors).toBe(0);
        await sim.stop();
        expect(await client.dbsize()).toBe(0);
      } finally {
        client.disconnect();
      }
    },
  );

  it('the CLI stops by itself after --duration with its own private Redis', { timeout: 30_000 }, async () => {
    const result = await runScript('simulator.mjs', [
      '--workers',
      '3',
      '--queues',
      '2',
      '--duration',
      '2',
      '--quiet',
    ]);
    expect(result.code, result.out).toBe(0);
    expect(result.out).toMatch(/^simulator: 3 workers, 2 queues on redis:\/\/127\.0\.0\.1:\d+\/0/m);
    expect(result.out).toMatch(/^simulator: stopped\. .*received=[1-9]/m);
  });
});
