import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/base/clock.js';
import { wireOptions } from '../../src/celery/options.js';
import type { TaskEvent, WorkerEvent } from '../../src/celery/types.js';
import { createRedisClient, createSubscriber, parseRedisUrl } from '../../src/redis/index.js';
import { type EventStream, startEventStream } from '../../src/sources/event-stream.js';
import { type CutoffProbe, createCutoffProbe } from '../../src/sources/pubsub-cutoff.js';
import type { Action } from '../../src/store/actions.js';
import { fixture, loadManifest } from '../celery/fixture-files.js';
import { sendTasks, startWorker } from '../helpers/celery-worker.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { celeryVersions } from '../helpers/shared-trees.js';
import { waitFor } from '../helpers/wait-for.js';

let server: RedisServer;
let admin: Redis;
const opened: Redis[] = [];

beforeAll(async () => {
  server = await startRedis();
  admin = new Redis(server.url(0));
});

// Each test opens its own connections: a failed test must not leave a subscription for the next.
afterEach(() => {
  for (const client of opened.splice(0)) client.disconnect();
});

afterAll(async () => {
  admin?.disconnect();
  await server?.stop();
});

/** A subscriber exactly as qtop builds it (interactive policy: reconnect with backoff forever). */
function qtopSubscriber(): Redis {
  const target = parseRedisUrl(server.url(0));
  if (!target.ok) throw new Error(target.reason);
  const client = createRedisClient(target.value, { interactive: true, name: 'qtop-test' });
  const subscriber = createSubscriber(client);
  opened.push(client, subscriber);
  return subscriber;
}

async function stream(
  prefix = '',
  probe?: CutoffProbe,
): Promise<{ actions: Action[]; events: EventStream; subscriber: Redis }> {
  const subscriber = qtopSubscriber();
  const actions: Action[] = [];
  const opts = wireOptions({ globalKeyprefix: prefix });
  const events = await startEventStream(subscriber, opts, (a) => actions.push(a), systemClock, probe);
  return { actions, events, subscriber };
}

const received = (actions: Action[]) =>
  actions.filter((a): a is Extract<Action, { type: 'events/received' }> => a.type === 'events/received');

/**
 * Publish a marker and wait for it, so everything published before it has arrived (a channel delivers
 * in order), then drop it. The marker is garbage of a length no real message has, so it is
 * recognisable as the `events/malformed` action with that byte count.
 */
async function settle(actions: Action[], channel = '/0.celeryev/worker.heartbeat') {
  const bytes = 4321;
  await admin.publish(channel, 'm'.repeat(bytes));
  const isMarker = (a: Action) => a.type === 'events/malformed' && a.bytes === bytes;
  await waitFor(() => actions.some(isMarker), 5_000, 'the marker message');
  actions.splice(actions.findIndex(isMarker), 1);
}

const eventFixtures = loadManifest().filter((entry) => entry.file.startsWith('event-'));

