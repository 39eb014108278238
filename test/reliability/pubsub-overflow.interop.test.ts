import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/snapshot/select-snapshot.js';
import { fixture } from '../celery/fixture-files.js';
import { spawnQtop } from '../helpers/qtop-cli.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { schemaErrors } from '../helpers/schema.js';
import { waitFor } from '../helpers/wait-for.js';

// Redis cuts a subscriber whose output buffer passes `client-output-buffer-limit pubsub`. Here the
// limit is 64 kB, and qtop's event loop is frozen (SIGSTOP) while 30 MB of events are published.
let server: RedisServer;
let redis: Redis;

beforeAll(async () => {
  server = await startRedis({ args: ['--client-output-buffer-limit', 'pubsub 64kb 0 0'] });
  redis = new Redis(server.url(0));
});

afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
});

/** Pub/sub clients connected; redis-server 7.0 has no counter of buffer-limit closes to read. */
const subscribers = async () =>
  String(await redis.call('CLIENT', 'LIST', 'TYPE', 'pubsub'))
    .split('\n')
    .filter((line) => line.includes('name=qtop-sub')).length;

/** Publish `count` copies of a 3-event batch (about 1.2 kB each) in pipelines. */
async function flood(count: number): Promise<void> {
  const payload = fixture('event-task-multi-batch.json');
  for (let sent = 0; sent < count; sent += 1_000) {
    const pipe = redis.pipeline();
    for (let i = 0; i < 1_000; i++) pipe.publish('/0.celeryev/task.multi', payload);
    await pipe.exec();
  }
}

describe('qtop --json --watch when Redis cuts its subscriber off for falling behind', () => {
  it('survives, reports how long events were lost and why, and counts events again', async () => {
    // --timeout 30: a command that was waiting when qtop froze must not time out on thawing.
    const watch = spawnQtop([
      '-b',
      server.url(0),
      '--json',
      '--watch',
      '--interval',
      '0.3',
      '--timeout',
      '30',
    ]);
    try {
      await watch.waitForLine<Snapshot>((s) => s.meta.sources.events.state === 'ok', 10_000);
      expect(await subscribers()).toBe(1);

      watch.signal('SIGSTOP');
      try {
        await flood(25_000); // ~30 MB: more than the kernel's socket buffers hold, then 64 kB more
        await waitFor(async () => (await subscribers()) === 0, 10_000, 'Redis to cut the subscriber off');
        expect(String(await redis.call('CLIENT', 'LIST'))).toMatch(/ name=qtop /); // the rest stay
      } finally {
        watch.signal('SIGCONT');
      }

      const gapped = await watch.waitForLine<Snapshot>(
        (s) =>
          s.meta.sources.events.state === 'ok' &&
          s.meta.sources.events.gaps.some((g) => g.reason.includes('client-output-buffer-limit')),
        15_000,
      );
      expect(schemaErrors(gapped)).toEqual([]);
      const gap = gapped.meta.sources.events.gaps.at(-1)!;
      expect(gap.toAt).not.toBeNull();
      expect(gap.reason).toMatch(
        /^events lost between \S+Z and \S+Z \(\d+\.\d s\): Redis (cut the subscriber off|closed only the subscriber while the server stayed up: most likely it cut qtop off) for falling behind \(client-output-buffer-limit pubsub\)/,
      );
      // The other sources never noticed: only the subscriber was cut.
      expect(gapped.meta.sources.queues.gaps).toEqual([]);
      // What was buffered before the cut was still read, and nothing was counted as malformed.
      expect(gapped.meta.counters.eventsMalformed).toBe(0);
      expect(gapped.meta.counters.eventMessages).toBeGreaterThan(1_000);
      expect(gapped.meta.counters.eventMessages).toBeLessThan(25_000);

      const before = gapped.meta.counters.eventMessages;
      await flood(1_000);
      const after = await watch.waitForLine<Snapshot>(
        (s) => s.meta.counters.eventMessages >= before + 1_000,
        10_000,
      );
      expect(after.meta.counters.eventMessages).toBe(before + 1_000);
      expect(after.meta.counters.events).toBe(after.meta.counters.eventMessages * 3);
      expect(after.meta.sources.events.gaps).toHaveLength(1);
    } finally {
      watch.signal('SIGCONT');
      expect(await watch.stop('SIGINT')).toBe(0);
    }
    expect(watch.stderr()).toBe('');
  });
});
