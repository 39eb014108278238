import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyLookup } from '../../commands/control/context.js';
import { createControls } from '../../commands/control/controls.js';
import { systemClock } from '../../src/base/clock.js';
import { wireOptions } from '../../src/celery/options.js';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { celeryVersions } from '../helpers/shared-trees.js';
import { waitFor } from '../helpers/wait-for.js';
import { control, expectNoLeftovers, nodes, waitMeta } from './control-helpers.js';

// Consumers and pause/resume, observed through `active_queues` (wire doc 7.3). c1 consumes celery,
// c2 consumes celery and other.
describe.each(celeryVersions())('on Celery %s', (celery) => {
  let cluster: Cluster;
  let redis: Redis;

  beforeAll(async () => {
    cluster = await startCluster({
      celery,
      workers: [{ name: 'c1' }, { name: 'c2', queues: ['celery', 'other'] }],
    });
    redis = new Redis(cluster.brokerUrl);
  });

  afterAll(async () => {
    redis?.disconnect();
    await cluster?.stop();
  });

  /** Queue names each worker consumes, by short name. */
  async function activeQueues(): Promise<Record<string, string[]>> {
    const { out } = await control(cluster.brokerUrl, ['inspect', 'active_queues']);
    const replies = out.details.replies as Record<string, { name: string }[]>;
    return Object.fromEntries(
      Object.entries(replies).map(([node, qs]) => [node.split('@')[0], qs.map((q) => q.name).sort()]),
    );
  }

  describe('qtop consumer / queue pause|resume', () => {
    it('adds and cancels a consumer on one worker', async () => {
      const added = await control(cluster.brokerUrl, ['consumer', 'add', 'extra', '-w', 'c1']);
      expect(added.run.code).toBe(0);
      expect(added.out.replies[0]).toMatchObject({ status: 'ok', message: 'add consumer extra' });
      expect(await activeQueues()).toEqual({ c1: ['celery', 'extra'], c2: ['celery', 'other'] });
      const cancelled = await control(cluster.brokerUrl, ['consumer', 'cancel', 'extra', '-w', 'c1']);
      expect(cancelled.out.kind).toBe('done');
      expect(await activeQueues()).toEqual({ c1: ['celery'], c2: ['celery', 'other'] });
    });

    it('pause cancels the consumer on exactly the workers using the queue; resume re-adds them', async () => {
      const paused = await control(cluster.brokerUrl, ['queue', 'pause', 'celery']);
      expect(paused.run.code).toBe(0);
      const workers = paused.out.details.workers as string[];
      expect(workers.sort()).toEqual(cluster.workers.map((w) => w.hostname).sort());
      expect(paused.out.details.resume).toMatch(/^qtop queue resume celery --worker c1@\S+ --worker c2@\S+$/);
      expect(await activeQueues()).toEqual({ c1: [], c2: ['other'] });

      const [id] = await cluster.sendTasks('app.add', [3, 4]);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(await redis.llen('celery')).toBe(1); // nobody takes it while paused

      const forgot = await control(cluster.brokerUrl, ['queue', 'resume', 'celery']);
      expect(forgot.run.code).toBe(2);
      expect(forgot.out.summary).toContain('name them with --worker');

      const resumed = await control(cluster.brokerUrl, [
        'queue',
        'resume',
        'celery',
        ...workers.flatMap((w) => ['-w', w]),
      ]);
      expect(resumed.run.code).toBe(0);
      expect(nodes(resumed.out.replies).sort()).toEqual(workers.sort());
      expect((await waitMeta(redis, id!, 'SUCCESS')).result).toBe(7);
      expect(await activeQueues()).toEqual({ c1: ['celery'], c2: ['celery', 'other'] });
      await expectNoLeftovers(redis);
    });

    it('remembers paused workers within one Controls (the TUI) and resumes exactly those', async () => {
      const controls = createControls({
        broker: redis,
        backend: redis,
        wire: wireOptions(),
        clock: systemClock,
        readOnly: false,
        lookup: emptyLookup,
        timeoutMs: 3_000,
      });
      try {
        const paused = await controls.pauseQueue('other');
        expect(paused.kind).toBe('done');
        expect(paused.details?.workers).toEqual([cluster.workers[1]!.hostname]);
        expect(await activeQueues()).toEqual({ c1: ['celery'], c2: ['celery'] });
        const resumed = await controls.resumeQueue('other');
        expect(nodes(resumed.replies)).toEqual([cluster.workers[1]!.hostname]);
        await waitFor(
          async () => (await activeQueues()).c2?.includes('other') === true,
          5_000,
          'other consumed again',
        );
        expect((await activeQueues()).c1).toEqual(['celery']);
        expect((await controls.resumeQueue('other')).kind).toBe('refused'); // nothing left to resume
      } finally {
        controls.close();
      }
    });

    it('pausing a queue nobody consumes says so (exit 6)', async () => {
      const { out, run } = await control(cluster.brokerUrl, ['queue', 'pause', 'parked']);
      expect(run.code).toBe(6);
      expect(out.summary).toBe("no running worker consumes queue 'parked'");
    });
  });
});