describe('startEventStream', () => {
  it('decodes every captured event fixture as published by Celery, on the right db only', async () => {
    const { actions, events } = await stream();
    expect(actions).toEqual([expect.objectContaining({ type: 'source/recovered', source: 'events' })]);
    actions.length = 0;

    // Pub/sub ignores SELECT (wire doc 1): a db-3 channel must not reach a db-0 stream.
    await admin.publish('/3.celeryev/task.multi', fixture('event-task-rejected.json'));
    for (const entry of eventFixtures) {
      const channel = entry.key_or_channel.replace(/^\/\d+\./, '/0.');
      await admin.publish(channel, fixture(entry.file));
    }
    await waitFor(() => actions.length >= eventFixtures.length, 5_000, 'all fixture events');
    await settle(actions);

    const got = received(actions);
    expect(got).toHaveLength(eventFixtures.length);
    got.forEach((action, i) => {
      expect(action.malformed).toBe(0);
      expect(action.bytes).toBe(Buffer.byteLength(fixture(eventFixtures[i]!.file)));
    });
    const multi = got[eventFixtures.findIndex((e) => e.file === 'event-task-multi-batch.json')]!;
    expect(multi.events).toHaveLength(3);
    const types = got.flatMap((a) => a.events.map((e) => e.type));
    expect(types).toContain('worker-online');
    expect(types).toContain('task-failed');
    expect(types).toContain('task-rejected');
    await events.stop();
  });

  it('reports a garbage payload as events/malformed and keeps going', async () => {
    const { actions, events } = await stream();
    actions.length = 0;
    await admin.publish('/0.celeryev/task.multi', 'not a kombu envelope');
    await admin.publish('/0.celeryev/worker.online', fixture('event-worker-online.json'));
    await waitFor(() => actions.length >= 2, 5_000, 'two actions');
    expect(actions[0]).toMatchObject({ type: 'events/malformed', bytes: 20, reason: expect.any(String) });
    expect(actions[1]).toMatchObject({ type: 'events/received', malformed: 0 });
    await events.stop();
  });

  it("follows global_keyprefix: 'pfx:' channels only", async () => {
    const { actions, events } = await stream('pfx:');
    actions.length = 0;
    await admin.publish('/0.celeryev/worker.online', fixture('event-worker-online.json'));
    await admin.publish('pfx:/0.celeryev/worker.offline', fixture('event-worker-offline.json'));
    await settle(actions, 'pfx:/0.celeryev/worker.heartbeat');
    expect(received(actions).map((a) => a.events[0]?.type)).toEqual(['worker-offline']);
    await events.stop();
  });

  it('counts every message of a 20,000-message burst', async () => {
    const { actions, events } = await stream();
    actions.length = 0;
    const payload = fixture('event-task-multi-batch.json');
    const total = 20_000;
    for (let sent = 0; sent < total; sent += 2_000) {
      const pipe = admin.pipeline();
      for (let i = 0; i < 2_000; i++) pipe.publish('/0.celeryev/task.multi', payload);
      await pipe.exec();
    }
    await waitFor(() => actions.length >= total, 30_000, `${total} messages`);
    await settle(actions);
    const got = received(actions);
    expect(got).toHaveLength(total);
    expect(got.reduce((sum, a) => sum + a.events.length, 0)).toBe(total * 3);
    await events.stop();
  });

  it('reports failed then recovered after CLIENT KILL, resubscribed exactly once', async () => {
    const { actions, events, subscriber } = await stream('', createCutoffProbe(admin));
    await admin.config('RESETSTAT');
    expect(await admin.pubsub('NUMPAT')).toBe(1);
    await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
    await waitFor(() => actions.some((a) => a.type === 'source/gap-explained'), 10_000, 'recovery');
    expect(actions.map((a) => a.type)).toEqual([
      'source/recovered',
      'source/failed',
      'source/recovered',
      'source/gap-explained',
    ]);
    expect(actions[1]).toMatchObject({ source: 'events', reason: expect.stringMatching(/connection/) });
    // Only the subscriber was closed and the server stayed up (same run_id): the gap says so.
    expect(actions[3]).toMatchObject({
      source: 'events',
      from: actions[1]!.at,
      reason: expect.stringMatching(
        /^events lost between .*: Redis closed only the subscriber while the server stayed up/,
      ),
    });

    actions.length = 0;
    await settle(actions); // the marker arrived: events flow again
    await admin.publish('/0.celeryev/task.multi', fixture('event-task-succeeded.json'));
    await settle(actions);
    expect(received(actions)).toHaveLength(1); // one subscription, so one delivery

    // One PSUBSCRIBE since the reset (ioredis's replay), one pattern, one pubsub client with one pattern.
    const stats = String(await admin.info('commandstats'));
    expect(/cmdstat_psubscribe:calls=(\d+)/.exec(stats)?.[1]).toBe('1');
    expect(await admin.pubsub('NUMPAT')).toBe(1);
    const pubsubClients = String(await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub'))
      .trim()
      .split('\n');
    expect(pubsubClients).toHaveLength(1);
    expect(pubsubClients[0]).toMatch(/ psub=1 /);

    await events.stop();
    expect(await admin.pubsub('NUMPAT')).toBe(0);
    expect(subscriber.status).toBe('ready');
  });

  it('dispatches nothing after stop()', async () => {
    const { actions, events } = await stream();
    await events.stop();
    actions.length = 0;
    await admin.publish('/0.celeryev/worker.online', fixture('event-worker-online.json'));
    await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(actions).toEqual([]);
  });
});

describe.each(celeryVersions())('startEventStream with a real Celery %s worker', (celery) => {
  const release = { '5.2': '5.2.6', '5.6': '5.6.3' }[celery];

  it('decodes its worker and task events as they come, none malformed', async () => {
    const { actions, events } = await stream();
    const worker = await startWorker({ brokerUrl: server.url(0), name: 'ev', events: true, celery });
    try {
      const [id] = await sendTasks(server.url(0), 'app.add', [2, 2], { celery });
      const seen = () => received(actions).flatMap((a) => a.events);
      await waitFor(
        () => seen().some((e) => e.kind === 'task' && e.uuid === id && e.type === 'task-succeeded'),
        20_000,
        `task-succeeded of ${id}`,
      );
      const mine = seen().filter((e) => e.hostname === worker.hostname);
      const online = mine.find((e): e is WorkerEvent => e.type === 'worker-online');
      expect(online?.swVer).toBe(release);
      const task = mine.filter((e): e is TaskEvent => e.kind === 'task' && e.uuid === id);
      expect(task.map((e) => e.type)).toEqual(['task-received', 'task-started', 'task-succeeded']);
      expect(task[0]).toMatchObject({ name: 'app.add', args: '[2, 2]' });
      expect(received(actions).every((a) => a.malformed === 0)).toBe(true);
      expect(actions.filter((a) => a.type === 'events/malformed')).toEqual([]);
    } finally {
      await worker.stop();
      await events.stop();
    }
  });
});
