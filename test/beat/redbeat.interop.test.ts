import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBeatEntryNow, setBeatEntryEnabled } from '../../commands/control/beat.js';
import { defaultWireOptions } from '../../src/celery/options.js';
import { selectSnapshot } from '../../src/snapshot/select-snapshot.js';
import { type Beat, startBeat } from '../helpers/celery-beat.js';
import { startWorker, type Worker } from '../helpers/celery-worker.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { schemaErrors } from '../helpers/schema.js';
import { celeryVersions, requireSharedSite } from '../helpers/shared-trees.js';
import { waitFor } from '../helpers/wait-for.js';
import { nextMinute, watchBeat } from './beat-harness.js';

// Real `celery beat` with RedBeat 2.4.2 and a real worker, on Celery 5.2.6 and 5.6.3: the entries
// qtop reads, run now, disable, and a SIGTERM'd beat found down on the next sample.
const site = requireSharedSite('redbeat');
if (!site) it('needs the RedBeat tree (not run)', () => expect(site).toBeNull());

describe.each(site ? celeryVersions() : [])('RedBeat on Celery %s', (celery) => {
  let server: RedisServer;
  let redis: Redis;
  let worker: Worker;
  let beat: Beat;

  beforeAll(async () => {
    server = await startRedis();
    redis = new Redis(server.url(0));
    [worker, beat] = await Promise.all([
      startWorker({
        brokerUrl: server.url(0),
        name: `wbeat${celery.replace('.', '')}`,
        events: true,
        celery,
      }),
      startBeat({ brokerUrl: server.url(0), celery, scheduler: 'redbeat', intervalSec: 2 }),
    ]);
  });

  afterAll(async () => {
    await beat?.stop();
    await worker?.stop();
    redis?.disconnect();
    await server?.stop();
  });

  it('reads interval and crontab entries with their correct next due, and the lock', async () => {
    const watch = watchBeat(redis);
    // The interval entry runs at once (never run = due now); the crontab waits for its minute.
    await waitFor(async () => ((await watch.sample()).entries[1]?.runCount ?? 0) >= 1, 15_000, 'first run');
    const sampledAt = Date.now();
    const view = await watch.sample();
    expect(view.lock).toMatchObject({ key: 'redbeat::lock', held: true });
    expect(view.lock!.ttlSec).toBeGreaterThan(0);
    const [minutely, tick] = view.entries;
    expect(tick).toMatchObject({
      name: 'tick',
      task: 'app.add',
      source: 'redbeat',
      schedule: 'every 2s',
      enabled: true,
    });
    expect(minutely).toMatchObject({
      name: 'minutely',
      task: 'app.echo',
      schedule: 'cron * * * * *',
      enabled: true,
    });
    // RedBeat's score is the due time in whole seconds: last run + 2 s for the interval...
    const tickRun = Date.parse(tick!.lastRunAt!);
    expect(Math.abs(Date.parse(tick!.nextDueAt!) - (tickRun + 2000))).toBeLessThan(1000);
    // ...and the next minute boundary for the crontab (after its last run, if it had one yet).
    const from = minutely!.lastRunAt === null ? sampledAt : Date.parse(minutely!.lastRunAt);
    expect(Date.parse(minutely!.nextDueAt!)).toBe(nextMinute(from));
    expect(tick!.late).toBe(false);
    const snapshot = selectSnapshot(watch.model, Date.now(), {
      qtopVersion: 'test',
      broker: server.url(0),
      backend: null,
      backendNote: null,
      label: null,
      readOnly: false,
      hideArgs: false,
      windowMs: 0,
      complete: true,
      taskLimit: 10,
    });
    expect(schemaErrors(snapshot)).toEqual([]);
    expect(snapshot.beat.entries).toHaveLength(2);
  });

  it('run now publishes the entry task the worker runs', async () => {
    const outcome = await runBeatEntryNow({ redis, wire: defaultWireOptions }, 'minutely');
    expect(outcome).toMatchObject({
      ok: true,
      kind: 'done',
      details: { queues: ['celery'], task: 'app.echo' },
    });
    const [id] = (outcome.details as { taskIds: string[] }).taskIds;
    let meta: { status?: string; result?: unknown } = {};
    await waitFor(
      async () => {
        meta = JSON.parse((await redis.get(`celery-task-meta-${id}`)) ?? '{}');
        return meta.status === 'SUCCESS';
      },
      15_000,
      'the run-now task to succeed',
    );
    expect(meta.result).toEqual({ args: ['cron'], kwargs: {} });
  });

  it('disable stops the next send; enable brings it back', async () => {
    const count = async () =>
      JSON.parse((await redis.hget('redbeat:tick', 'meta'))!).total_run_count as number;
    const off = await setBeatEntryEnabled({ redis, wire: defaultWireOptions }, 'tick', false);
    expect(off).toMatchObject({ ok: true, summary: 'disabled entry tick (app.add)' });
    await new Promise((r) => setTimeout(r, 300)); // a send already under way when it was disabled
    const before = await count();
    await new Promise((r) => setTimeout(r, 5_000)); // two and a half intervals
    expect(await count()).toBe(before);
    expect(JSON.parse((await redis.hget('redbeat:tick', 'definition'))!).enabled).toBe(false);
    // RedBeat keeps a disabled entry in its schedule.
    expect(await redis.zscore('redbeat::schedule', 'redbeat:tick')).not.toBeNull();
    const on = await setBeatEntryEnabled({ redis, wire: defaultWireOptions }, 'tick', true);
    expect(on.ok).toBe(true);
    await waitFor(async () => (await count()) > before, 10_000, 'tick to run again once enabled');
  });

  it('SIGTERM releases the lock and the next sample says beat is down', async () => {
    const watch = watchBeat(redis);
    await watch.sample();
    expect(watch.down()).toBeNull();
    beat.kill('SIGTERM');
    await beat.exited;
    await watch.sample();
    expect(watch.down()).toMatchObject({ kind: 'beat-down', severity: 'critical' });
    expect(watch.down()!.evidence).toContain('qtop saw the lock held earlier in this run');
  });
});
