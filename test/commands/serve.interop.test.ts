import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../commands/shared/local-redis.js';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { type QtopProcess, runQtop, spawnQtop } from '../helpers/qtop-cli.js';
import { waitFor } from '../helpers/wait-for.js';

// `qtop serve --metrics` scraped while real Celery 5.2 works: w1 (-E, 2 slots) consumes `celery`;
// `parked` has no consumer and holds messages at two priorities, which celery-exporter would
// undercount (it reads only the base list, its issue 272).
let cluster: Cluster;
let redis: Redis;
let qtop: QtopProcess;
let url: string;

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parse Prometheus text exposition (version 0.0.4): samples and the TYPE of each family. */
function parseExposition(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const m of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[m[1]!] = m[2]!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return { samples, types };
}

async function scrape() {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseExposition(await res.text());
}

function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    ?.value;
}

beforeAll(async () => {
  cluster = await startCluster({
    workers: [{ name: 'w1', events: true, concurrency: 2, queues: ['celery'] }],
  });
  redis = new Redis(cluster.brokerUrl);
  await cluster.sendTasks('app.add', [1, 1], { queue: 'parked', count: 2 });
  await cluster.sendTasks('app.add', [1, 1], { queue: 'parked', count: 3, priority: 9 });
  const port = await freePort();
  url = `http://127.0.0.1:${port}/metrics`;
  qtop = spawnQtop(['serve', '-b', cluster.brokerUrl, '--metrics', `127.0.0.1:${port}`]);
  await waitFor(() => qtop.stderr().includes('serving Prometheus metrics'), 20_000, 'qtop serve to listen');
});

afterAll(async () => {
  await qtop?.stop('SIGTERM');
  redis?.disconnect();
  await cluster?.stop();
});

describe('qtop serve --metrics', () => {
  it('prints where it listens, on 127.0.0.1', () => {
    expect(qtop.stderr()).toBe(`qtop: serving Prometheus metrics on ${url}\n`);
  });

  it('queue length counts every priority list (celery-exporter: base list only); consumers per queue', async () => {
    const { samples, types } = await scrape();
    expect(await redis.llen('parked')).toBe(2); // what celery-exporter reports
    expect(value(samples, 'celery_queue_length', { queue_name: 'parked' })).toBe(5);
    expect(value(samples, 'qtop_queue_priority_length', { queue: 'parked', priority: '9' })).toBe(3);
    expect(value(samples, 'celery_active_worker_count', { queue_name: 'celery' })).toBe(1);
    expect(value(samples, 'celery_active_process_count', { queue_name: 'celery' })).toBe(2);
    expect(value(samples, 'celery_active_worker_count', { queue_name: 'parked' })).toBe(0);
    expect(types.get('celery_queue_length')).toBe('gauge');
    const host = cluster.workers[0]!.hostname.split('@')[1]!;
    expect(value(samples, 'celery_worker_up', { hostname: host })).toBe(1);
    expect(value(samples, 'qtop_worker_pool_size', { worker: cluster.workers[0]!.hostname })).toBe(2);
  });

  it('task counters by name and host, the runtime histogram, slots and source health', async () => {
    await cluster.sendTasks('app.add', [2, 3], { count: 3 });
    await cluster.sendTasks('app.boom', [], { count: 2 });
    const host = cluster.workers[0]!.hostname.split('@')[1]!;
    let samples: Sample[] = [];
    let types = new Map<string, string>();
    await waitFor(
      async () => {
        ({ samples, types } = await scrape());
        return (
          (value(samples, 'celery_task_failed_total', { name: 'app.boom' }) ?? 0) >= 2 &&
          (value(samples, 'celery_task_succeeded_total', { name: 'app.add' }) ?? 0) >= 3
        );
      },
      20_000,
      'the five tasks in the counters',
    );
    const add = { name: 'app.add', hostname: host, queue_name: 'celery' };
    expect(value(samples, 'celery_task_received_total', add)).toBe(3);
    expect(value(samples, 'celery_task_started_total', add)).toBe(3);
    expect(value(samples, 'celery_task_succeeded_total', add)).toBe(3);
    expect(value(samples, 'celery_task_failed_total', { name: 'app.boom', exception: 'ValueError' })).toBe(2);
    expect(types.get('celery_task_succeeded_total')).toBe('counter');
    expect(types.get('celery_task_runtime')).toBe('histogram');
    expect(value(samples, 'celery_task_runtime_count', add)).toBe(3);
    expect(value(samples, 'celery_task_runtime_bucket', { ...add, le: '+Inf' })).toBe(3);
    // `parked` has no consumer: no slot count is known, so none is exported; `celery` has its 2.
    expect(value(samples, 'qtop_queue_slots_current', { queue: 'celery' })).toBe(2);
    expect(value(samples, 'qtop_source_up', { source: 'queues' })).toBe(1);
    // Counters never go back: a second scrape counts nothing twice.
    const again = (await scrape()).samples;
    expect(value(again, 'celery_task_succeeded_total', add)).toBe(3);
  });

  it('the hint figures for an autoscaler while a backlog of slow tasks drains', async () => {
    await cluster.sendTasks('app.sleepy', [0.3], { count: 30 });
    let samples: Sample[] = [];
    await waitFor(
      async () => {
        samples = (await scrape()).samples;
        return value(samples, 'qtop_queue_drain_seconds', { queue: 'celery' }) !== undefined;
      },
      20_000,
      'a drain forecast for celery',
    );
    const needed = value(samples, 'qtop_queue_slots_needed', { queue: 'celery' })!;
    expect(needed).toBeGreaterThanOrEqual(1);
    expect(value(samples, 'qtop_queue_slots_add', { queue: 'celery' })).toBe(Math.max(0, needed - 2));
    expect(
      value(samples, 'celery_worker_tasks_active', { hostname: cluster.workers[0]!.hostname.split('@')[1]! }),
    ).toBeLessThanOrEqual(2);
    await waitFor(
      async () => (await redis.llen('celery')) === 0 && (await redis.hlen('unacked')) === 0,
      30_000,
      'sleepy drained',
    );
  });

  it('a bad --metrics is one line and exit 2', async () => {
    const run = await runQtop(['serve', '--metrics', 'nowhere']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("qtop: --metrics expected HOST:PORT like 127.0.0.1:9808, got 'nowhere'\n");
  });
});
