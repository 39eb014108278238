import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { celeryVersions } from '../helpers/shared-trees.js';
import { control } from './control-helpers.js';

// Purge against messages Celery's own producer wrote: every priority list of one queue goes, another
// queue, the binding, and the same queue under another global_keyprefix stay (wire doc 2, 3.2).
const SEP = '\x06\x16';
describe.each(celeryVersions())('on Celery %s', (celery) => {
  let cluster: Cluster;
  let redis: Redis;

  beforeAll(async () => {
    cluster = await startCluster({
      celery,
      workers: [],
    });
    redis = new Redis(cluster.brokerUrl);
  });

  afterAll(async () => {
    redis?.disconnect();
    await cluster?.stop();
  });

  async function lengths(prefix: string, queue: string): Promise<number[]> {
    return Promise.all(['', `${SEP}3`, `${SEP}6`, `${SEP}9`].map((s) => redis.llen(`${prefix}${queue}${s}`)));
  }

  describe('qtop purge', () => {
    it('needs --confirm QUEUE, then empties all priority lists of that queue and nothing else', async () => {
      const send = (priority: number, count: number, queue = 'parked') =>
        cluster.sendTasks('app.add', [1, 1], { queue, priority, count });
      await send(0, 3);
      await send(4, 2);
      await send(7, 1);
      await send(9, 2);
      await send(0, 2, 'keep');
      await cluster.sendTasks('app.add', [1, 1], {
        queue: 'parked',
        count: 2,
        env: { QTOP_GLOBAL_KEYPREFIX: 'pfx:' },
      });
      expect(await lengths('', 'parked')).toEqual([3, 2, 1, 2]);

      const asked = await control(cluster.brokerUrl, ['purge', 'parked']);
      expect(asked.run.code).toBe(2);
      expect(asked.out.summary).toContain('this would delete 8 messages waiting in parked');
      expect((await control(cluster.brokerUrl, ['purge', 'parked', '--confirm', 'keep'])).run.code).toBe(2);
      expect(await lengths('', 'parked')).toEqual([3, 2, 1, 2]);

      const { out, run } = await control(cluster.brokerUrl, ['purge', 'parked', '--confirm', 'parked']);
      expect(run.code).toBe(0);
      expect(out.details).toEqual({ queue: 'parked', purged: 8, byStep: { 0: 3, 3: 2, 6: 1, 9: 2 } });
      expect(await lengths('', 'parked')).toEqual([0, 0, 0, 0]);
      expect(await lengths('', 'keep')).toEqual([2, 0, 0, 0]);
      expect(await lengths('pfx:', 'parked')).toEqual([2, 0, 0, 0]);
      expect(await redis.sismember('_kombu.binding.parked', `parked${SEP}${SEP}parked`)).toBe(1);
    });

    it('honours --keyprefix (global_keyprefix): only the prefixed lists go', async () => {
      const { out } = await control(cluster.brokerUrl, [
        '--keyprefix',
        'pfx:',
        'purge',
        'parked',
        '--confirm',
        'parked',
      ]);
      expect(out.details).toMatchObject({ purged: 2 });
      expect(await lengths('pfx:', 'parked')).toEqual([0, 0, 0, 0]);
      expect(await lengths('', 'keep')).toEqual([2, 0, 0, 0]);
    });

    it('a queue that does not exist is not found (exit 6)', async () => {
      const { out, run } = await control(cluster.brokerUrl, ['purge', 'nosuch', '--confirm', 'nosuch']);
      expect(run.code).toBe(6);
      expect(out.summary).toMatch(/^no queue named 'nosuch' \(known queues: .*keep.*parked/);
    });
  });
});
