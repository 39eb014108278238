import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskEvent } from '../../src/celery/types.js';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { runQtop } from '../helpers/qtop-cli.js';
import { waitFor } from '../helpers/wait-for.js';
import {
  collectEvents,
  control,
  type EventLog,
  expectNoLeftovers,
  meta,
  waitMeta,
} from './control-helpers.js';

// `qtop revoke` against a real Celery 5.2 worker with one pool process and prefetch 1, so a second
// task waits reserved while the first sleeps (wire doc 7.3, "What revoke does").
let cluster: Cluster;
let redis: Redis;
let events: EventLog;

beforeAll(async () => {
  cluster = await startCluster({
    workers: [{ name: 'r1', events: true, concurrency: 1, prefetchMultiplier: 1 }],
  });
  redis = new Redis(cluster.brokerUrl);
  events = await collectEvents(cluster.brokerUrl);
});

afterAll(async () => {
  events?.close();
  redis?.disconnect();
  await cluster?.stop();
});

function revokedEvent(id: string): TaskEvent | undefined {
  return events.events.find(
    (e): e is TaskEvent => e.type === 'task-revoked' && e.kind === 'task' && e.uuid === id,
  );
}

describe('qtop revoke', () => {
  it('--terminate stops a sleeping task within seconds: REVOKED "terminated" and a task-revoked event', async () => {
    const [id] = await cluster.sendTasks('app.sleepy', [60]);
    await waitMeta(redis, id!, 'STARTED');
    const started = Date.now();
    const { out, run } = await control(cluster.brokerUrl, ['revoke', id!, '--terminate']);
    expect(run.code).toBe(0);
    expect(out).toMatchObject({ ok: true, kind: 'done' });
    expect(out.replies).toEqual([expect.objectContaining({ status: 'ok', message: `terminate: ${id}` })]);
    expect((out.details.tasks as Record<string, string>)[id!]).toMatch(/^active on r1@/);
    const revoked = await waitMeta(redis, id!, 'REVOKED', 5_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(revoked.result).toMatchObject({ exc_type: 'TaskRevokedError', exc_message: ['terminated'] });
    await waitFor(() => revokedEvent(id!) !== undefined, 5_000, 'task-revoked event');
    expect(revokedEvent(id!)).toMatchObject({ terminated: true, signum: 15 });
    await expectNoLeftovers(redis);
  });

  it('--signal KILL kills the process (signum 9); global options also work after the subcommand', async () => {
    const [id] = await cluster.sendTasks('app.sleepy', [60]);
    await waitMeta(redis, id!, 'STARTED');
    const run = await runQtop(['revoke', id!, '--terminate', '--signal', 'KILL', '-b', cluster.brokerUrl]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/revoked and terminated \(SIGKILL\) 1 task on 1 workers/);
    await waitFor(() => revokedEvent(id!) !== undefined, 10_000, 'task-revoked event');
    expect(revokedEvent(id!)).toMatchObject({ terminated: true, signum: 9 });
  });

  it('revokes a reserved task: it is discarded when its turn comes (REVOKED "revoked")', async () => {
    const [busy] = await cluster.sendTasks('app.sleepy', [3]);
    await waitMeta(redis, busy!, 'STARTED');
    const [reserved] = await cluster.sendTasks('app.add', [1, 2]);
    // prefetch 1 with one process: the worker holds it in `unacked` while `busy` runs (wire doc 3.3).
    await waitFor(async () => (await redis.hlen('unacked')) === 1, 10_000, 'the second task to be reserved');
    const { out } = await control(cluster.brokerUrl, ['revoke', reserved!]);
    expect(out.kind).toBe('done');
    expect((out.details.tasks as Record<string, string>)[reserved!]).toMatch(/^reserved on r1@/);
    const revoked = await waitMeta(redis, reserved!, 'REVOKED', 15_000);
    expect(revoked.result).toMatchObject({ exc_message: ['revoked'] });
    expect((await waitMeta(redis, busy!, 'SUCCESS')).result).toBe(3);
  });

  it('an id no worker holds is revoked with a warning, not a silent success', async () => {
    const ghost = randomUUID();
    const { out, run } = await control(cluster.brokerUrl, ['revoke', ghost]);
    expect(run.code).toBe(0);
    expect(out.details.unknown).toEqual([ghost]);
    expect(out.summary).toMatch(/warning: no worker holds .* workers remember the revoke until they restart/);
    const text = await runQtop(['-b', cluster.brokerUrl, 'inspect', 'revoked']);
    expect(text.stdout).toContain(ghost);
    expect(await meta(redis, ghost)).toBeNull();
  });

  it('a finished task is reported as such', async () => {
    const [id] = await cluster.sendTasks('app.add', [2, 2]);
    await waitMeta(redis, id!, 'SUCCESS');
    const { out } = await control(cluster.brokerUrl, ['revoke', id!]);
    expect((out.details.tasks as Record<string, string>)[id!]).toBe('already finished: SUCCESS');
    expect(out.details.unknown).toEqual([]);
  });

  it('bad arguments are refused before connecting (exit 2)', async () => {
    const run = await runQtop(['-b', 'redis://127.0.0.1:1/0', 'revoke', 'x', '--signal', 'KILL']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--signal goes with --terminate');
    const bad = await runQtop([
      '-b',
      'redis://127.0.0.1:1/0',
      'revoke',
      'x',
      '--terminate',
      '--signal',
      'HUP',
    ]);
    expect(bad.code).toBe(2);
    await expectNoLeftovers(redis);
  });
});
