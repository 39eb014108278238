import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/base/clock.js';
import { wireOptions } from '../../src/celery/options.js';
import { parseRedisUrl } from '../../src/redis/index.js';
import type { Snapshot } from '../../src/snapshot/select-snapshot.js';
import { createCollector } from '../../src/sources/collector.js';
import type { Action } from '../../src/store/actions.js';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { spawnQtop } from '../helpers/qtop-cli.js';
import { startRedis } from '../helpers/redis-server.js';
import { schemaErrors } from '../helpers/schema.js';
import { waitFor } from '../helpers/wait-for.js';
import { type Monitored, qtopViolations, recordMonitor } from './monitor-audit.js';
import { heartbeat } from './wire.js';

// qtop watching a busy cluster (two workers, 300 tasks, inspect every second) must not change
// what runs: every task runs exactly once, and qtop's own commands, over all its connections, are
// reads plus the pidbox round trips on its own reply binding and list.
let cluster: Cluster;
let redis: Redis;

beforeAll(async () => {
  cluster = await startCluster({
    workers: [
      { name: 'w1', events: true, concurrency: 2 },
      { name: 'w2', events: true, concurrency: 2 },
    ],
  });
  redis = new Redis(cluster.brokerUrl);
});

afterAll(async () => {
  redis?.disconnect();
  await cluster?.stop();
});

/** Local addresses of `pid`'s TCP connections to Redis, from the kernel's socket table. */
function socketsOf(pid: number, port: number): string[] {
  const table = execFileSync('ss', ['-Htnp'], { encoding: 'utf8' });
  return table
    .split('\n')
    .filter((line) => line.includes(`127.0.0.1:${port} `) && line.includes(`pid=${pid},`))
    .map((line) => line.trim().split(/\s+/)[3]!)
    .filter((local) => local !== `127.0.0.1:${port}`);
}

/** How often each task id appears in the workers' logs as received and as finished. */
function logCounts(): { received: Map<string, number>; finished: Map<string, number> } {
  const received = new Map<string, number>();
  const finished = new Map<string, number>();
  const bump = (map: Map<string, number>, id: string) => map.set(id, (map.get(id) ?? 0) + 1);
  for (const worker of cluster.workers) {
    for (const line of fs.readFileSync(worker.logFile, 'utf8').split('\n')) {
      const match = /Task app\.\w+\[([0-9a-f-]{36})\] (received|succeeded|raised)/.exec(line);
      if (match) bump(match[2] === 'received' ? received : finished, match[1]!);
    }
  }
  return { received, finished };
}

