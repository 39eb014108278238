import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { runQtop } from '../helpers/qtop-cli.js';
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
