import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskEvent } from '../../src/celery/types.js';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { runQtop } from '../helpers/qtop-cli.js';
import { celeryVersions } from '../helpers/shared-trees.js';
import { waitFor } from '../helpers/wait-for.js';
import {
  collectEvents,
  control,
  type EventLog,
  expectNoLeftovers,
  meta,
  waitMeta,
} from './control-helpers.js';

// `qtop revoke` against a real Celery worker (5.2 and 5.6) with one pool process and prefetch 1, so
// a second task waits reserved while the first sleeps (wire doc 7.3, "What revoke does").
describe.each(celeryVersions())('on Celery %s', (celery) => {
  // Celery >= 5.6.2 stores REVOKED meta for every id it is told to revoke, at once, whether it
  // holds the task or not and even when the task already finished (celery/worker/control.py
  // `_revoke` -> `backend.mark_as_revoked`); 5.2 writes meta only when it discards the task.
  const storesRevokedAtOnce = celery === '5.6';
  let cluster: Cluster;
  let redis: Redis;
  let events: EventLog;

  beforeAll(async () => {
    cluster = await startCluster({
      celery,
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

  /** Wait until the worker lists `id` as revoked: its revoke handler (and 5.6's meta write) ran. */
  async function revokeHandled(id: string): Promise<void> {
    await waitFor(
      async () => (await runQtop(['-b', cluster.brokerUrl, 'inspect', 'revoked'])).stdout.includes(id),
      10_000,
      `${id} in inspect revoked`,
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
      // Long enough that the second task still waits after a slow producer and qtop start (loaded CI).
      const [busy] = await cluster.sendTasks('app.sleepy', [10]);
      await waitMeta(redis, busy!, 'STARTED');
      const [reserved] = await cluster.sendTasks('app.add', [1, 2]);
      // prefetch 1 with one process: the worker holds it in `unacked` while `busy` runs (wire doc 3.3).
      await waitFor(
        async () => (await redis.hlen('unacked')) === 1,
        10_000,
        'the second task to be reserved',
      );
      const { out } = await control(cluster.brokerUrl, ['revoke', reserved!]);
      expect(out.kind).toBe('done');
      expect((out.details.tasks as Record<string, string>)[reserved!]).toMatch(/^reserved on r1@/);
      const revoked = await waitMeta(redis, reserved!, 'REVOKED', 15_000);
      expect(revoked.result).toMatchObject({ exc_message: ['revoked'] });
      expect((await waitMeta(redis, busy!, 'SUCCESS')).result).toBe(10);
    });

    it('an id no worker holds is revoked with a warning that says what the workers did', async () => {
      const ghost = randomUUID();
      const { out, run } = await control(cluster.brokerUrl, ['revoke', ghost]);
      expect(run.code).toBe(0);
      expect(out.details.unknown).toEqual([ghost]);
      const text = await runQtop(['-b', cluster.brokerUrl, 'inspect', 'revoked']);
      expect(text.stdout).toContain(ghost);
      if (storesRevokedAtOnce) {
        expect(out.summary).toMatch(
          /warning: no worker holds \S+: the workers wrote REVOKED result meta for it at once/,
        );
        expect(out.details.metaWritten).toEqual({ [ghost]: 'REVOKED' });
        expect(await meta(redis, ghost)).toMatchObject({
          status: 'REVOKED',
          result: { exc_type: 'TaskRevokedError', exc_message: ['revoked'] },
        });
      } else {
        expect(out.summary).toMatch(
          /warning: no worker holds .* workers remember the revoke until they restart/,
        );
        expect(await meta(redis, ghost)).toBeNull();
      }
    });

    it('a finished task is refused (exit 2, nothing sent); --force keeps a SUCCESS as it is', async () => {
      const [id] = await cluster.sendTasks('app.add', [2, 2]);
      await waitMeta(redis, id!, 'SUCCESS');
      const refused = await control(cluster.brokerUrl, ['revoke', id!]);
      expect(refused.run.code).toBe(2);
      expect(refused.out.summary).toMatch(
        /^refused: already finished: \S+ \(SUCCESS\); nothing to revoke\. --force/,
      );
      expect(refused.out.details.finished).toEqual({ [id!]: 'SUCCESS' });
      expect((await runQtop(['-b', cluster.brokerUrl, 'inspect', 'revoked'])).stdout).not.toContain(id!);
      const { out, run } = await control(cluster.brokerUrl, ['revoke', id!, '--force']);
      expect(run.code).toBe(0);
      expect((out.details.tasks as Record<string, string>)[id!]).toBe('already finished: SUCCESS');
      expect(out.details.unknown).toEqual([]);
      await revokeHandled(id!);
      // 5.6 tried to store REVOKED, but the backend keeps a SUCCESS (backends/base.py _store_result).
      expect(await meta(redis, id!)).toMatchObject({ status: 'SUCCESS', result: 4 });
    });

    it('a failed task: refused unless --force; forced, 5.2 keeps the FAILURE and 5.6 loses it', async () => {
      // Issue 14, item 5: on 5.6 the traceback and the exception are gone for good.
      const [id] = await cluster.sendTasks('app.boom', [], { kwargs: { msg: 'keep me' } });
      const failed = await waitMeta(redis, id!, 'FAILURE');
      const refused = await control(cluster.brokerUrl, ['revoke', id!]);
      expect(refused.run.code).toBe(2);
      expect(refused.out.summary).toContain(
        'overwriting a FAILURE (its traceback and extended call are lost',
      );
      expect(await meta(redis, id!)).toEqual(failed);
      const { out } = await control(cluster.brokerUrl, ['revoke', id!, '--force']);
      expect((out.details.tasks as Record<string, string>)[id!]).toBe('already finished: FAILURE');
      await revokeHandled(id!);
      const after = await meta(redis, id!);
      if (storesRevokedAtOnce) {
        expect(out.summary).toContain(
          `the workers overwrote the result meta of ${id} (FAILURE) with REVOKED`,
        );
        expect(after).toMatchObject({
          status: 'REVOKED',
          traceback: null,
          result: { exc_message: ['revoked'] },
        });
        expect(JSON.stringify(after)).not.toContain('keep me');
      } else {
        expect(out.summary).not.toContain('overwrote');
        expect(after).toMatchObject({ status: 'FAILURE', result: { exc_message: ['keep me'] } });
      }
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
      const both = await runQtop(['-b', 'redis://127.0.0.1:1/0', 'revoke', 'x', '--terminate', '--force']);
      expect(both.code).toBe(2);
      expect(both.stderr).toContain('--force goes without --terminate');
      await expectNoLeftovers(redis);
    });
  });
});
