import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { celeryVersions } from '../helpers/shared-trees.js';
import { control, nodes } from './control-helpers.js';

// rate_limit / time_limit on two real workers (wire doc 7.3).
describe.each(celeryVersions())('on Celery %s', (celery) => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await startCluster({
      celery,
      workers: [{ name: 'l1' }, { name: 'l2' }],
    });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  describe('qtop rate-limit / time-limit', () => {
    it('sets a rate limit on every worker, or on one', async () => {
      const all = await control(cluster.brokerUrl, ['rate-limit', 'app.add', '10/m']);
      expect(all.run.code).toBe(0);
      expect(nodes(all.out.replies).sort()).toEqual(cluster.workers.map((w) => w.hostname).sort());
      expect(all.out.replies.every((r) => r.message === 'new rate limit set successfully')).toBe(true);
      const one = await control(cluster.brokerUrl, ['rate-limit', 'app.add', 'none', '-w', 'l2']);
      expect(one.out.replies).toEqual([
        { node: cluster.workers[1]!.hostname, status: 'ok', message: 'rate limit disabled successfully' },
      ]);
    });

    it("an unknown task name is 'not found' (every worker says unknown task; exit 6)", async () => {
      const { out, run } = await control(cluster.brokerUrl, ['rate-limit', 'app.nosuch', '1/s']);
      expect(run.code).toBe(6);
      expect(out.summary).toBe('unknown task (every worker said so)');
      expect(out.replies.map((r) => r.status)).toEqual(['error', 'error']);
    });

    it('a malformed rate is refused before sending (exit 2)', async () => {
      const { out, run } = await control(cluster.brokerUrl, ['rate-limit', 'app.add', 'fast']);
      expect(run.code).toBe(2);
      expect(out.summary).toContain("rate 'fast' is not like 10/m");
    });

    it('sets time limits; unknown task names are not found', async () => {
      const ok = await control(cluster.brokerUrl, ['time-limit', 'app.sleepy', '10', '20', '-w', 'l1']);
      expect(ok.run.code).toBe(0);
      expect(ok.out.replies[0]).toMatchObject({ status: 'ok', message: 'time limits set successfully' });
      const missing = await control(cluster.brokerUrl, ['time-limit', 'app.nosuch', 'none', '5']);
      expect(missing.run.code).toBe(6);
      const inverted = await control(cluster.brokerUrl, ['time-limit', 'app.sleepy', '30', '20']);
      expect(inverted.run.code).toBe(2);
    });
  });
});
