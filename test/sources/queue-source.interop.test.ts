import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { queueListKeys } from '../../src/celery/names.js';
import { type WireOptions, wireOptions } from '../../src/celery/options.js';
import { type QueueLimits, sampleQueues } from '../../src/sources/queue-source.js';
import { sampleUnacked } from '../../src/sources/unacked-source.js';
import { envelopeText, fixture } from '../celery/fixture-files.js';
import { sendTasks, startWorker, type Worker } from '../helpers/celery-worker.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { waitFor } from '../helpers/wait-for.js';
import { snapshot, watchCommands, writesOrBlocking } from './redis-watch.js';

const SEP = '\x06\x16';
const limits: QueueLimits = { peek: 10, maxQueues: 100, maxValueChars: 2000 };
let server: RedisServer;
const clients: Redis[] = [];

function connect(db: number): Redis {
  const client = new Redis(server.url(db));
  clients.push(client);
  return client;
}

/** A hand-built task message with a recognizable id. */
function task(id: string, priority = 0): string {
  return envelopeText({ headers: { task: 'app.echo', id, retries: 0 }, properties: { priority } });
}

/** Sum of LLEN over every priority list of a queue, read directly. */
async function llenSum(redis: Redis, opts: WireOptions, queue: string): Promise<number> {
  let sum = 0;
  for (const { key } of queueListKeys(opts, queue)) sum += await redis.llen(key);
  return sum;
}

function total(lengths: Record<number, number>): number {
  return Object.values(lengths).reduce((a, b) => a + b, 0);
}

beforeAll(async () => {
  server = await startRedis();
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await server?.stop();
});

