import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KOMBU_SEP, sendTasks, startWorker, stopAll, type Worker } from '../helpers/celery-worker.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import {
  type CeleryVersion,
  requireSharedSite,
  sharedRequired,
  sharedSite,
} from '../helpers/shared-trees.js';
import { waitFor } from '../helpers/wait-for.js';

// The harness runs two Celery versions side by side: Debian's 5.2.6 and the 5.6.3 tree from
// ../shared (test/helpers/shared-trees.ts). Every versioned interop test trusts that `celery: '5.6'`
// really starts 5.6 and that producers of either version reach workers of either; this file proves
// it on one redis-server, with the differences ../shared/celery-5.6/README.md lists.

const site = requireSharedSite('celery56');

interface RawEvent {
  type?: string;
  hostname?: string;
  sw_ver?: string;
}

/** The events of one `celeryev` message (a single event or a `task.multi` batch). */
function decodeEvents(message: string): RawEvent[] {
  const envelope = JSON.parse(message) as { body: string };
  const body = JSON.parse(Buffer.from(envelope.body, 'base64').toString('utf8')) as unknown;
  return (Array.isArray(body) ? body : [body]) as RawEvent[];
}

const RELEASE: Record<CeleryVersion, string> = { '5.2': '5.2.6', '5.6': '5.6.3' };

if (!site) {
  it('is not run: the Celery 5.6 tree is absent and CI did not require it', () => {
    expect(sharedSite('celery56')).toBeNull();
    expect(sharedRequired()).toBe(false);
  });
} else {
  describe('a Celery 5.6.3 worker next to a 5.2.6 worker on one redis-server', () => {
    let server: RedisServer;
    let redis: Redis;
    let sub: Redis;
    const events: RawEvent[] = [];
    const workers = {} as Record<CeleryVersion, Worker>;
    const env = { QTOP_RESULT_EXTENDED: '1' }; // meta then names the worker that ran the task

    beforeAll(async () => {
      server = await startRedis();
      redis = new Redis(server.url(0));
      // Subscribed before the workers start, so their worker-online events are here too.
      sub = new Redis(server.url(0));
      sub.on('pmessage', (_pattern: string, _channel: string, message: string) =>
        events.push(...decodeEvents(message)),
      );
      await sub.psubscribe('/0.celeryev/*');
      const [w52, w56] = await Promise.all(
        (['5.2', '5.6'] as const).map((celery) =>
          startWorker({
            brokerUrl: server.url(0),
            name: `v${celery.replace('.', '')}`,
            celery,
            queues: [`q${celery.replace('.', '')}`],
            concurrency: 1,
            events: true,
            env,
          }),
        ),
      );
      workers['5.2'] = w52!;
      workers['5.6'] = w56!;
    });

    afterAll(async () => {
      sub?.disconnect();
      redis?.disconnect();
      await stopAll();
      await server?.stop();
    });

    it.each([
      '5.2',
      '5.6',
    ] as const)('the %s worker says it runs its release in worker-online and worker-heartbeat', async (celery) => {
      const { hostname } = workers[celery];
      const seen = (type: string) => events.find((e) => e.type === type && e.hostname === hostname);
      await waitFor(() => seen('worker-heartbeat') !== undefined, 10_000, `a heartbeat of ${hostname}`);
      expect(seen('worker-online')?.sw_ver).toBe(RELEASE[celery]);
      expect(seen('worker-heartbeat')?.sw_ver).toBe(RELEASE[celery]);
    });

    it('both workers are in the one pidbox binding set', async () => {
      const members = await redis.smembers('_kombu.binding.celery.pidbox');
      expect(members.sort()).toEqual(
        [workers['5.2'], workers['5.6']]
          .map((w) => `${KOMBU_SEP}${KOMBU_SEP}${w.hostname}.celery.pidbox`)
          .sort(),
      );
    });

    it.each([
      ['5.2', '5.2'],
      ['5.2', '5.6'],
      ['5.6', '5.2'],
      ['5.6', '5.6'],
    ] as const)('a task sent by the %s producer runs on the %s worker', async (producer, celery) => {
      const [id] = await sendTasks(server.url(0), 'app.add', [40, 2], {
        celery: producer,
        queue: `q${celery.replace('.', '')}`,
        env,
      });
      let meta: Record<string, unknown> | null = null;
      await waitFor(
        async () => {
          const raw = await redis.get(`celery-task-meta-${id}`);
          meta = raw === null ? null : (JSON.parse(raw) as Record<string, unknown>);
          return meta?.status === 'SUCCESS';
        },
        20_000,
        `task ${id} to succeed`,
      );
      expect(meta).toMatchObject({ result: 42, worker: workers[celery].hostname });
      // The worker writes the meta: 5.6 dates it with a UTC offset, 5.2 without one.
      const dateDone = String(meta!.date_done);
      if (celery === '5.6') expect(dateDone).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+\+00:00$/);
      else expect(dateDone).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+$/);
    });

    it('a 5.6 producer adds the stamp headers to the task message; a 5.2 producer does not', async () => {
      const headers = async (producer: CeleryVersion) => {
        const [id] = await sendTasks(server.url(0), 'app.add', [1, 1], { celery: producer, queue: 'parked' });
        const raw = (await redis.lrange('parked', 0, -1)).find((m) => m.includes(id!));
        return (JSON.parse(raw!) as { headers: Record<string, unknown> }).headers;
      };
      expect(await headers('5.6')).toMatchObject({
        replaced_task_nesting: 0,
        stamped_headers: null,
        stamps: {},
      });
      const old = await headers('5.2');
      expect(['replaced_task_nesting', 'stamped_headers', 'stamps'].filter((h) => h in old)).toEqual([]);
    });

    it('both stop warmly (exit 0) and leave the pidbox binding set', async () => {
      await Promise.all(Object.values(workers).map((w) => w.stop()));
      expect(await Promise.all(Object.values(workers).map((w) => w.exited))).toEqual([0, 0]);
      expect(await redis.smembers('_kombu.binding.celery.pidbox')).toEqual([]);
    });
  });
}
