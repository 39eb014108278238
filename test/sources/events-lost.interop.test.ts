import type { Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/base/clock.js';
import { decodeEventMessage } from '../../src/celery/events.js';
import { wireOptions } from '../../src/celery/options.js';
import { createRedisClient, createSubscriber, parseRedisUrl } from '../../src/redis/index.js';
import { type EventStream, startEventStream } from '../../src/sources/event-stream.js';
import { inspectRounds } from '../../src/sources/inspect-rounds.js';
import type { Action } from '../../src/store/actions.js';
import { createModel } from '../../src/store/create-model.js';
import { gapLossReading } from '../../src/store/gap-loss.js';
import type { Model } from '../../src/store/model.js';
import { reduce } from '../../src/store/reducer.js';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { waitFor } from '../helpers/wait-for.js';

// Issue 15, "Loss, sized", against real Celery 5.2 workers with -E (gossip, mingle and heartbeats
// on, as the worker's defaults have them) and qtop's own inspect rounds on the pidbox. The truth is
// a second subscriber that is never cut: the events it saw that qtop's store did not are the events
// lost, counted the way the estimator counts them (task events but task-sent, load heartbeats).

let cluster: Cluster;
let model: Model;
let stream: EventStream;
let qtop: Redis;
let truth: Redis;
let admin: Redis;
let control: Redis;
let replies: Redis;
const truthSeen = new Map<string, number>();
const wire = wireOptions({});

beforeAll(async () => {
  cluster = await startCluster({
    workers: [
      // Prefetch 1: a task received in the gap but started after the closing heartbeat is not in
      // that heartbeat's `processed`, so each reserved task can make the estimate one event short.
      { name: 'loss1', events: true, concurrency: 2, prefetchMultiplier: 1 },
      { name: 'loss2', events: true, concurrency: 2, prefetchMultiplier: 1 },
    ],
  });
  admin = new Redis(cluster.brokerUrl);
  control = new Redis(cluster.brokerUrl);
  replies = new Redis(cluster.brokerUrl);
  truth = new Redis(cluster.brokerUrl, { connectionName: 'truth-counter' });
  truth.on('pmessageBuffer', (_pattern: Buffer, _channel: Buffer, message: Buffer) => {
    const decoded = decodeEventMessage(message.toString('utf8'));
    if (!decoded.ok) return;
    for (const event of decoded.value.events) {
      const counted =
        event.kind === 'task'
          ? event.type !== 'task-sent'
          : event.kind === 'worker' &&
            event.type === 'worker-heartbeat' &&
            event.processed !== null &&
            event.active !== null;
      if (counted) truthSeen.set(event.hostname, (truthSeen.get(event.hostname) ?? 0) + 1);
    }
  });
  await truth.psubscribe('/0.celeryev/*');

  model = createModel(systemClock.now());
  const target = parseRedisUrl(cluster.brokerUrl);
  if (!target.ok) throw new Error(target.reason);
  const client = createRedisClient(target.value, { interactive: true, name: 'qtop-loss' });
  qtop = createSubscriber(client);
  client.disconnect();
  stream = await startEventStream(qtop, wire, (action: Action) => reduce(model, action), systemClock);
}, 90_000);

afterAll(async () => {
  await stream?.stop();
  for (const c of [qtop, truth, admin, control, replies]) c?.disconnect();
  await cluster?.stop();
}, 60_000);

const hosts = () => cluster.workers.map((w) => w.hostname);
const qtopSeen = (host: string) => model.gapLoss.seen.get(host) ?? 0;

/** Events the truth counter saw and qtop did not, over all workers, once both have caught up. */
async function missed(): Promise<number> {
  // A heartbeat seen by both after everything else: wait until qtop's count stops moving.
  let last = -1;
  let total = 0;
  for (let i = 0; i < 40; i++) {
    total = hosts().reduce((sum, h) => sum + (truthSeen.get(h) ?? 0) - qtopSeen(h), 0);
    if (total === last) break;
    last = total;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return total;
}

/** Heartbeats (2 s apart) from every worker after `at`: the gap's tally is settled by then. */
async function heartbeatsAfter(at: number) {
  await waitFor(
    () => hosts().every((h) => (model.workers.get(h)?.heartbeatReceivedAt ?? 0) > at + 100),
    20_000,
    'a heartbeat from every worker after the gap',
  );
}

async function busy(count: number) {
  // Sent in several producer runs so tasks keep flowing across the gap.
  const sends = [0, 1, 2].map((i) =>
    new Promise((resolve) => setTimeout(resolve, i * 400)).then(() =>
      cluster.sendTasks('app.add', [i, 1], { count }),
    ),
  );
  return Promise.all(sends);
}

async function controlRound() {
  const actions = await inspectRounds(admin, replies, wire, hosts(), 1_500, systemClock, 0);
  for (const action of actions) reduce(model, action);
  return actions;
}

describe('eventsLost against real workers', () => {
  it('is 0 over a busy run where nothing was cut, gossip and control rounds included', async () => {
    // Not 0 when a heartbeat came between the two subscriptions: the run is counted from here.
    const before = await missed();
    // The estimate starts from each worker's last load heartbeat before the gap.
    await waitFor(
      () => hosts().every((h) => model.gapLoss.beats.has(h)),
      20_000,
      'a load heartbeat from every worker',
    );
    const load = busy(400);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // A gap qtop would record for any outage, with the subscription in fact kept: nothing is lost.
    reduce(model, { type: 'source/failed', at: systemClock.now(), source: 'events', reason: 'test: no cut' });
    const from = model.sources.events.gaps.at(-1)!.from;
    const round = await controlRound();
    expect(round.some((a) => a.type === 'inspect/replied' && a.replies.length === 2)).toBe(true);
    const to = systemClock.now();
    reduce(model, { type: 'source/recovered', at: to, source: 'events' });
    await load;
    await heartbeatsAfter(to);
    expect((await missed()) - before).toBe(0);
    const reading = gapLossReading(model, from);
    expect(reading, JSON.stringify(reading)).toEqual({ eventsLost: 0, eventsLostReason: null });
  }, 120_000);

  it('is within 10 % of the events lost after CLIENT KILL TYPE pubsub', async () => {
    const before = await missed();
    await waitFor(
      () => hosts().every((h) => model.gapLoss.beats.has(h)),
      20_000,
      'a load heartbeat from every worker',
    );
    const load = busy(1_500);
    await waitFor(
      () => hosts().every((h) => (model.workers.get(h)?.taskEventAt ?? 0) > systemClock.now() - 500),
      30_000,
      'tasks running on every worker',
    );
    // Kill qtop's subscriber (type pubsub, by id, so the truth counter stays connected); Redis
    // drops what it had buffered for it too.
    const list = String(await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub'));
    const line = list.split('\n').find((l) => l.includes('name=qtop-loss'));
    const id = /\bid=(\d+)/.exec(line ?? '')?.[1];
    expect(id, list).toBeDefined();
    const gaps = model.sources.events.gaps.length;
    // As when qtop falls behind: it stops reading for a while, Redis buffers the events for it,
    // then cuts it off and drops the buffer.
    const socket = (qtop as unknown as { stream: Socket }).stream;
    socket.pause();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub', 'ID', id!)).toBe(1);
    // What reached qtop's socket before the cut is read (and counted by both); the rest is gone.
    socket.resume();
    await waitFor(
      () => model.sources.events.gaps.length > gaps && model.sources.events.ok,
      20_000,
      'the gap and the recovery',
    );
    const gap = model.sources.events.gaps.at(-1)!;
    await heartbeatsAfter(gap.to!);
    await load;
    const lost = (await missed()) - before;
    const reading = gapLossReading(model, gap.from);
    console.log(`events lost: truth ${lost}, qtop's estimate ${JSON.stringify(reading)}`);
    expect(reading?.eventsLostReason).toBeNull();
    expect(lost).toBeGreaterThan(0);
    expect(Math.abs((reading?.eventsLost ?? 0) - lost)).toBeLessThanOrEqual(Math.max(1, lost * 0.1));
  }, 180_000);
});
