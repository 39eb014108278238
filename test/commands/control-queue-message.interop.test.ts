import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskEvent } from '../../src/celery/types.js';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { celeryVersions } from '../helpers/shared-trees.js';
import { waitFor } from '../helpers/wait-for.js';
import { collectEvents, control, type EventLog, meta, waitMeta } from './control-helpers.js';

// Delete / move one message while a real worker BRPOPs the same list. m1 consumes `work` one task at a
// time (prefetch 1) and writes result_extended meta; nobody consumes `parked`.
describe.each(celeryVersions())('on Celery %s', (celery) => {
  let cluster: Cluster;
  let redis: Redis;
  let events: EventLog;

  beforeAll(async () => {
    cluster = await startCluster({
      celery,
      workers: [
        {
          name: 'm1',
          queues: ['work'],
          events: true,
          concurrency: 1,
          prefetchMultiplier: 1,
          env: { QTOP_RESULT_EXTENDED: '1' },
        },
      ],
    });
    redis = new Redis(cluster.brokerUrl);
    events = await collectEvents(cluster.brokerUrl);
  });

  afterAll(async () => {
    events?.close();
    redis?.disconnect();
    await cluster?.stop();
  });

  function succeeded(id: string): number {
    return events.events.filter(
      (e): e is TaskEvent => e.kind === 'task' && e.type === 'task-succeeded' && e.uuid === id,
    ).length;
  }

  describe('qtop message delete|move', () => {
    it('deleting one message under concurrent consumption loses nothing else and runs nothing twice', async () => {
      const ids = await cluster.sendTasks('app.sleepy', [0.05], { queue: 'work', count: 120 });
      const victim = ids[90]!;
      const { out, run } = await control(cluster.brokerUrl, ['message', 'delete', 'work', victim]);
      expect(run.code).toBe(0);
      expect(out).toMatchObject({
        kind: 'done',
        details: { taskId: victim, queue: 'work', name: 'app.sleepy', step: 0 },
      });
      expect((await redis.llen('work')) > 0).toBe(true); // the worker was still consuming

      const others = ids.filter((id) => id !== victim);
      await waitFor(
        async () =>
          (await Promise.all(others.map((id) => meta(redis, id)))).every((m) => m?.status === 'SUCCESS'),
        60_000,
        'every other task to succeed',
      );
      await waitFor(() => others.every((id) => succeeded(id) >= 1), 10_000, 'their task-succeeded events');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(others.filter((id) => succeeded(id) !== 1)).toEqual([]);
      expect(succeeded(victim)).toBe(0);
      expect(await meta(redis, victim)).toBeNull();
      expect(await redis.llen('work')).toBe(0);
    });

    it('moves one message to another queue, where it runs; the rest stays', async () => {
      const [a, b] = await Promise.all([
        cluster.sendTasks('app.add', [5, 6], { queue: 'parked', priority: 6 }),
        cluster.sendTasks('app.add', [1, 1], { queue: 'parked', priority: 6 }),
      ]);
      const { out, run } = await control(cluster.brokerUrl, [
        'message',
        'move',
        'parked',
        a![0]!,
        '--to',
        'work',
      ]);
      expect(run.code).toBe(0);
      expect(out.details).toMatchObject({ taskId: a![0], queue: 'parked', toQueue: 'work', step: 6 });
      const moved = await waitMeta(redis, a![0]!, 'SUCCESS');
      expect(moved).toMatchObject({ result: 11, queue: 'work' }); // delivery_info.routing_key rewritten
      expect(await redis.llen('parked\x06\x166')).toBe(1);
      expect(await meta(redis, b![0]!)).toBeNull();
    });

    it('a task that is not waiting in the queue is not found (exit 6), nothing is touched', async () => {
      const [done] = await cluster.sendTasks('app.add', [2, 2], { queue: 'work' });
      await waitMeta(redis, done!, 'SUCCESS');
      const gone = await control(cluster.brokerUrl, ['message', 'delete', 'work', done!]);
      expect(gone.run.code).toBe(6);
      expect(gone.out.summary).toMatch(/is not waiting in queue 'work'/);
      const before = await redis.llen('parked\x06\x166');
      const wrong = await control(cluster.brokerUrl, ['message', 'move', 'nosuch', done!, '--to', 'work']);
      expect(wrong.run.code).toBe(6);
      expect(wrong.out.summary).toContain("'nosuch', which is not a known queue");
      expect(await redis.llen('parked\x06\x166')).toBe(before);
      expect((await control(cluster.brokerUrl, ['message', 'move', 'parked', done!])).run.code).toBe(2);
    });
  });
});
