import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringifyExact } from '../../src/celery/json-exact.js';
import { wireOptions } from '../../src/celery/options.js';
import { encodePidboxRequest } from '../../src/celery/pidbox-encode.js';
import { decodeResultMeta } from '../../src/celery/result-meta.js';
import { revokeByStampRequest } from '../../src/celery/stamps.js';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { runQtop } from '../helpers/qtop-cli.js';
import { schemaErrors } from '../helpers/schema.js';
import { celeryVersions } from '../helpers/shared-trees.js';
import { waitFor } from '../helpers/wait-for.js';
import { produce, wireEnv } from '../helpers/wire-reads.js';

/**
 * What Python producers and workers really write, read back through `qtop --json`: compressed task
 * messages (headers plain, body zlib/gzip/brotli decoded, bzip2 named), Python's NaN/Infinity in
 * args and in result meta, integers past 2^53, and (Celery >= 5.3) canvas stamps.
 */
const BIG = 123456789012345678901n;

interface Peek {
  id: string | null;
  name: string | null;
  args: unknown[] | null;
  argsRepr: string | null;
  note: string | null;
  stamps: Record<string, unknown> | null;
}

describe.each(celeryVersions())('Celery %s: wire reads', (version) => {
  let cluster: Cluster;
  let redis: Redis;

  beforeAll(async () => {
    cluster = await startCluster({
      workers: [
        { name: `wr${version.replace('.', '')}`, concurrency: 1, celery: version, env: wireEnv(version) },
      ],
    });
    redis = new Redis(cluster.brokerUrl);
  });

  afterAll(async () => {
    redis?.disconnect();
    await cluster?.stop();
  });

  async function snapshot() {
    const run = await runQtop(['-b', cluster.brokerUrl, '--json', '--peek', '20']);
    expect(run.stderr).toBe('');
    const doc = JSON.parse(run.stdout);
    expect(schemaErrors(doc)).toEqual([]);
    return { doc, text: run.stdout };
  }

  it('compressed messages: id, name and reprs always; args for zlib, gzip and brotli only', async () => {
    const ids: Record<string, string> = {};
    for (const method of ['zlib', 'gzip', 'brotli', 'bzip2']) {
      ids[method] = await produce(
        cluster.brokerUrl,
        version,
        'app.add',
        [2, 3],
        ['--queue', 'parked', '--compression', method],
      );
    }
    const { doc } = await snapshot();
    const parked = doc.queues.find((q: { name: string }) => q.name === 'parked');
    expect(parked.total).toBe(4);
    const byId = new Map<string, Peek>(parked.peek.map((p: Peek) => [p.id, p]));
    for (const [method, id] of Object.entries(ids)) {
      const peek = byId.get(id);
      expect(peek, method).toMatchObject({ id, name: 'app.add', argsRepr: '[2, 3]' });
      if (method === 'bzip2') {
        expect(peek?.args).toBeNull();
        expect(peek?.note).toBe('compressed with bzip2, not decoded');
      } else {
        expect(peek?.args, method).toEqual([2, 3]);
        expect(peek?.note).toMatch(/-compressed body, decoded for display$/);
      }
    }
  });

  it('NaN, Infinity and an integer past 2^53: in a queued message and in the result meta', async () => {
    const args = `[${BIG}]`;
    const parked = await produce(cluster.brokerUrl, version, 'app.echo', args, [
      '--queue',
      'parked',
      '--nan',
    ]);
    const ran = await produce(cluster.brokerUrl, version, 'app.echo', args, ['--nan']);
    let raw: string | null = null;
    await waitFor(
      async () => {
        raw = await redis.get(`celery-task-meta-${ran}`);
        return raw?.includes('SUCCESS') ?? false;
      },
      30_000,
      'echo result',
    );
    expect(() => JSON.parse(raw!)).toThrow(); // what made the meta unreadable before
    const meta = decodeResultMeta(raw!);
    expect(meta.ok).toBe(true);
    if (meta.ok) expect(stringifyExact(meta.value.result)).toBe(`{"args":[${BIG},NaN,Infinity],"kwargs":{}}`);

    const { doc, text } = await snapshot();
    const peek = doc.queues
      .find((q: { name: string }) => q.name === 'parked')
      .peek.find((p: Peek) => p.id === parked);
    expect(peek.args).toEqual([expect.any(Number), 'NaN', 'Infinity']);
    expect(text).toContain(`"args":[${BIG},"NaN","Infinity"]`); // exact digits in --json
    const row = doc.tasks.rows.find((r: { id: string }) => r.id === ran);
    expect(row).toMatchObject({ state: 'SUCCESS' });
    expect(row.argsPreview).toContain(String(BIG));
    expect(doc.meta.counters.resultsMalformed).toBe(0);
  });

  // Celery 5.2 has no stamping (it ignores stamped_headers): qtop must show none, not invent them.
  it('stamps (Celery >= 5.3): in peeks, rows and the extended result meta', async () => {
    const stamped = (value: string) => (version === '5.2' ? null : { monitoring_id: value });
    const queued = await produce(
      cluster.brokerUrl,
      version,
      'app.add',
      [1, 1],
      ['--queue', 'parked', '--stamp', 'monitoring_id=mon-1'],
    );
    const ran = await produce(
      cluster.brokerUrl,
      version,
      'app.add',
      [1, 2],
      ['--stamp', 'monitoring_id=mon-2'],
    );
    await waitFor(
      async () => (await redis.get(`celery-task-meta-${ran}`))?.includes('SUCCESS') ?? false,
      30_000,
      'add',
    );
    const { doc } = await snapshot();
    const peek = doc.queues
      .find((q: { name: string }) => q.name === 'parked')
      .peek.find((p: Peek) => p.id === queued);
    expect(peek.stamps).toEqual(stamped('mon-1'));
    const rows = new Map(doc.tasks.rows.map((r: { id: string; stamps: unknown }) => [r.id, r.stamps]));
    expect(rows.get(queued)).toEqual(stamped('mon-1'));
    // Only the result meta knows this one (it ran before qtop looked): stamps from result_extended.
    expect(rows.get(ran)).toEqual(stamped('mon-2'));
  });

  // Celery 5.2 has no revoke_by_stamped_headers: the cast is ignored and the task runs.
  it('revoke by stamp: a worker skips every task carrying the stamp (5.3+)', async () => {
    const request = encodePidboxRequest(
      revokeByStampRequest([{ key: 'batch', value: 'b-9' }]),
      wireOptions(),
      1,
      0,
    );
    await redis.publish(request.channel, request.raw);
    await new Promise((resolve) => setTimeout(resolve, 500)); // the cast reaches the worker first
    const id = await produce(cluster.brokerUrl, version, 'app.add', [2, 2], ['--stamp', 'batch=b-9']);
    let status = '';
    await waitFor(
      async () => {
        status = JSON.parse((await redis.get(`celery-task-meta-${id}`)) ?? '{}').status ?? '';
        return status === 'REVOKED' || status === 'SUCCESS';
      },
      30_000,
      'stamped task outcome',
    );
    expect(status).toBe(version === '5.2' ? 'SUCCESS' : 'REVOKED');
  });
});