describe('sampleQueues on hand-made kombu keys', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = connect(1);
  });
  beforeEach(async () => {
    await redis.flushdb();
  });

  /** Queue `q` over three priority lists, bound twice, plus bindings that must be skipped. */
  async function seed(): Promise<void> {
    // LPUSH order = arrival order; the item pushed FIRST sits at index -1 and runs first (3.2).
    await redis.lpush('q', fixture('task-message.json'), fixture('task-message-eta-expires.json'));
    await redis.lpush(`q${SEP}3`, fixture('task-message-self-retry.json'), task('p3-second', 3));
    await redis.lpush(`q${SEP}9`, task('p9-only', 9));
    await redis.sadd('_kombu.binding.q', `q${SEP}${SEP}q`);
    await redis.sadd('_kombu.binding.topicx', `q.#${SEP}q.#${SEP}q`);
    await redis.sadd('_kombu.binding.empty', `empty${SEP}${SEP}empty`);
    // Bookkeeping exchanges (3.1): their "queues" must not show up.
    await redis.sadd('_kombu.binding.celeryev', `worker.#${SEP}${SEP}celeryev.1b2c`);
    await redis.sadd('_kombu.binding.celery.pidbox', `${SEP}${SEP}w1@vm.celery.pidbox`);
    await redis.sadd('_kombu.binding.reply.celery.pidbox', `oid${SEP}${SEP}oid.reply.celery.pidbox`);
    await redis.sadd('_kombu.binding.broken', `only${SEP}two`);
    await redis.set('_kombu.binding.notaset', 'someone else');
  }

  it('lists task queues with per-step lengths, exchanges and undecodable bindings', async () => {
    await seed();
    const sample = await sampleQueues(redis, wireOptions(), limits, 1234);
    expect(sample.type).toBe('queues/sampled');
    expect(sample.at).toBe(1234);
    expect(sample.queues.map((q) => q.name)).toEqual(['empty', 'q']);
    // `only SEP two` has two parts; the string under a binding name is not a set.
    expect(sample.undecodableBindings).toBe(2);
    const [empty, q] = sample.queues;
    expect(empty).toEqual({
      name: 'empty',
      exchanges: ['empty'],
      lengths: { 0: 0, 3: 0, 6: 0, 9: 0 },
      peek: [],
    });
    expect(q!.exchanges).toEqual(['q', 'topicx']);
    expect(q!.lengths).toEqual({ 0: 2, 3: 2, 6: 0, 9: 1 });
    expect(total(q!.lengths)).toBe(await llenSum(redis, wireOptions(), 'q'));
  });

  it('peeks in execution order: step 0 oldest first, then step 3, then step 9', async () => {
    await seed();
    const [, q] = (await sampleQueues(redis, wireOptions(), limits, 0)).queues;
    expect(q!.peek.map((m) => [m.position, m.priorityStep, m.id])).toEqual([
      [0, 0, '1fd839f2-3886-4ad6-a78f-8a3d4baca96d'],
      [1, 0, 'eae749d9-32c8-4254-abb1-90570482918e'],
      [2, 3, 'a8d48ac9-99da-4e44-9145-e7478ba2cc1c'],
      [3, 3, 'p3-second'],
      [4, 9, 'p9-only'],
    ]);
    expect(q!.peek[0]).toMatchObject({ name: 'app.add', args: [2, 3], note: null });
    const [, short] = (await sampleQueues(redis, wireOptions(), { ...limits, peek: 3 }, 0)).queues;
    expect(short!.peek.map((m) => m.id)).toEqual(q!.peek.slice(0, 3).map((m) => m.id));
  });

  it('only reads: the sample sends read commands and leaves every key byte-identical', async () => {
    await seed();
    const before = await snapshot(redis);
    const watch = await watchCommands(server.url(1), redis);
    await sampleQueues(redis, wireOptions(), limits, 0);
    const commands = await watch.stop();
    expect(commands.length).toBeGreaterThan(0);
    expect(writesOrBlocking(commands)).toEqual([]);
    expect(commands.filter((c) => c.startsWith('scan '))).toEqual([
      'scan 0 MATCH _kombu.binding.* COUNT 500',
    ]);
    expect(await snapshot(redis)).toEqual(before);
  });

  it('uses three pipelines whatever the number of queues', async () => {
    for (let i = 0; i < 30; i++) {
      await redis.sadd(`_kombu.binding.n${i}`, `n${i}${SEP}${SEP}n${i}`);
      await redis.lpush(`n${i}`, task(`n${i}-a`), task(`n${i}-b`));
      await redis.lpush(`n${i}${SEP}6`, task(`n${i}-c`, 6));
    }
    const pipeline = vi.spyOn(redis, 'pipeline');
    try {
      const sample = await sampleQueues(redis, wireOptions(), limits, 0);
      expect(pipeline).toHaveBeenCalledTimes(3);
      expect(sample.queues).toHaveLength(30);
      expect(
        sample.queues.every((q) => q.peek.map((m) => m.id).join() === `${q.name}-a,${q.name}-b,${q.name}-c`),
      ).toBe(true);
    } finally {
      pipeline.mockRestore();
    }
  });

  it('bounds the number of queues', async () => {
    for (let i = 0; i < 8; i++) await redis.sadd(`_kombu.binding.b${i}`, `b${i}${SEP}${SEP}b${i}`);
    expect((await sampleQueues(redis, wireOptions(), { ...limits, maxQueues: 3 }, 0)).queues).toHaveLength(3);
  });

  it('lists undecodable messages with a note and still counts them', async () => {
    await redis.sadd('_kombu.binding.bad', `bad${SEP}${SEP}bad`);
    await redis.lpush('bad', '{"not": "an envelope"', task('fine'));
    const [bad] = (await sampleQueues(redis, wireOptions(), limits, 0)).queues;
    expect(bad!.lengths[0]).toBe(2);
    expect(bad!.peek.map((m) => m.id)).toEqual([null, 'fine']);
    expect(bad!.peek[0]!.note).toMatch(/^not JSON/);
  });

  it("honours global_keyprefix: prefixed keys, unprefixed members, other apps' keys ignored", async () => {
    const opts = wireOptions({ globalKeyprefix: 'pfx:' });
    await redis.sadd('pfx:_kombu.binding.celery', `celery${SEP}${SEP}celery`);
    await redis.lpush('pfx:celery', task('pa'), task('pb'));
    await redis.lpush(`pfx:celery${SEP}3`, task('pc', 3));
    await redis.sadd('_kombu.binding.foreign', `foreign${SEP}${SEP}foreign`);
    await redis.lpush('celery', task('unprefixed'));
    const sample = await sampleQueues(redis, opts, limits, 0);
    expect(sample.queues.map((q) => q.name)).toEqual(['celery']);
    expect(sample.queues[0]!.lengths).toEqual({ 0: 2, 3: 1, 6: 0, 9: 0 });
    expect(sample.queues[0]!.peek.map((m) => m.id)).toEqual(['pa', 'pb', 'pc']);
  });

  it("honours sep ':' in members and list names", async () => {
    const opts = wireOptions({ sep: ':' });
    await redis.sadd('_kombu.binding.septest', 'septest::septest');
    await redis.lpush('septest', task('s0'));
    await redis.lpush('septest:6', task('s6a'), task('s6b'));
    await redis.lpush(`septest${SEP}6`, task('wrong-sep'));
    const [queue] = (await sampleQueues(redis, opts, limits, 0)).queues;
    expect(queue!.name).toBe('septest');
    expect(queue!.lengths).toEqual({ 0: 1, 3: 0, 6: 2, 9: 0 });
    expect(queue!.peek.map((m) => m.id)).toEqual(['s0', 's6a', 's6b']);
  });

  it('honours priority_steps 0..9: one list per priority', async () => {
    const opts = wireOptions({ prioritySteps: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
    await redis.sadd('_kombu.binding.ten', `ten${SEP}${SEP}ten`);
    for (const step of [9, 5, 1, 0])
      await redis.lpush(step ? `ten${SEP}${step}` : 'ten', task(`t${step}`, step));
    const [queue] = (await sampleQueues(redis, opts, limits, 0)).queues;
    expect(queue!.lengths).toEqual({ 0: 1, 1: 1, 2: 0, 3: 0, 4: 0, 5: 1, 6: 0, 7: 0, 8: 0, 9: 1 });
    expect(total(queue!.lengths)).toBe(await llenSum(redis, opts, 'ten'));
    expect(queue!.peek.map((m) => [m.priorityStep, m.id])).toEqual([
      [0, 't0'],
      [1, 't1'],
      [5, 't5'],
      [9, 't9'],
    ]);
  });
});