describe('qtop --json --watch over a busy cluster', () => {
  it('every task runs exactly once, and qtop only reads (plus its own pidbox round trips)', async () => {
    const monitor: Monitored = await recordMonitor(cluster.brokerUrl);
    const args = [
      '--json',
      '--watch',
      '--interval',
      '0.5',
      '--queue-interval',
      '0.5',
      '--inspect-interval',
      '1',
    ];
    const watch = spawnQtop(['-b', cluster.brokerUrl, ...args, '--results-interval', '0.5']);
    const seenSockets = new Set<string>();
    const sampler = setInterval(() => {
      for (const local of socketsOf(watch.pid, cluster.redis.port)) seenSockets.add(local);
    }, 300);
    const sent: string[] = [];
    let last: Snapshot;
    try {
      await watch.waitForLine<Snapshot>(
        (s) => s.workers.filter((w) => w.state === 'online').length === 2,
        15_000,
      );
      sent.push(...(await cluster.sendTasks('app.add', [2, 2], { count: 250 })));
      sent.push(...(await cluster.sendTasks('app.sleepy', [0.2], { count: 40 })));
      sent.push(...(await cluster.sendTasks('app.boom', ['kaboom'], { count: 10 })));
      // task_track_started writes STARTED first: wait for the final states.
      await waitFor(
        async () =>
          (await redis.mget(...sent.map((id) => `celery-task-meta-${id}`))).every((meta) =>
            /"status": "(SUCCESS|FAILURE)"/.test(meta ?? ''),
          ),
        60_000,
        'every task to finish',
      );
      // qtop sees every one of them finish (from events and results).
      last = await watch.waitForLine<Snapshot>((s) => {
        const states = new Map(s.tasks.rows.map((t) => [t.id, t.state]));
        // A full load window (5 s) that covered the busy part, for the figure below.
        const windowed = (s.meta.load?.windowMs ?? 0) >= 4_000;
        return windowed && sent.every((id) => /^(SUCCESS|FAILURE)$/.test(states.get(id) ?? ''));
      }, 15_000);
    } finally {
      clearInterval(sampler);
      expect(await watch.stop('SIGINT')).toBe(0);
    }
    const commands = await monitor.stop();

    // Exactly once: one result each, the right outcome, one "received" and one finish in the logs.
    const metas = await redis.mget(...sent.map((id) => `celery-task-meta-${id}`));
    const statuses = metas.map((meta) => (JSON.parse(meta!) as { status: string }).status);
    expect(statuses.filter((s) => s === 'SUCCESS')).toHaveLength(290);
    expect(statuses.filter((s) => s === 'FAILURE')).toHaveLength(10);
    const { received, finished } = logCounts();
    for (const id of sent) {
      expect(received.get(id), `received ${id}`).toBe(1);
      expect(finished.get(id), `finished ${id}`).toBe(1);
    }
    expect(received.size).toBe(sent.length); // nothing ran that was not sent
    expect(await redis.llen('celery')).toBe(0);
    expect(await redis.hlen('unacked')).toBe(0);

    // qtop saw them too, and says what watching cost.
    expect(schemaErrors(last)).toEqual([]);
    expect(last.totals.ready).toBe(0);
    expect(last.failures.find((f) => f.name === 'app.boom')?.count).toBe(10);
    expect(last.meta.load!.commandsPerSec).toBeGreaterThan(0);
    process.stdout.write(`qtop load on a busy 2-worker cluster: ${JSON.stringify(last.meta.load)}\n`);

    // Every connection the qtop process held is one of its named connections in MONITOR.
    const names = monitor.names();
    expect(seenSockets.size).toBeGreaterThanOrEqual(3);
    for (const local of seenSockets) expect(names.get(local), local).toMatch(/^qtop(-\w+)?$/);
    expect(qtopViolations(commands, names)).toEqual([]);
    const brpops = commands.filter(
      (c) => c.args[0]?.toLowerCase() === 'brpop' && names.get(c.source)?.startsWith('qtop'),
    );
    expect(brpops.length).toBeGreaterThan(0);
    expect(new Set(brpops.map((c) => names.get(c.source)))).toEqual(new Set(['qtop-replies']));
  });
});

describe("qtop's reported Redis load", () => {
  it('counts the bytes of every connection, the event subscriber included', async () => {
    const server = await startRedis();
    const publisher = new Redis(server.url(0));
    const target = parseRedisUrl(server.url(0));
    if (!target.ok) throw new Error(target.reason);
    const actions: Action[] = [];
    const collector = createCollector(
      {
        broker: target.value,
        backend: target.value,
        wire: wireOptions(),
        interactive: false,
        connectTimeoutMs: 5_000,
        peek: 10,
        maxValueChars: 65_536,
        maxQueues: 100,
        maxUnacked: 100,
        cadence: { queues: 1_000, inspect: 5_000, results: 2_000 },
        resultsScanBudget: 100,
        // With no worker the ping round waits this long: the window in which the events arrive.
        inspectTimeoutMs: 1_500,
        knownWorkers: () => [],
      },
      (action) => actions.push(action),
      systemClock,
    );
    try {
      await collector.connect();
      const collecting = collector.collectOnce(5_000);
      const events = await waitForSubscriber(publisher).then(() => publishEvents(publisher, 200));
      await collecting;
      const load = actions.find(
        (a): a is Extract<Action, { type: 'load/measured' }> => a.type === 'load/measured',
      )!;
      expect(load.bytesIn).toBeGreaterThan(events);
    } finally {
      await collector.stop();
      publisher.disconnect();
      await server.stop();
    }
  });
});

async function waitForSubscriber(redis: Redis): Promise<void> {
  await waitFor(
    async () => Number(await redis.pubsub('NUMPAT')) === 2,
    5_000,
    'the event and result subscriptions',
  );
}

/** Publish `count` heartbeats and return how many payload bytes that was. */
async function publishEvents(redis: Redis, count: number): Promise<number> {
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const payload = heartbeat(`w${i}@vm`);
    bytes += Buffer.byteLength(payload);
    await redis.publish('/0.celeryev/worker.heartbeat', payload);
  }
  return bytes;
}
