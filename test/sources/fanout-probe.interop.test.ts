import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wireOptions } from '../../src/celery/options.js';
import { probeFanoutPrefix } from '../../src/sources/fanout-probe.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';

/**
 * The fanout prefix probe on a real Redis. A kombu < 5.4 worker behind Sentinel subscribes to
 * `/{db}.celery.pidbox` literally (kombu 5.2 redis.py: SentinelChannel._get_pool never formats
 * `keyprefix_fanout`); here a plain subscriber holds the channel names each kombu builds.
 */
let redis: RedisServer;
const clients: Redis[] = [];

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  for (const c of clients) c.disconnect();
  await redis?.stop();
});

async function listening(channel: string): Promise<void> {
  const sub = new Redis(redis.url(0));
  clients.push(sub);
  await sub.subscribe(channel);
}

describe('probeFanoutPrefix', () => {
  it('nobody listening: tells nothing', async () => {
    const probe = new Redis(redis.url(0));
    clients.push(probe);
    expect(await probeFanoutPrefix(probe, wireOptions())).toEqual({ seen: null, mismatch: null });
  });

  it('a worker on the literal /{db}. channel is a finding unless --fanout-prefix-literal', async () => {
    await listening('/{db}.celery.pidbox');
    const probe = new Redis(redis.url(3)); // pub/sub is server-wide: any db sees it
    clients.push(probe);
    const finding = await probeFanoutPrefix(probe, wireOptions({ db: 3 }));
    expect(finding.seen).toBe('literal');
    expect(finding.mismatch).toContain('--fanout-prefix-literal');
    expect((await probeFanoutPrefix(probe, wireOptions({ fanoutPrefixLiteral: true }))).mismatch).toBeNull();
  });

  it('formatted channels with the literal option set are a finding too', async () => {
    const fresh = await startRedis();
    try {
      const sub = new Redis(fresh.url(0));
      const probe = new Redis(fresh.url(0));
      await sub.subscribe('/0.celery.pidbox');
      const finding = await probeFanoutPrefix(probe, wireOptions({ fanoutPrefixLiteral: true }));
      expect(finding).toMatchObject({ seen: 'formatted' });
      expect(finding.mismatch).toContain('drop --fanout-prefix-literal');
      sub.disconnect();
      probe.disconnect();
    } finally {
      await fresh.stop();
    }
  });
});
