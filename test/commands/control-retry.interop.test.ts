import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlsFromStore, createControls } from '../../commands/control/controls.js';
import { systemClock } from '../../src/base/clock.js';
import { wireOptions } from '../../src/celery/options.js';
import { decodeTaskMessage } from '../../src/celery/task-message.js';
import { parseRedisUrl } from '../../src/redis/index.js';
import { type Collector, createCollector } from '../../src/sources/collector.js';
import { createStore, type Store } from '../../src/store/store.js';
import { CELERY_APP_DIR, type Cluster, celeryEnv, PYTHON, startCluster } from '../helpers/celery-worker.js';
import { runQtop } from '../helpers/qtop-cli.js';
import { celeryVersions } from '../helpers/shared-trees.js';
import { waitFor } from '../helpers/wait-for.js';
import { control, expectNoLeftovers, waitMeta } from './control-helpers.js';

// Retry against real workers: x1 writes result_extended meta (QTOP_RESULT_EXTENDED=1) and consumes
// `celery`; x2 does not, sends task events and consumes `plain`. Nobody consumes `parked`.
const exec = promisify(execFile);
describe.each(celeryVersions())('on Celery %s', (celery) => {
  let cluster: Cluster;
  let redis: Redis;

  beforeAll(async () => {
    cluster = await startCluster({
      celery,
      workers: [
        { name: 'x1', events: true, concurrency: 2, env: { QTOP_RESULT_EXTENDED: '1' } },
        { name: 'x2', events: true, concurrency: 1, queues: ['plain'] },
      ],
    });
    redis = new Redis(cluster.brokerUrl);
  });

  afterAll(async () => {
    redis?.disconnect();
    await cluster?.stop();
  });

  /** send_tasks.py with argv as given (JSON text untouched), resolving with the task id. */
  async function sendRaw(argv: string[]): Promise<string> {
    const env = celeryEnv(cluster.brokerUrl, undefined, {}, celery); // the producer of the version under test
    const { stdout } = await exec(PYTHON, [path.join(CELERY_APP_DIR, 'send_tasks.py'), ...argv], {
      cwd: CELERY_APP_DIR,
      env,
    });
    return stdout.trim();
  }

  interface Link {
    oldId: string;
    newId: string;
    source: string;
    queue: string;
  }

  describe('qtop retry', () => {
    it('runs a failed task again under a new id, from its result_extended meta', async () => {
      const [id] = await cluster.sendTasks('app.boom', ['first']);
      await waitMeta(redis, id!, 'FAILURE');
      const { out, run } = await control(cluster.brokerUrl, ['retry', id!]);
      expect(run.code).toBe(0);
      const [link] = out.details.retried as Link[];
      expect(link).toMatchObject({ oldId: id, source: 'result-extended', queue: 'celery' });
      expect(link!.newId).not.toBe(id);
      const again = await waitMeta(redis, link!.newId, 'FAILURE');
      expect(again).toMatchObject({ name: 'app.boom', args: ['first'], kwargs: {}, queue: 'celery' });
      expect(again.result).toMatchObject({ exc_type: 'ValueError', exc_message: ['first'] });
      await expectNoLeftovers(redis);
    });

    it('republishes a queued message exactly (1.0, big integers, __type__ objects) and it runs', async () => {
      // Raw JSON text straight to Python's producer: JS would already turn 1.0 into 1 here.
      const kwargs =
        '{"when": {"__type__": "datetime", "__value__": "2026-01-01T00:00:00"}, "big": 12345678901234567890}';
      const argv = [
        'app.echo',
        '[1.0, "héllo", [2.5, null]]',
        '--queue',
        'parked',
        '--priority',
        '4',
        '--kwargs',
        kwargs,
      ];
      const id = await sendRaw(argv);
      // The original still waits in 'parked': the retry takes it out in the same atomic step.
      const { out } = await control(cluster.brokerUrl, [
        'retry',
        id!,
        '--queue',
        'celery',
        '--remove-original',
      ]);
      const [link] = out.details.retried as Link[];
      expect(link).toMatchObject({ source: 'queued-message', queue: 'celery' });
      await waitMeta(redis, link!.newId, 'SUCCESS');
      const text = (await redis.get(`celery-task-meta-${link!.newId}`))!;
      // The worker received exactly what was sent: the float stays a float, the big int whole.
      expect(text).toContain('"args": [1.0, "h\\u00e9llo", [2.5, null]]');
      expect(text).toContain('"big": 12345678901234567890');
      expect(text).toContain('"__type__": "datetime"');
      expect(await redis.llen('parked\x06\x163')).toBe(0); // the original (priority 4 -> step 3) is gone
    });

    it('keeps the original queue and priority when no --queue is given', async () => {
      const [id] = await cluster.sendTasks('app.add', [1, 2], { queue: 'parked', priority: 7 });
      const { out } = await control(cluster.brokerUrl, ['retry', id!, '--remove-original']);
      const [link] = out.details.retried as Link[];
      expect(link!.queue).toBe('parked');
      const items = await redis.lrange('parked\x06\x166', 0, -1);
      expect(items.map((raw) => decodeTaskMessage(raw)).filter((m) => m.ok && m.value.id === id)).toEqual([]);
      const copy = items.map((raw) => decodeTaskMessage(raw)).find((m) => m.ok && m.value.id === link!.newId);
      expect(copy?.ok && copy.value).toMatchObject({
        name: 'app.add',
        args: [1, 2],
        priority: 7,
        routingKey: 'parked',
      });
    });

    it('refuses a pickle message with the reason and what would make it possible', async () => {
      const id = randomUUID();
      const pickle = {
        body: Buffer.from('\x80\x04\x95pickled').toString('base64'),
        'content-encoding': 'binary',
        'content-type': 'application/x-python-serialize',
        headers: { lang: 'py', task: 'app.add', id, argsrepr: '(1, 2)', kwargsrepr: '{}' },
        properties: {
          correlation_id: id,
          delivery_info: { exchange: '', routing_key: 'parked' },
          priority: 0,
          body_encoding: 'base64',
          delivery_tag: randomUUID(),
        },
      };
      await redis.lpush('parked', JSON.stringify(pickle));
      const { out, run } = await control(cluster.brokerUrl, ['retry', id]);
      expect(run.code).toBe(2);
      expect(out.kind).toBe('refused');
      expect(out.summary).toMatch(/not JSON \(pickle payload, not decoded\)/);
      expect(out.summary).toContain('result_extended=True');
    });

    it('says when a task id is not known anywhere (exit 6)', async () => {
      const { out, run } = await control(cluster.brokerUrl, ['retry', randomUUID()]);
      expect(run.code).toBe(6);
      expect(out.summary).toMatch(/not queued, has no result meta/);
    });

    it('--failed NAME asks for --confirm with the count, then retries them all', async () => {
      const ids = await cluster.sendTasks('app.slow_fail', [0], { count: 2 });
      for (const id of ids) await waitMeta(redis, id, 'FAILURE');
      const asked = await control(cluster.brokerUrl, ['retry', '--failed', 'app.slow_fail']);
      expect(asked.run.code).toBe(2);
      expect(asked.out.summary).toContain('this would retry 2 failed app.slow_fail tasks');
      const { out, run } = await control(cluster.brokerUrl, [
        'retry',
        '--failed',
        'app.slow_fail',
        '--confirm',
        'app.slow_fail',
      ]);
      expect(run.code).toBe(0);
      const links = out.details.retried as Link[];
      expect(links.map((l) => l.oldId).sort()).toEqual([...ids].sort());
      for (const link of links) await waitMeta(redis, link.newId, 'FAILURE');
      const none = await control(cluster.brokerUrl, ['retry', '--failed', 'app.nothing']);
      expect(none.run.code).toBe(6);
    });
  });

  describe('retry from the task-received repr (live model, no result_extended)', () => {
    let store: Store;
    let collector: Collector;

    beforeAll(async () => {
      const target = parseRedisUrl(cluster.brokerUrl);
      if (!target.ok) throw new Error(target.reason);
      store = createStore({ clock: systemClock, notifyEveryMs: 0 });
      collector = createCollector(
        {
          broker: target.value,
          backend: target.value,
          wire: wireOptions(),
          interactive: false,
          connectTimeoutMs: 5_000,
          peek: 10,
          maxValueChars: 64 * 1024,
          maxQueues: 100,
          maxUnacked: 100,
          cadence: { queues: 1_000, inspect: 5_000, results: 2_000 },
          resultsScanBudget: 500,
          inspectTimeoutMs: 1_000,
          knownWorkers: () => [],
        },
        store.dispatch,
        systemClock,
      );
      await collector.connect();
      collector.start();
    });

    afterAll(async () => {
      await collector?.stop();
    });

    async function failedWithRepr(args: unknown[]): Promise<string> {
      const [id] = await cluster.sendTasks('app.boom', args, { queue: 'plain' });
      await waitFor(
        () => {
          const task = store.getModel().tasks.get(id!);
          return task?.state === 'FAILURE' && task.argsRepr !== null;
        },
        20_000,
        `task-failed event of ${id}`,
      );
      return id!;
    }

    it('parses the repr, republishes, records old -> new in the store; refuses a truncated repr', async () => {
      const controls = createControls({
        broker: redis,
        backend: redis,
        wire: wireOptions(),
        clock: systemClock,
        readOnly: false,
        timeoutMs: 3_000,
        ...controlsFromStore(store, systemClock),
      });
      try {
        const id = await failedWithRepr(['short']);
        // task-received names no queue; unless a peek or inspect reply showed it, qtop asks for one.
        const queue = store.getModel().tasks.get(id)?.queue;
        if (queue === null) expect((await controls.retry([id])).summary).toContain('its queue is unknown');
        const result = await controls.retry([id], { queue: 'plain' });
        expect(result.kind).toBe('done');
        const [link] = (result.details as { retried: Link[] }).retried;
        expect(link).toMatchObject({ oldId: id, source: 'event-repr', queue: 'plain' });
        expect(store.getModel().tasks.get(id)?.retriedAs).toBe(link!.newId);
        expect(store.getModel().tasks.get(link!.newId)?.retryOf).toBe(id);
        const again = await waitMeta(redis, link!.newId, 'FAILURE');
        expect(again.result).toMatchObject({ exc_message: ['short'] });

        const long = await failedWithRepr(['x'.repeat(2000)]);
        // On a busy machine the message can wait long enough for a queue sample to peek it: the
        // store then holds its exact call, and the retry rightly uses that, never the cut repr.
        if (store.getModel().tasks.get(long)?.args) {
          const exact = await controls.retry([long], { queue: 'plain' });
          expect(exact.kind).toBe('done');
          expect((exact.details as { retried: Link[] }).retried[0]).toMatchObject({ source: 'model-json' });
          return;
        }
        const refused = await controls.retry([long]);
        expect(refused.kind).toBe('refused');
        expect(refused.summary).toContain('result meta holds no call (result_extended is off)');
        expect(refused.summary).toContain('repr truncated by Celery (1024 characters)');
        expect(refused.summary).toContain('set result_extended=True');
      } finally {
        controls.close();
      }
    });

    it('the CLI alone cannot see event reprs and says so', async () => {
      const id = await failedWithRepr(['cli']);
      const run = await runQtop(['-b', cluster.brokerUrl, 'retry', id]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('result_extended is off');
    });
  });
});
