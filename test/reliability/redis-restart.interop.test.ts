import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/base/clock.js';
import { wireOptions } from '../../src/celery/options.js';
import { connectRedis, createSubscriber, parseRedisUrl } from '../../src/redis/index.js';
import type { Snapshot } from '../../src/snapshot/select-snapshot.js';
import { startEventStream } from '../../src/sources/event-stream.js';
import { type CutoffProbe, createCutoffProbe } from '../../src/sources/pubsub-cutoff.js';
import type { Action } from '../../src/store/actions.js';
import { runQtop, spawnQtop } from '../helpers/qtop-cli.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { schemaErrors } from '../helpers/schema.js';
import { waitFor } from '../helpers/wait-for.js';
import { fillQueue, heartbeat, taskMessage } from './wire.js';

// Redis restarting (SIGKILL, then a new redis-server on the same port), vanishing and freezing
// under qtop: sources record gaps and reconnect, `--watch` gives up after --timeout, `--json` exits 3.
const servers: RedisServer[] = [];
const clients: Redis[] = [];

async function redisOn(port?: number): Promise<RedisServer> {
  const server = await startRedis(port === undefined ? {} : { port });
  servers.push(server);
  return server;
}

function admin(server: RedisServer): Redis {
  const client = new Redis(server.url(0), { maxRetriesPerRequest: 1, retryStrategy: () => 100 });
  client.on('error', () => {});
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  for (const server of servers.splice(0)) {
    server.resume();
    await server.stop();
  }
});

const errorLine = (stdout: string) => {
  const last = JSON.parse(stdout.trim().split('\n').at(-1)!) as { error: { code: string; message: string } };
  expect(schemaErrors(last)).toEqual([]);
  return last.error;
};

describe('the event stream across a Redis restart', () => {
  it('fails, resubscribes exactly once on the new server, names the gap and delivers each event once', async () => {
    const first = await redisOn();
    const target = parseRedisUrl(first.url(0));
    if (!target.ok) throw new Error(target.reason);
    // As a started `--json --watch` collector builds them: not interactive, but reconnecting.
    const client = await connectRedis(target.value, { interactive: false, keepReconnecting: () => true });
    const subscriber = createSubscriber(client);
    clients.push(client, subscriber);
    const actions: Action[] = [];
    // The stream takes the server's baseline (run_id) once subscribed; kill the server after that.
    const probe = createCutoffProbe(client);
    let marked = false;
    const tracked: CutoffProbe = {
      mark: async () => {
        await probe.mark();
        marked = true;
      },
      explain: () => probe.explain(),
    };
    const stream = await startEventStream(
      subscriber,
      wireOptions(),
      (a) => actions.push(a),
      systemClock,
      tracked,
    );
    await waitFor(() => marked, 5_000, 'the baseline INFO');

    await first.stop();
    await waitFor(() => actions.some((a) => a.type === 'source/failed'), 5_000, 'the failure');
    const second = await redisOn(first.port);
    await waitFor(() => actions.some((a) => a.type === 'source/gap-explained'), 10_000, 'the recovery');
    expect(actions.map((a) => a.type)).toEqual([
      'source/recovered',
      'source/failed',
      'source/recovered',
      'source/gap-explained',
    ]);
    const failed = actions[1] as Extract<Action, { type: 'source/failed' }>;
    const explained = actions[3] as Extract<Action, { type: 'source/gap-explained' }>;
    expect(explained.from).toBe(failed.at);
    expect(explained.reason).toMatch(
      /^events lost between \S+Z and \S+Z \(\d+\.\d s\): Redis restarted or another server took over/,
    );

    const redis = admin(second);
    await redis.publish('/0.celeryev/worker.heartbeat', heartbeat('w9@vm'));
    await waitFor(() => actions.some((a) => a.type === 'events/received'), 5_000, 'an event');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(actions.filter((a) => a.type === 'events/received')).toHaveLength(1);
    // ioredis replayed the remembered pattern in one PSUBSCRIBE; nothing else subscribed again.
    expect(/cmdstat_psubscribe:calls=(\d+)/.exec(String(await redis.info('commandstats')))?.[1]).toBe('1');
    expect(await redis.pubsub('NUMPAT')).toBe(1);
    await stream.stop();
  });
});

