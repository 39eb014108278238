import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, KOMBU_SEP, startCluster } from '../helpers/celery-worker.js';
import { runQtop, spawnQtop } from '../helpers/qtop-cli.js';
import { celeryVersions } from '../helpers/shared-trees.js';
import { waitFor } from '../helpers/wait-for.js';
import { control, expectNoLeftovers, nodes } from './control-helpers.js';

// ping against two real workers, a stale pidbox member (a SIGKILLed worker stays listed, wire doc
// 3.1), and Ctrl-C in the middle of a round: the reply binding and lists must still go (7.2 step 6).
describe.each(celeryVersions())('on Celery %s', (celery) => {
  let cluster: Cluster;
  let redis: Redis;
  const GHOST = `${KOMBU_SEP}${KOMBU_SEP}ghost@nowhere.celery.pidbox`;

  beforeAll(async () => {
    cluster = await startCluster({
      celery,
      workers: [{ name: 'g1' }, { name: 'g2' }],
    });
    redis = new Redis(cluster.brokerUrl);
  });

  afterAll(async () => {
    redis?.disconnect();
    await cluster?.stop();
  });

  describe('qtop ping', () => {
    it('every worker answers pong; -w picks one; text output lists them', async () => {
      const all = await control(cluster.brokerUrl, ['ping']);
      expect(all.run.code).toBe(0);
      expect(nodes(all.out.replies).sort()).toEqual(cluster.workers.map((w) => w.hostname).sort());
      expect(all.out.replies.every((r) => r.message === 'pong')).toBe(true);
      const one = await control(cluster.brokerUrl, ['ping', '-w', 'g1']);
      expect(nodes(one.out.replies)).toEqual([cluster.workers[0]!.hostname]);
      const text = await runQtop(['-b', cluster.brokerUrl, 'ping']);
      expect(text.stdout).toMatch(
        /^pong from all workers \(2\)\n {2}g1@\S+ +ok +pong\n {2}g2@\S+ +ok +pong\n$/,
      );
      await expectNoLeftovers(redis);
    });

    it('a worker name that does not exist is not found (exit 6)', async () => {
      const { out, run } = await control(cluster.brokerUrl, ['ping', '-w', 'nosuch']);
      expect(run.code).toBe(6);
      expect(out.summary).toMatch(/^no worker named 'nosuch'; running workers: g1@\S+, g2@\S+$/);
    });

    it('a stale pidbox member that stays silent makes the outcome partial (exit 5)', async () => {
      await redis.sadd('_kombu.binding.celery.pidbox', GHOST);
      try {
        const { out, run } = await control(cluster.brokerUrl, ['--timeout', '1', 'ping']);
        expect(run.code).toBe(5);
        expect(out.kind).toBe('partial');
        expect(out.replies.find((r) => r.node === 'ghost@nowhere')).toEqual({
          node: 'ghost@nowhere',
          status: 'no-reply',
          message: 'no reply within 1.0 s',
        });
        expect(out.summary).toMatch(/did not reply \(ghost@nowhere\)/);
      } finally {
        await redis.srem('_kombu.binding.celery.pidbox', GHOST);
      }
    });

    it('Ctrl-C during a round exits 130 and leaves no reply binding or list behind', async () => {
      await redis.sadd('_kombu.binding.celery.pidbox', GHOST);
      try {
        const qtop = spawnQtop(['-b', cluster.brokerUrl, '--timeout', '20', 'ping']);
        // The round is under way once its reply binding is there; it then waits for the ghost.
        await waitFor(
          async () => (await redis.scard('_kombu.binding.reply.celery.pidbox')) === 1,
          10_000,
          'the round to start',
        );
        expect(await qtop.stop('SIGINT')).toBe(130);
        expect(qtop.stderr()).toContain('ping interrupted');
        await expectNoLeftovers(redis);
      } finally {
        await redis.srem('_kombu.binding.celery.pidbox', GHOST);
      }
    });

    it('is allowed in --read-only mode', async () => {
      const { run } = await control(cluster.brokerUrl, ['--read-only', 'ping']);
      expect(run.code).toBe(0);
    });
  });
});
