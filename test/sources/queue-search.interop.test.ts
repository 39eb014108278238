import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queueListKeys } from '../../src/celery/names.js';
import { wireOptions } from '../../src/celery/options.js';
import { encodeTaskMessage } from '../../src/celery/task-encode.js';
import { searchQueue } from '../../src/sources/queue-search.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { snapshot, watchCommands, writesOrBlocking } from './redis-watch.js';

// The in-queue search against a real redis-server: it finds one message among 5,000 by an
// argument, stops when cancelled, sends only LLEN and LRANGE, and leaves every key as it was.
const wire = wireOptions();
let server: RedisServer;
let redis: Redis;
const needleId = '00000000-4242-4000-8000-000000004242';

/** LPUSH `count` app.add messages (args [i, 'value-i']) onto `queue`; `needle` goes in at index `at`. */
async function fill(queue: string, count: number, options: { needleAt?: number; priority?: number } = {}) {
  const pipe = redis.pipeline();
  for (let i = 0; i < count; i++) {
    const needle = i === options.needleAt;
    const encoded = encodeTaskMessage(
      {
        name: needle ? 'app.lookup' : 'app.add',
        args: needle ? ['customer-NEEDLE-4242'] : [i, `value-${i}`],
        kwargs: needle ? { region: 'eu' } : {},
        queue,
        priority: options.priority ?? 0,
        ...(needle ? { id: needleId } : {}),
      },
      wire,
    );
    if (!encoded.ok) throw new Error(encoded.reason);
    pipe.lpush(encoded.value.listKey, encoded.value.raw);
  }
  await pipe.exec();
}

async function lengths(queue: string): Promise<number[]> {
  return Promise.all(queueListKeys(wire, queue).map(({ key }) => redis.llen(key)));
}

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url(3));
});

afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
});

beforeEach(async () => {
  await redis.flushdb();
});

describe('searchQueue', () => {
  it('finds one message among 5,000 by an arg value, reading only, in execution order', async () => {
    await fill('big', 4000, { needleAt: 1234 });
    await fill('big', 1000, { priority: 6 });
    await fill('other', 10);
    const before = await snapshot(redis);
    const watch = await watchCommands(server.url(3), redis);
    const progress: number[] = [];
    const result = await searchQueue(redis, wire, 'big', 'needle-4242', {
      onProgress: (p) => progress.push(p.scanned),
    });
    const commands = await watch.stop();
    expect(result.status).toBe('done');
    expect([result.scanned, result.total]).toEqual([5000, 5000]);
    expect(result.matches.map((m) => [m.id, m.name, m.position, m.priorityStep])).toEqual([
      [needleId, 'app.lookup', 1234, 0],
    ]);
    expect(result.matches[0]!.args).toEqual(['customer-NEEDLE-4242']);
    expect(result.mayHaveSkipped).toBe(false);
    // One report per page: the screen shows scanned/total while it runs.
    expect(progress.length).toBeGreaterThanOrEqual(10);
    expect(progress.at(-1)).toBe(5000);
    expect(writesOrBlocking(commands)).toEqual([]);
    expect(new Set(commands.map((c) => c.split(' ')[0]))).toEqual(new Set(['llen', 'lrange']));
    expect(await snapshot(redis)).toEqual(before);
    expect(await lengths('big')).toEqual([4000, 0, 1000, 0]);
  });

  it('matches task names and kwargs too, case-insensitively, and stops at maxMatches', async () => {
    await fill('big', 600, { needleAt: 10 });
    const byName = await searchQueue(redis, wire, 'big', 'APP.LOOKUP');
    expect(byName.matches.map((m) => m.id)).toEqual([needleId]);
    const byKwargs = await searchQueue(redis, wire, 'big', '"region":"eu"');
    expect(byKwargs.matches.map((m) => m.id)).toEqual([needleId]);
    const many = await searchQueue(redis, wire, 'big', 'value-', { limits: { maxMatches: 50 } });
    expect([many.status, many.matches.length]).toEqual(['limited', 50]);
    // Execution order: the message pushed first (value-0) runs first and is found first.
    expect(many.matches[0]!.args).toEqual([0, 'value-0']);
  });

  it('stops when cancelled, after the page in flight', async () => {
    await fill('big', 5000, { needleAt: 4900 });
    const before = await snapshot(redis);
    const controller = new AbortController();
    const result = await searchQueue(redis, wire, 'big', 'needle-4242', {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    expect(result.status).toBe('cancelled');
    expect(result.scanned).toBe(500);
    expect(result.matches).toEqual([]);
    const early = await searchQueue(redis, wire, 'big', 'x', { signal: AbortSignal.abort() });
    expect([early.status, early.scanned]).toEqual(['cancelled', 0]);
    expect(await snapshot(redis)).toEqual(before);
  });

  it('misses no message a worker leaves queued while it takes others during the scan', async () => {
    await fill('busy', 3000);
    const key = queueListKeys(wire, 'busy')[0]!.key;
    const pops: Promise<unknown>[] = [];
    const found = await searchQueue(redis, wire, 'busy', 'app.add', {
      limits: { maxMatches: 10_000 },
      // A worker BRPOPs 60 messages between every two pages (fewer than the overlap of 100). Sent on
      // the search's own connection, so Redis runs it before the next page's LRANGE: exactly one
      // pop per gap. On another connection two pops could land in one gap on a busy machine
      // (120 > 100), which is a faster worker than this test means.
      onProgress: () => void pops.push(redis.rpop(key, 60)),
    });
    // The last report's pop can still be in flight when the search returns: awaited, it neither
    // races the reads below nor stays pending until afterAll disconnects, where ioredis rejects it
    // with "Connection is closed." and nobody handles the rejection.
    await Promise.all(pops);
    const remaining = (await redis.lrange(key, 0, -1)).map((raw) => JSON.parse(raw).headers.id as string);
    const seen = new Set(found.matches.map((m) => m.id));
    expect(remaining.length).toBeGreaterThan(0);
    expect(remaining.filter((id) => !seen.has(id))).toEqual([]);
    expect(found.mayHaveSkipped).toBe(false);
  });

  it('says when workers took messages too fast for the scan window', async () => {
    await fill('busy', 3000);
    const key = queueListKeys(wire, 'busy')[0]!.key;
    const pops: Promise<unknown>[] = [];
    const found = await searchQueue(redis, wire, 'busy', 'app.add', {
      limits: { maxMatches: 10_000 },
      onProgress: () => void pops.push(redis.rpop(key, 400)),
    });
    await Promise.all(pops);
    expect(found.mayHaveSkipped).toBe(true);
  });
});