describe('qtop --json --watch across a Redis restart', () => {
  it('records gaps while Redis is down, then reconnects, resubscribes once and reports again', async () => {
    const first = await redisOn();
    await fillQueue(admin(first), 'work', [taskMessage()]);
    const watch = spawnQtop([
      '-b',
      first.url(0),
      '--json',
      '--watch',
      '--interval',
      '0.3',
      '--timeout',
      '20',
    ]);
    try {
      await watch.waitForLine<Snapshot>(
        (s) => s.queues.some((q) => q.name === 'work' && q.total === 1),
        10_000,
      );
      await first.stop();
      await watch.waitForLine<Snapshot>(
        (s) => s.meta.sources.queues.state === 'failed' && s.meta.sources.events.state === 'failed',
        10_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // down a while: several polls fail

      const second = await redisOn(first.port);
      await fillQueue(admin(second), 'work', [taskMessage(), taskMessage()]); // a new, empty server
      const back = await watch.waitForLine<Snapshot>(
        (s) =>
          s.queues.some((q) => q.name === 'work' && q.total === 2) &&
          s.meta.sources.queues.state === 'ok' &&
          s.meta.sources.events.state === 'ok' &&
          s.meta.sources.events.gaps.some((g) => g.reason.startsWith('events lost between')),
        15_000,
      );
      expect(schemaErrors(back)).toEqual([]);
      const { events, queues } = back.meta.sources;
      expect(events.gaps).toHaveLength(1);
      expect(events.gaps[0]!.toAt).not.toBeNull();
      expect(events.gaps[0]!.reason).toMatch(/Redis restarted or another server took over/);
      expect(queues.gaps).toHaveLength(1);
      expect(queues.gaps[0]!.reason).toMatch(/Redis at redis:\/\/127\.0\.0\.1:\d+\/0/);
      // One gap per outage, however many polls failed; the gap ends when the source is back.
      expect(Date.parse(queues.gaps[0]!.toAt!) - Date.parse(queues.gaps[0]!.fromAt)).toBeGreaterThan(900);

      // Subscribed again exactly once: one PSUBSCRIBE (events and results share it), one client.
      const redis = admin(second);
      expect(/cmdstat_psubscribe:calls=(\d+)/.exec(String(await redis.info('commandstats')))?.[1]).toBe('1');
      const subscribers = String(await redis.call('CLIENT', 'LIST', 'TYPE', 'pubsub'))
        .trim()
        .split('\n');
      expect(subscribers).toHaveLength(1);
      expect(subscribers[0]).toMatch(/ name=qtop-sub .* psub=2 /);

      // Events flow again: a heartbeat published now shows its worker.
      const beating = setInterval(
        () => void redis.publish('/0.celeryev/worker.heartbeat', heartbeat('w7@vm')),
        200,
      );
      try {
        await watch.waitForLine<Snapshot>((s) => s.workers.some((w) => w.hostname === 'w7@vm'), 5_000);
      } finally {
        clearInterval(beating);
      }
    } finally {
      expect(await watch.stop('SIGINT')).toBe(0);
    }
    expect(watch.stderr()).toBe('');
  });

  it('gives up with exit 3 and one line once Redis stays unreachable for --timeout', async () => {
    const server = await redisOn();
    const watch = spawnQtop([
      '-b',
      server.url(0),
      '--json',
      '--watch',
      '--interval',
      '0.3',
      '--timeout',
      '1.5',
    ]);
    await watch.waitForLine<Snapshot>((s) => s.schema === 'qtop/1', 10_000);
    await server.stop();
    const stoppedAt = Date.now();
    const code = await Promise.race([watch.exited, new Promise((r) => setTimeout(() => r('hung'), 10_000))]);
    expect(code).toBe(3);
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(1_400);
    expect(Date.now() - stoppedAt).toBeLessThan(4_000);
    const error = errorLine(watch.lines.join('\n'));
    expect(error.code).toBe('unreachable');
    expect(error.message).toMatch(
      /^lost the connection, still down after 1\.5 s: cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+\/0: connection refused/,
    );
    expect(watch.stderr()).toBe(`qtop: ${error.message}\n`);
  });
});

/**
 * Wait until qtop is mid-collection on `server`: its subscriber is connected (it opens it after the
 * command connection). A fixed delay instead raced a slow start on a loaded machine, where the
 * server went away before qtop had connected and the test saw a start-up failure instead.
 */
async function qtopConnected(server: RedisServer): Promise<void> {
  const probe = new Redis(server.url(0), { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await probe.connect();
    await waitFor(
      async () => /name=qtop\S*-sub /.test(String(await probe.client('LIST'))),
      10_000,
      'qtop connected to Redis',
    );
  } finally {
    probe.disconnect();
  }
}

describe('qtop --json when Redis goes away mid-collection', () => {
  // With no worker to wait for, the first ping round runs its whole timeout (60% of --window), so
  // the collection is still going when the server dies.
  it('exits 3 with one line, within a bounded time, when the server is killed', async () => {
    const server = await redisOn();
    const running = runQtop(['-b', server.url(0), '--json', '--window', '3'], {}, 15_000);
    await qtopConnected(server);
    await server.stop();
    const result = await running;
    expect(result.code).toBe(3);
    expect(result.ms).toBeLessThan(4_000);
    const error = errorLine(result.stdout);
    expect(error.code).toBe('unreachable');
    expect(error.message).toMatch(/^lost the connection.* Redis at redis:\/\/127\.0\.0\.1:\d+\/0/);
    expect(result.stderr).toBe(`qtop: ${error.message}\n`);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('exits 3 when the server freezes (SIGSTOP: sockets open, no answers) instead of hanging', async () => {
    const server = await redisOn();
    const running = runQtop(['-b', server.url(0), '--json', '--window', '3', '--timeout', '30'], {}, 20_000);
    await qtopConnected(server);
    server.pause();
    const result = await running;
    server.resume();
    expect(result.code).toBe(3);
    // the window (3 s), one PING probe (1 s), and a bounded stop (at most 2 s)
    expect(result.ms).toBeLessThan(7_500);
    const error = errorLine(result.stdout);
    expect(error.code).toBe('timeout');
    expect(error.message).toMatch(
      /^Redis at redis:\/\/127\.0\.0\.1:\d+\/0 stopped answering \(no reply to PING within 1000 ms\)$/,
    );
  });
});
