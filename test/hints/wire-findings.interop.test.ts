import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { runQtop } from '../helpers/qtop-cli.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { schemaErrors } from '../helpers/schema.js';
import { celeryVersions } from '../helpers/shared-trees.js';

/**
 * A real worker on Celery's priority recipe sep (`broker_transport_options={'sep': ':'}`) and qtop on
 * the default sep: the worker's own binding members prove the mismatch, `--json` carries it in
 * `meta.wireChecks` and as a critical `sep-mismatch` finding naming `--sep`; with `--sep :` it is gone.
 */
describe.each(celeryVersions())('on Celery %s', (celery) => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await startCluster({
      celery,
      env: { QTOP_SEP: ':' },
      workers: [{ name: `sep${celery.replace('.', '')}`, queues: ['celery', 'high'] }],
    });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  async function json(args: string[]) {
    const run = await runQtop(['-b', cluster.brokerUrl, '--json', ...args]);
    const doc = JSON.parse(run.stdout);
    expect(schemaErrors(doc)).toEqual([]);
    return doc;
  }

  it("qtop on the default sep finds the workers' ':' and names --sep; with --sep ':' no finding", async () => {
    const wrong = await json([]);
    expect(wrong.meta.wireChecks.sepMismatch).toContain('start qtop with --sep ":"');
    const sep = wrong.hints.findings.filter((f: { kind: string }) => f.kind === 'sep-mismatch');
    expect(sep).toEqual([expect.objectContaining({ severity: 'critical' })]);
    expect(sep[0].fix).toContain('--sep');
    // With the wrong sep no binding decodes: qtop sees no queue at all, which is why it must say so.
    expect(wrong.queues).toEqual([]);

    const right = await json(['--sep', ':']);
    expect(right.meta.wireChecks).toMatchObject({ sepMismatch: null, fanoutPrefixMismatch: null });
    expect(right.hints.findings.map((f: { kind: string }) => f.kind)).not.toContain('sep-mismatch');
    expect(right.queues.map((q: { name: string }) => q.name)).toEqual(['celery', 'high']);
  }, 60_000);
});

/**
 * A kombu < 5.4 worker behind Sentinel listens on `/{db}.celery.pidbox` literally; no such worker
 * runs here, so a plain subscriber holds the channel name it would (as fanout-probe.interop does).
 * `qtop --json` probes once per inspect tick and says which flag to set.
 */
describe('fanout prefix', () => {
  let redis: RedisServer;
  let sub: Redis;

  beforeAll(async () => {
    redis = await startRedis();
    sub = new Redis(redis.url(0));
    await sub.subscribe('/{db}.celery.pidbox');
  });

  afterAll(async () => {
    sub?.disconnect();
    await redis?.stop();
  });

  it("workers on the literal '/{db}.' prefix: --json names --fanout-prefix-literal; with it, no finding", async () => {
    const run = await runQtop(['-b', redis.url(0), '--json']);
    const wrong = JSON.parse(run.stdout);
    expect(schemaErrors(wrong)).toEqual([]);
    expect(wrong.meta.wireChecks.fanoutPrefixMismatch).toContain('--fanout-prefix-literal');
    expect(wrong.hints.findings.map((f: { kind: string }) => f.kind)).toContain('fanout-prefix-mismatch');

    const right = JSON.parse(
      (await runQtop(['-b', redis.url(0), '--json', '--fanout-prefix-literal'])).stdout,
    );
    expect(right.meta.wireChecks.fanoutPrefixMismatch).toBeNull();
    expect(right.hints.findings.map((f: { kind: string }) => f.kind)).not.toContain('fanout-prefix-mismatch');
  }, 60_000);
});
