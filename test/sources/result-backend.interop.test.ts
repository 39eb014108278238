import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendKeyprefix, resultKey } from '../../src/celery/names.js';
import { createResultScanner, subscribeResults } from '../../src/sources/result-source.js';
import type { Action } from '../../src/store/actions.js';
import { sendTasks, startWorker, type Worker } from '../helpers/celery-worker.js';
import { runQtop } from '../helpers/qtop-cli.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { celeryVersions } from '../helpers/shared-trees.js';
import { waitFor } from '../helpers/wait-for.js';
import { produce, wireEnv } from '../helpers/wire-reads.js';

/**
 * Result reads that must not mix apps: two Celery apps on one redis-server (db 0 and db 2). Pub/sub
 * has no database, so `celery-task-meta-*` hears both; qtop reads every notified key back from its
 * configured db and merges only what is there. On Celery >= 5.3 the backend's own global_keyprefix.
 */
type ResultsRead = Extract<Action, { type: 'results/read' }>;

describe.each(celeryVersions())('Celery %s: results from the configured backend only', (version) => {
  let redis: RedisServer;
  let appA: Worker;
  let appB: Worker;
  let clients: Redis[] = [];
  const client = (db: number, name: string) => {
    const c = new Redis(redis.url(db), { connectionName: name });
    clients.push(c);
    return c;
  };
  const v = version.replace('.', '');

  beforeAll(async () => {
    redis = await startRedis();
    [appA, appB] = await Promise.all([
      startWorker({ brokerUrl: redis.url(0), name: `ra${v}`, concurrency: 1, celery: version }),
      startWorker({ brokerUrl: redis.url(2), name: `rb${v}`, concurrency: 1, celery: version }),
    ]);
  });

  afterAll(async () => {
    for (const c of clients) c.disconnect();
    clients = [];
    await Promise.all([appA?.stop(), appB?.stop()]);
    await redis?.stop();
  });

  it("the other database's results are heard on the channel but never merged", async () => {
    const actions: ResultsRead[] = [];
    const heard: string[] = [];
    // An independent listener proves app B's results really were published where qtop listens.
    const spy = client(0, 'spy');
    spy.on('pmessage', (_p, channel) => heard.push(channel));
    await spy.psubscribe('celery-task-meta-*');
    const sub = client(0, 'sub');
    const live = await subscribeResults(sub, (a) => a.type === 'results/read' && actions.push(a), Date.now, {
      verifyWith: client(0, 'verify'),
    });
    const [a] = await sendTasks(redis.url(0), 'app.add', [1, 2], { celery: version });
    const [b] = await sendTasks(redis.url(2), 'app.add', [3, 4], { celery: version });
    await waitFor(
      async () => heard.includes(resultKey(b!)) && actions.some((x) => x.metas.some((m) => m.taskId === a)),
      30_000,
      'both results published, A merged',
    );
    await live.stop();
    const merged = actions.flatMap((x) => x.metas.map((m) => m.taskId));
    expect(merged).toContain(a);
    expect(merged).not.toContain(b);
    expect(actions.reduce((n, x) => n + (x.otherDb ?? 0), 0)).toBeGreaterThan(0);
    expect(actions.flatMap((x) => x.metas).find((m) => m.taskId === a)?.status).toMatch(/STARTED|SUCCESS/);
  });

  // Celery 5.2 has no such option: its keys stay bare with the same setting, and qtop reads them bare.
  it('global_keyprefix of the result backend (--backend-keyprefix)', async () => {
    const env = { QTOP_BACKEND_KEYPREFIX: 'appx' };
    const worker = await startWorker({
      brokerUrl: redis.url(4),
      name: `rp${v}`,
      concurrency: 1,
      celery: version,
      env: wireEnv(version, env),
    });
    try {
      const actions: ResultsRead[] = [];
      const prefix = version === '5.2' ? '' : backendKeyprefix('appx');
      const flag = version === '5.2' ? [] : ['--backend-keyprefix', 'appx'];
      const live = await subscribeResults(
        client(4, 'sub4'),
        (x) => x.type === 'results/read' && actions.push(x),
        Date.now,
        {
          keyprefix: prefix,
          verifyWith: client(4, 'verify4'),
        },
      );
      const id = await produce(redis.url(4), version, 'app.add', [5, 6], [], env);
      await waitFor(
        async () => (await client(4, 'get4').get(resultKey(id, prefix))) !== null,
        30_000,
        'prefixed meta',
      );
      if (prefix) expect(await client(4, 'raw4').exists(resultKey(id))).toBe(0);
      await waitFor(
        async () => actions.some((x) => x.metas.some((m) => m.taskId === id && m.status === 'SUCCESS')),
        10_000,
        'live',
      );
      await live.stop();
      const page = await createResultScanner(client(4, 'scan4'), { budget: 100, keyprefix: prefix }).next(
        Date.now(),
      );
      expect(page?.metas.map((m) => m.taskId)).toContain(id);

      const withPrefix = JSON.parse((await runQtop(['-b', redis.url(4), '--json', ...flag])).stdout);
      expect(withPrefix.tasks.rows.find((r: { id: string }) => r.id === id)).toMatchObject({
        state: 'SUCCESS',
      });
      if (prefix) {
        const without = JSON.parse((await runQtop(['-b', redis.url(4), '--json'])).stdout);
        expect(without.tasks.rows.find((r: { id: string }) => r.id === id)).toBeUndefined();
      }
    } finally {
      await worker.stop();
    }
  });
});
