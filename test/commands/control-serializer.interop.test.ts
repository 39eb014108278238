import { execFileSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { celeryVersions } from '../helpers/shared-trees.js';
import { waitFor } from '../helpers/wait-for.js';
import { control, expectNoLeftovers } from './control-helpers.js';

// Celery's mailbox replies in task_serializer (celery/app/control.py): a pickle worker's replies are
// counted as replies, never as silence, and never unpickled. A worker whose accept_content lacks json
// refuses qtop's requests (it logs ContentDisallowed and sends nothing): ping names the setting.
// Pickle in accept_content makes Celery refuse to start as root unless C_FORCE_ROOT is set.
describe.each(celeryVersions())('on Celery %s', (celery) => {
  let cluster: Cluster;
  let redis: Redis;
  const pickle = { QTOP_TASK_SERIALIZER: 'pickle', C_FORCE_ROOT: '1' };

  beforeAll(async () => {
    cluster = await startCluster({
      celery,
      workers: [
        { name: 'pk', concurrency: 1, env: { ...pickle, QTOP_ACCEPT_CONTENT: 'pickle,json' } },
        { name: 'nj', pool: 'solo', env: { ...pickle, QTOP_ACCEPT_CONTENT: 'pickle' } },
      ],
    });
    redis = new Redis(cluster.brokerUrl);
  });

  afterAll(async () => {
    redis?.disconnect();
    await cluster?.stop();
  });

  it('a pickle reply to ping counts as a reply: "replied (pickle, not decoded)"', async () => {
    const { out, run } = await control(cluster.brokerUrl, ['--timeout', '2', 'ping', '-w', 'pk']);
    expect(run.code).toBe(0);
    expect(out.replies).toEqual([
      { node: cluster.workers[0]!.hostname, status: 'ok', message: 'replied (pickle, not decoded)' },
    ]);
    await expectNoLeftovers(redis);
  });

  it('pool grow answered in pickle is done (the pool grew once), not "no reply"', async () => {
    const children = () =>
      execFileSync('ps', ['-o', 'pid=', '--ppid', String(cluster.workers[0]!.pid)], { encoding: 'utf8' })
        .trim()
        .split('\n').length;
    expect(children()).toBe(1);
    const { out, run } = await control(cluster.brokerUrl, ['--timeout', '3', 'pool', 'pk', 'grow', '1']);
    expect(run.code).toBe(0);
    expect(out.kind).toBe('done');
    expect(out.replies.map((r) => r.message)).toEqual(['replied (pickle, not decoded)']);
    await waitFor(async () => children() === 2, 10_000, 'the pool to have 2 processes');
  });

  it('a worker refusing JSON: ping exits 5 and names accept_content', async () => {
    const refusing = cluster.workers[1]!.hostname;
    const { out, run } = await control(cluster.brokerUrl, ['--timeout', '1', 'ping']);
    expect(run.code).toBe(5);
    expect(out.replies.find((r) => r.node === refusing)?.status).toBe('no-reply');
    expect(out.replies.find((r) => r.node === refusing)?.message).toMatch(
      /add 'json' to the worker's accept_content/,
    );
    expect(out.summary).toContain(
      `${refusing} is alive but refuses qtop's JSON requests: add 'json' to accept_content`,
    );
    expect(out.replies.find((r) => r.node === cluster.workers[0]!.hostname)?.status).toBe('ok');
    await expectNoLeftovers(redis);
  });
});
