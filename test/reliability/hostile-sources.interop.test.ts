import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/base/clock.js';
import { wireOptions } from '../../src/celery/options.js';
import { connectRedis, createSubscriber, parseRedisUrl } from '../../src/redis/index.js';
import { countLoad } from '../../src/redis/load-counter.js';
import { startEventStream } from '../../src/sources/event-stream.js';
import { sampleQueues } from '../../src/sources/queue-source.js';
import { createStore } from '../../src/store/store.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { waitFor } from '../helpers/wait-for.js';
import { envelope, fillQueue, heartbeat, SEP, taskMessage } from './wire.js';

// Broken and hostile data met by the real sources on a real server: what the decoder unit tests
// cover one value at a time, here at the scale and in the mix a source reads them.
const wire = wireOptions();
const limits = { peek: 10, maxQueues: 10_000, maxValueChars: 64 * 1024 };
let server: RedisServer;
let admin: Redis;
let qtop: Redis;

beforeAll(async () => {
  server = await startRedis();
  admin = new Redis(server.url(0));
  const target = parseRedisUrl(server.url(0));
  if (!target.ok) throw new Error(target.reason);
  qtop = await connectRedis(target.value, { interactive: false });
});

afterEach(async () => {
  await admin.flushall();
});

afterAll(async () => {
  admin?.disconnect();
  qtop?.disconnect();
  await server?.stop();
});

describe('the queue source', () => {
  it('100,000 queues: discovery stops at maxQueues and the sample ends in bounded time', async () => {
    for (let start = 0; start < 100_000; start += 10_000) {
      const pipe = admin.pipeline();
      for (let i = start; i < start + 10_000; i++)
        pipe.sadd(`_kombu.binding.q${i}`, `q${i}${SEP}${SEP}q${i}`);
      await pipe.exec();
    }
    await fillQueue(admin, 'q7', [taskMessage()]);
    const load = countLoad([qtop]);
    const started = Date.now();
    const sample = await sampleQueues(qtop, wire, limits, started);
    const ms = Date.now() - started;
    const { commands } = load.take(Date.now());
    load.release();
    process.stdout.write(
      `100,000 queues: sampled ${sample.queues.length} in ${ms} ms with ${commands} commands\n`,
    );
    expect(sample.queues).toHaveLength(10_000);
    expect(sample.undecodableBindings).toBe(0);
    // SCAN pages until 10,000 task bindings are found (~20 of COUNT 500), then one SMEMBERS and
    // four LLEN per queue, pipelined: never KEYS, and never all 100,000.
    expect(commands).toBeLessThan(10_000 + 40_000 + 1_000 + 10);
    expect(ms).toBeLessThan(10_000);
  });

  it('a 20 MB argument: listed as too large, not decoded, and not kept', async () => {
    const huge = taskMessage({ id: 'big-1', args: ['x'.repeat(20 * 1024 * 1024)], queue: 'big' });
    await fillQueue(admin, 'big', [huge, taskMessage({ id: 'small-1', queue: 'big', args: [1, 2] })]);
    const before = process.memoryUsage().rss;
    let sample: Awaited<ReturnType<typeof sampleQueues>> | undefined;
    for (let i = 0; i < 3; i++) sample = await sampleQueues(qtop, wire, limits, Date.now());
    const grownMb = (process.memoryUsage().rss - before) / 1e6;
    process.stdout.write(`20 MB argument: rss grew ${grownMb.toFixed(0)} MB over 3 samples\n`);
    const [first, second] = sample!.queues[0]!.peek;
    expect(first).toMatchObject({ id: null, name: null, args: null, position: 0 });
    expect(first!.note).toMatch(/^message too large to decode \(\d+ bytes\)$/);
    expect(first!.bytes).toBeGreaterThan(20 * 1024 * 1024);
    expect(second).toMatchObject({ id: 'small-1', name: 'app.add', args: [1, 2], note: null });
    // What the store receives is small: the message itself is dropped after the peek.
    expect(JSON.stringify(sample).length).toBeLessThan(10_000);
    expect(grownMb).toBeLessThan(400);
  });

  it('binding members with the wrong number of parts are counted, the rest still listed', async () => {
    await admin.sadd(
      '_kombu.binding.weird',
      'no-separator',
      `two${SEP}parts`,
      `four${SEP}parts${SEP}in${SEP}all`,
      `empty-queue${SEP}${SEP}`,
      `good${SEP}${SEP}good`,
    );
    await admin.set('_kombu.binding.not-a-set', 'a string under kombu’s name');
    const sample = await sampleQueues(qtop, wire, limits, Date.now());
    expect(sample.queues.map((q) => q.name)).toEqual(['good']);
    expect(sample.undecodableBindings).toBe(5); // four members and one key of the wrong type
  });

  it('a pickled task message is listed with its id and name, its payload not decoded', async () => {
    const pickle = Buffer.from('80049512000000000000008c0870726f746f636f6c94', 'hex');
    await fillQueue(admin, 'legacy', [
      taskMessage({
        id: 'pickled-1',
        queue: 'legacy',
        body: pickle,
        contentType: 'application/x-python-serialize',
      }),
    ]);
    const sample = await sampleQueues(qtop, wire, limits, Date.now());
    expect(sample.queues[0]!.peek[0]).toMatchObject({
      id: 'pickled-1',
      name: 'app.add',
      args: null,
      kwargs: null,
      note: 'pickle payload, not decoded',
    });
  });
});

describe('the event stream', () => {
  it('counts malformed payloads interleaved with good events and keeps going', async () => {
    const store = createStore({ clock: systemClock, notifyEveryMs: 0 });
    const subscriber = createSubscriber(qtop);
    const stream = await startEventStream(subscriber, wire, store.dispatch, systemClock);
    const heartbeatBody = JSON.parse(Buffer.from(JSON.parse(heartbeat('w@vm')).body, 'base64').toString());
    const bad: (string | Buffer)[] = [
      'not json at all',
      heartbeat('w@vm').slice(0, 60), // truncated
      envelope('!!! not base64 !!!').replace(/"body": *"[^"]*"/, '"body": "!!!"'),
      envelope(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), // invalid UTF-8 inside the body
      Buffer.from([0xff, 0xfe, 0x00, 0x9b, 0x1b]), // invalid UTF-8 as the whole message
      envelope(JSON.stringify({ ...heartbeatBody, hostname: 5 })), // a field of the wrong type
      envelope(Buffer.from('garbage'), { 'content-type': 'application/x-python-serialize' }),
    ];
    try {
      const pipe = admin.pipeline();
      for (let i = 0; i < 210; i++) {
        pipe.publish('/0.celeryev/worker.heartbeat', heartbeat(`good${i % 3}@vm`));
        pipe.publish('/0.celeryev/worker.heartbeat', bad[i % bad.length]!);
      }
      pipe.publish('/0.celeryev/worker.heartbeat', heartbeat('last@vm'));
      await pipe.exec();
      await waitFor(() => store.getModel().workers.has('last@vm'), 5_000, 'the last event');
      const counters = store.getModel().counters;
      expect(counters.eventMessages).toBe(421);
      expect(counters.events).toBe(211);
      expect(counters.eventsMalformed).toBe(210);
      expect(counters.eventsByType).toEqual({ 'worker-heartbeat': 211 });
      expect([...store.getModel().workers.keys()].sort()).toEqual([
        'good0@vm',
        'good1@vm',
        'good2@vm',
        'last@vm',
      ]);
      expect(store.getModel().sources.events.ok).toBe(true);
    } finally {
      await stream.stop();
      subscriber.disconnect();
    }
  });
});
