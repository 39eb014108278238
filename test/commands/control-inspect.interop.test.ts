import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { runQtop } from '../helpers/qtop-cli.js';
import { celeryVersions } from '../helpers/shared-trees.js';
import { control } from './control-helpers.js';

// `qtop inspect WHAT`: read-only rounds, reply values as Celery 5.2 and 5.6 send them (wire doc 7.3).
describe.each(celeryVersions())('on Celery %s', (celery) => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await startCluster({
      celery,
      workers: [{ name: 'i1', queues: ['celery', 'other'] }],
    });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  describe('qtop inspect', () => {
    it('returns each worker’s reply value in details.replies', async () => {
      const node = cluster.workers[0]!.hostname;
      const registered = await control(cluster.brokerUrl, ['inspect', 'registered']);
      expect(registered.run.code).toBe(0);
      expect((registered.out.details.replies as Record<string, string[]>)[node]).toContain('app.add');
      const queues = await control(cluster.brokerUrl, ['inspect', 'active_queues', '-w', 'i1']);
      const names = (queues.out.details.replies as Record<string, { name: string }[]>)[node]!.map(
        (q) => q.name,
      );
      expect(names.sort()).toEqual(['celery', 'other']);
      expect(queues.out.replies).toEqual([{ node, status: 'ok', message: '2 items' }]);
      for (const what of ['active', 'reserved', 'scheduled', 'revoked']) {
        const { out } = await control(cluster.brokerUrl, ['inspect', what]);
        expect(out.details.replies).toEqual({ [node]: [] });
      }
      const stats = await control(cluster.brokerUrl, ['inspect', 'stats']);
      expect((stats.out.details.replies as Record<string, { pid: number }>)[node]!.pid).toBe(
        cluster.workers[0]!.pid,
      );
    });

    it('prints text like celery inspect, also with --read-only', async () => {
      const run = await runQtop(['--read-only', '-b', cluster.brokerUrl, 'inspect', 'ping']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        /^ping from 1 worker\n {2}i1@\S+ +ok +pong\n-> i1@\S+:\n {3}\{\n {5}"ok": "pong"\n {3}\}\n$/,
      );
    });

    it('an unknown WHAT is a usage error (exit 2)', async () => {
      const run = await runQtop(['-b', cluster.brokerUrl, 'inspect', 'everything']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("command-argument value 'everything' is invalid for argument 'what'");
    });
  });
});
