import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { celeryVersions } from '../helpers/shared-trees.js';
import { waitFor } from '../helpers/wait-for.js';
import { control, expectNoLeftovers } from './control-helpers.js';

// Pool commands against a fixed prefork pool (p1, 1 process) and an autoscaling one (p2, 3..1).
describe.each(celeryVersions())('on Celery %s', (celery) => {
  let cluster: Cluster;
  let redis: Redis;

  beforeAll(async () => {
    cluster = await startCluster({
      celery,
      workers: [
        { name: 'p1', concurrency: 1 },
        { name: 'p2', autoscale: [3, 1] },
      ],
    });
    redis = new Redis(cluster.brokerUrl);
  });

  afterAll(async () => {
    redis?.disconnect();
    await cluster?.stop();
  });

  /** What `stats` says of the pool. Celery 5.2's `max-concurrency` is the start-up limit and never
   * changes (celery/concurrency/prefork.py `_get_info`: `self.limit`); a grow shows in `processes`
   * (billiard starts the new ones) and `prefetch_count` (`_update_prefetch_count`). */
  async function poolStats(worker: string): Promise<{ processes: number; prefetch: number; max: number }> {
    const { out } = await control(cluster.brokerUrl, ['inspect', 'stats', '-w', worker]);
    const stats = Object.values(
      out.details.replies as Record<
        string,
        { pool: { processes: number[]; 'max-concurrency': number }; prefetch_count: number }
      >,
    )[0]!;
    return {
      processes: stats.pool.processes.length,
      prefetch: stats.prefetch_count,
      max: stats.pool['max-concurrency'],
    };
  }

  describe('qtop pool / autoscale', () => {
    it('grow and shrink change the pool processes and prefetch count in the worker’s stats', async () => {
      expect(await poolStats('p1')).toEqual({ processes: 1, prefetch: 4, max: 1 });
      const grown = await control(cluster.brokerUrl, ['pool', 'p1', 'grow', '2']);
      expect(grown.run.code).toBe(0);
      expect(grown.out.replies).toEqual([
        { node: cluster.workers[0]!.hostname, status: 'ok', message: 'pool will grow' },
      ]);
      let last = {};
      await waitFor(
        async () => {
          last = await poolStats('p1');
          return JSON.stringify(last) === JSON.stringify({ processes: 3, prefetch: 12, max: 1 });
        },
        15_000,
        `3 processes, prefetch 12 (last ${JSON.stringify(last)})`,
      );
      const shrunk = await control(cluster.brokerUrl, ['pool', cluster.workers[0]!.hostname, 'shrink', '1']);
      expect(shrunk.out.kind).toBe('done');
      await waitFor(
        async () => {
          last = await poolStats('p1');
          return JSON.stringify(last) === JSON.stringify({ processes: 2, prefetch: 8, max: 1 });
        },
        15_000,
        `2 processes, prefetch 8 (last ${JSON.stringify(last)})`,
      );
      await expectNoLeftovers(redis);
    });

    it('shows the worker’s refusal: pool_grow on an autoscaling worker, autoscale on a fixed pool (exit 5)', async () => {
      const refused = await control(cluster.brokerUrl, ['pool', 'p2', 'grow', '1']);
      expect(refused.run.code).toBe(5);
      expect(refused.out.kind).toBe('partial');
      expect(refused.out.replies[0]).toMatchObject({
        status: 'error',
        message: 'pool_grow is not supported with autoscale. Adjust autoscale range instead.',
      });
      const fixed = await control(cluster.brokerUrl, ['autoscale', 'p1', '4', '2']);
      expect(fixed.run.code).toBe(5);
      expect(fixed.out.replies[0]).toMatchObject({
        status: 'error',
        message: "ValueError('Autoscale not enabled')",
      });
    });

    it('autoscale sets the range of an autoscaling worker', async () => {
      const { out, run } = await control(cluster.brokerUrl, ['autoscale', 'p2', '5', '2']);
      expect(run.code).toBe(0);
      expect(out.replies[0]).toMatchObject({ status: 'ok', message: 'autoscale now max=5 min=2' });
    });

    it('a worker that does not exist is named as such (exit 6); bad numbers are usage errors (exit 2)', async () => {
      const missing = await control(cluster.brokerUrl, ['pool', 'nosuch@host', 'grow', '1']);
      expect(missing.run.code).toBe(6);
      expect(missing.out.summary).toMatch(/no worker named 'nosuch@host'; running workers: p1@.*, p2@/);
      const bad = await control(cluster.brokerUrl, ['pool', 'p1', 'grow', '0']);
      expect(bad.run.code).toBe(2);
      const inverted = await control(cluster.brokerUrl, ['autoscale', 'p2', '1', '3']);
      expect(inverted.run.code).toBe(2);
    });
  });
});