describe('with a real Celery worker (concurrency 1) and a backlog of app.sleepy', () => {
  const opts = wireOptions();
  const count = 8;
  let redis: Redis;
  let worker: Worker;
  let ids: string[];

  beforeAll(async () => {
    redis = connect(0);
    worker = await startWorker({
      brokerUrl: server.url(0),
      name: 'qsrc',
      queues: ['celery'],
      concurrency: 1,
    });
    ids = await sendTasks(server.url(0), 'app.sleepy', [30], { count });
    // One task runs (acked when it starts, 3.3); the rest are reserved in `unacked` or still queued.
    await waitFor(
      async () =>
        (await redis.hlen('unacked')) > 0 &&
        (await redis.llen('celery')) + (await redis.hlen('unacked')) === count - 1,
      30_000,
      'the worker to settle with one running task',
    );
  });

  afterAll(async () => {
    await worker?.stop(2_000);
  });

  it('shows the backlog of queue celery, in sending order, and the reserved tasks with delivery times', async () => {
    const started = Date.now() / 1000;
    const sample = await sampleQueues(redis, opts, { ...limits, peek: count }, Date.now());
    // The worker's celeryev and pidbox bindings are real here, and skipped.
    expect(sample.queues.map((q) => q.name)).toEqual(['celery']);
    const celery = sample.queues[0]!;
    expect(total(celery.lengths)).toBe(await redis.llen('celery'));
    expect(celery.peek.length).toBe(total(celery.lengths));
    expect(celery.peek.every((m) => m.name === 'app.sleepy' && m.args?.[0] === 30)).toBe(true);
    const queued = celery.peek.map((m) => ids.indexOf(m.id!));
    expect(queued).toEqual([...queued].sort((a, b) => a - b));

    const unacked = await sampleUnacked(redis, opts, { maxEntries: 100, maxValueChars: 2000 }, Date.now());
    expect(unacked.total).toBe(await redis.hlen('unacked'));
    expect(unacked.entries).toHaveLength(unacked.total);
    for (const entry of unacked.entries) {
      expect(entry.queue).toBe('celery');
      expect(entry.message).toMatchObject({ name: 'app.sleepy', args: [30] });
      expect(entry.deliveredAt).toBeGreaterThan(started - 60);
      expect(entry.deliveredAt).toBeLessThanOrEqual(Date.now() / 1000 + 1);
    }
    const reserved = unacked.entries.map((e) => ids.indexOf(e.message!.id!));
    // Reserved tasks were taken before the queued ones; one task (the running one) is in neither.
    expect(Math.max(...reserved)).toBeLessThan(Math.min(...queued));
    expect(new Set([...reserved, ...queued]).size).toBe(count - 1);
    expect([...reserved, ...queued].every((i) => i >= 0)).toBe(true);

    const bounded = await sampleUnacked(redis, opts, { maxEntries: 1, maxValueChars: 2000 }, 0);
    expect(bounded.total).toBe(unacked.total);
    expect(bounded.entries).toHaveLength(1);
  });
});
