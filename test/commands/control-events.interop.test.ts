import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskEvent } from '../../src/celery/types.js';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { celeryVersions } from '../helpers/shared-trees.js';
import { waitFor } from '../helpers/wait-for.js';
import { collectEvents, control, type EventLog, waitMeta } from './control-helpers.js';

// A worker started without -E sends no task events until `enable_events` (wire doc 6.1).
describe.each(celeryVersions())('on Celery %s', (celery) => {
  let cluster: Cluster;
  let redis: Redis;
  let events: EventLog;

  beforeAll(async () => {
    cluster = await startCluster({
      celery,
      workers: [{ name: 'e1', events: false }],
    });
    redis = new Redis(cluster.brokerUrl);
    events = await collectEvents(cluster.brokerUrl);
  });

  afterAll(async () => {
    events?.close();
    redis?.disconnect();
    await cluster?.stop();
  });

  function taskEvents(id: string): string[] {
    return events.events.filter((e): e is TaskEvent => e.kind === 'task' && e.uuid === id).map((e) => e.type);
  }

  /** Run add(1, 1) to completion and give any task events time to arrive. */
  async function runOne(): Promise<string> {
    const [id] = await cluster.sendTasks('app.add', [1, 1]);
    await waitMeta(redis, id!, 'SUCCESS');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    return id!;
  }

  describe('qtop events on|off', () => {
    it('turns task events on for a worker started without -E, and off again', async () => {
      expect(taskEvents(await runOne())).toEqual([]);

      const on = await control(cluster.brokerUrl, ['events', 'on']);
      expect(on.run.code).toBe(0);
      expect(on.out.replies[0]).toMatchObject({ status: 'ok', message: 'task events enabled' });
      const [id] = await cluster.sendTasks('app.add', [2, 2]);
      await waitFor(() => taskEvents(id!).includes('task-succeeded'), 10_000, 'task-succeeded event');
      expect(taskEvents(id!)).toEqual(
        expect.arrayContaining(['task-received', 'task-started', 'task-succeeded']),
      );

      const off = await control(cluster.brokerUrl, ['events', 'off', '-w', 'e1']);
      expect(off.out.replies[0]).toMatchObject({ status: 'ok', message: 'task events disabled' });
      expect(taskEvents(await runOne())).toEqual([]);
    });
  });
});
