import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { celeryVersions } from '../helpers/shared-trees.js';
import { waitFor } from '../helpers/wait-for.js';
import { produce, wireEnv } from '../helpers/wire-reads.js';
import { control, expectNoLeftovers } from './control-helpers.js';

/**
 * `qtop revoke --stamped KEY=VALUE` against real workers. Stamped tasks wait behind a sleeping task
 * (one pool process, prefetch 1), are revoked by stamp while they wait, and the worker's own count
 * list (app.count appends its tag) proves which ran. The producer is Celery 5.6's whenever its tree
 * is here, so the 5.2 leg also gets messages that carry stamps (a mixed cluster mid-upgrade): 5.2
 * workers do not know the command, answer KeyError, and run the stamped tasks; qtop says so.
 */
const versions = celeryVersions();
const producer = versions.includes('5.6') ? '5.6' : '5.2';

describe.each(versions)('on Celery %s', (celery) => {
  const countList = `stamp-runs-${celery}`;
  const backendPrefix: Record<string, string> = celery === '5.6' ? { QTOP_BACKEND_KEYPREFIX: 'app' } : {};
  let cluster: Cluster;
  let redis: Redis;

  beforeAll(async () => {
    cluster = await startCluster({
      celery,
      workers: [
        {
          name: `st${celery.replace('.', '')}`,
          concurrency: 1,
          prefetchMultiplier: 1,
          events: true,
          env: wireEnv(celery, { QTOP_COUNT_LIST: countList, ...backendPrefix }),
        },
      ],
    });
    redis = new Redis(cluster.brokerUrl);
  });

  afterAll(async () => {
    redis?.disconnect();
    await cluster?.stop();
  });

  const send = (tag: string, flags: string[] = []) =>
    produce(cluster.brokerUrl, producer, 'app.count', [tag], flags, {
      QTOP_COUNT_LIST: countList,
      ...backendPrefix,
    });
  const sleepy = (secs: number) =>
    produce(cluster.brokerUrl, producer, 'app.sleepy', [secs], [], backendPrefix);
  /** The result status under the backend's key prefix (5.6 leg: `app_`), or null. */
  const status = async (id: string) => {
    const raw = await redis.get(`${celery === '5.6' ? 'app_' : ''}celery-task-meta-${id}`);
    return raw === null ? null : String(JSON.parse(raw).status);
  };
  const waitStatus = (id: string, want: string) =>
    waitFor(async () => (await status(id)) === want, 30_000, `${id} ${want}`);

  it('revokes every waiting task carrying the stamp; others run; 5.2 workers say they do not know it', async () => {
    const blocker = await sleepy(60);
    const stamped = [await send('s1', ['--stamp', 'batch=b-7']), await send('s2', ['--stamp', 'batch=b-7'])];
    await send('other', ['--stamp', 'batch=b-8']);
    // While the worker sleeps, the stamped ones wait: one prefetched, the rest in the queue list.
    expect(await redis.lrange(countList, 0, -1)).toEqual([]);
    const { out, run } = await control(cluster.brokerUrl, ['revoke', '--stamped', 'batch=b-7']);
    // Sent after the revoke: workers that know the stamp discard it too, unseen when revoked.
    stamped.push(await send('s3', ['--stamp', 'batch=b-7']));
    const plain = await send('plain');
    expect((await control(cluster.brokerUrl, ['revoke', blocker, '--terminate'])).run.code).toBe(0);
    await waitStatus(plain, 'SUCCESS');
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // a stray late run would show by now
    const ran = (await redis.lrange(countList, 0, -1)).sort();
    const [node] = cluster.workers.map((w) => w.hostname);
    if (celery === '5.6') {
      expect(run.code).toBe(0);
      expect(out).toMatchObject({ ok: true, kind: 'done', details: { stamps: { batch: 'b-7' } } });
      expect(out.summary).toContain('revoked every task stamped batch=b-7');
      expect(out.replies).toEqual([expect.objectContaining({ node, status: 'ok' })]);
      expect(out.replies[0]!.message).toContain('flagged as revoked');
      expect(ran).toEqual(['other', 'plain']);
      for (const id of stamped) expect(await status(id)).toBe('REVOKED');
    } else {
      expect(run.code).toBe(2);
      expect(out).toMatchObject({ ok: false, kind: 'refused', details: { unsupported: [node] } });
      expect(out.summary).toContain('revoke by stamp needs Celery >= 5.3 workers');
      expect(out.summary).toContain('nothing was revoked');
      expect(out.replies).toEqual([expect.objectContaining({ node, status: 'error' })]);
      expect(out.replies[0]!.message).toContain('revoke_by_stamped_headers');
      // The 5.2 worker ran them all, carrying the stamp or not (with the 5.6 producer they did).
      expect(ran).toEqual(['other', 'plain', 's1', 's2', 's3']);
      for (const id of stamped) expect(await status(id)).toBe('SUCCESS');
    }
    await expectNoLeftovers(redis);
  }, 90_000);

  // The result backend's own global_keyprefix (Celery >= 5.3; 5.2 has no such option): revoke and
  // retry read the meta under it, so a finished task is known as finished and a failure retried.
  if (celery === '5.6') {
    it('--backend-keyprefix: revoke sees the finished task, retry rebuilds the failure from its meta', async () => {
      const done = await send('fin');
      await waitStatus(done, 'SUCCESS');
      const flags = ['--backend-keyprefix', 'app'];
      const revoked = await control(cluster.brokerUrl, [...flags, 'revoke', done]);
      expect(revoked.run.code).toBe(2);
      expect(revoked.out.summary).toContain(`already finished: ${done} (SUCCESS)`);

      const failed = await produce(cluster.brokerUrl, producer, 'app.boom', ['prefixed'], [], backendPrefix);
      await waitStatus(failed, 'FAILURE');
      const retried = await control(cluster.brokerUrl, [...flags, 'retry', failed]);
      expect(retried.out).toMatchObject({ ok: true, kind: 'done' });
      const [link] = retried.out.details.retried as { oldId: string; newId: string; source: string }[];
      expect(link).toMatchObject({ oldId: failed, source: 'result-extended' });
      const newId = link!.newId;
      await waitStatus(newId, 'FAILURE');
      const raw = JSON.parse((await redis.get(`app_celery-task-meta-${newId}`))!);
      expect(raw.result).toMatchObject({ exc_type: 'ValueError', exc_message: ['prefixed'] });
      await expectNoLeftovers(redis);
    }, 90_000);
  }
});
