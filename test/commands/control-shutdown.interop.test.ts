import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, KOMBU_SEP, startCluster } from '../helpers/celery-worker.js';
import { celeryVersions } from '../helpers/shared-trees.js';
import { control } from './control-helpers.js';

// Warm shutdown is a cast with no reply (wire doc 7.3); qtop confirms it by the worker leaving the
// pidbox binding set (3.1).
describe.each(celeryVersions())('on Celery %s', (celery) => {
  let cluster: Cluster;
  let redis: Redis;

  beforeAll(async () => {
    cluster = await startCluster({
      celery,
      workers: [{ name: 's1' }, { name: 's2' }],
    });
    redis = new Redis(cluster.brokerUrl);
  });

  afterAll(async () => {
    redis?.disconnect();
    await cluster?.stop();
  });

  const member = (node: string) => `${KOMBU_SEP}${KOMBU_SEP}${node}.celery.pidbox`;

  describe('qtop shutdown', () => {
    it('needs --confirm WORKER; then the worker exits and leaves the pidbox binding set', async () => {
      const s2 = cluster.workers[1]!;
      const asked = await control(cluster.brokerUrl, ['shutdown', 's2']);
      expect(asked.run.code).toBe(2);
      expect(asked.out.summary).toContain('this would shut down worker s2');
      expect((await control(cluster.brokerUrl, ['shutdown', 's2', '--confirm', 's1'])).run.code).toBe(2);
      expect(await redis.sismember('_kombu.binding.celery.pidbox', member(s2.hostname))).toBe(1);

      const { out, run } = await control(cluster.brokerUrl, [
        'shutdown',
        's2',
        '--confirm',
        's2',
        '--wait',
        '15',
      ]);
      expect(run.code).toBe(0);
      expect(out.summary).toBe(`${s2.hostname} shut down (it left the pidbox binding set)`);
      expect(await redis.sismember('_kombu.binding.celery.pidbox', member(s2.hostname))).toBe(0);
      const code = await Promise.race([
        s2.exited,
        new Promise((resolve) => setTimeout(() => resolve('running'), 15_000)),
      ]);
      expect(code).not.toBe('running');
      expect(
        await redis.sismember('_kombu.binding.celery.pidbox', member(cluster.workers[0]!.hostname)),
      ).toBe(1);
    });

    it('a worker that is not running is not found (exit 6)', async () => {
      const { run } = await control(cluster.brokerUrl, ['shutdown', 's2', '--confirm', 's2']);
      expect(run.code).toBe(6);
    });
  });
});
