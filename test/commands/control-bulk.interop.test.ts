import fs from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskEvent } from '../../src/celery/types.js';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { runQtop, spawnQtop } from '../helpers/qtop-cli.js';
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

// Bulk actions on a filter against real workers (5.2 and 5.6): `qtop revoke --filter` reaches every
// waiting message of a name (queue scan) and the one a worker prefetched (unacked), and only those;
// `qtop retry --filter` re-runs each failed task once, from result_extended meta.
const validatePlan = new Ajv2020({ strict: true }).compile(
  JSON.parse(fs.readFileSync('schema/bulk-plan.schema.json', 'utf8')),
);

describe.each(celeryVersions())('on Celery %s', (celery) => {
  let cluster: Cluster;
  let redis: Redis;
  let events: EventLog;

  beforeAll(async () => {
    cluster = await startCluster({
      celery,
      env: { QTOP_RESULT_EXTENDED: '1' },
      workers: [{ name: 'b1', events: true, concurrency: 1, prefetchMultiplier: 1 }],
    });
    redis = new Redis(cluster.brokerUrl);
    events = await collectEvents(cluster.brokerUrl);
  });

  afterAll(async () => {
    events?.close();
    redis?.disconnect();
    await cluster?.stop();
  });

  const revokedEvents = (ids: Set<string>) =>
    events.events.filter(
      (e): e is TaskEvent => e.kind === 'task' && e.type === 'task-revoked' && ids.has(e.uuid),
    );

  it('revokes exactly the 50 waiting tasks the filter matches; the others still run', async () => {
    const [busy] = await cluster.sendTasks('app.sleepy', [40]);
    await waitMeta(redis, busy!, 'STARTED');
    const targets = await cluster.sendTasks('app.echo', ['bulk'], { count: 50 });
    const others = await cluster.sendTasks('app.add', [2, 3], { count: 3 });
    // The worker prefetched the first echo (unacked): it must be found too.
    await waitFor(async () => (await redis.hlen('unacked')) === 1, 10_000, 'one task reserved');

    const dry = await runQtop(['-b', cluster.brokerUrl, 'revoke', '--filter', 'name:app.echo', '--dry-run']);
    expect(dry.code).toBe(0);
    const plan = JSON.parse(dry.stdout);
    expect(validatePlan(plan), JSON.stringify(validatePlan.errors)).toBe(true);
    expect(plan.count).toBe(50);
    expect(new Set(plan.tasks.map((t: { id: string }) => t.id))).toEqual(new Set(targets));
    expect(plan.tasks.filter((t: { state: string }) => t.state === 'RECEIVED')).toHaveLength(1);

    const unconfirmed = await control(cluster.brokerUrl, ['revoke', '--filter', 'name:app.echo']);
    expect(unconfirmed.run.code).toBe(2);
    expect(unconfirmed.out.summary).toContain('Revoke 50 tasks matching name:app.echo');
    expect(unconfirmed.out.summary).toContain('--confirm 50');
    const wrong = await control(cluster.brokerUrl, [
      'revoke',
      '--filter',
      'name:app.echo',
      '--confirm',
      '49',
    ]);
    expect(wrong.run.code).toBe(2);
    for (const id of targets) expect(await meta(redis, id)).toBeNull();

    const { out, run } = await control(cluster.brokerUrl, [
      'revoke',
      '--filter',
      'name:app.echo',
      '--confirm',
      '50',
    ]);
    expect(run.code).toBe(0);
    expect(out).toMatchObject({ ok: true, kind: 'done', command: 'bulk' });
    expect(out.summary).toBe('revoke 50 of 50 matching tasks');
    expect(out.details.log as unknown[]).toHaveLength(50);
    expect(run.stderr).toContain('qtop: revoke 50/50');

    // The workers discard every one of them when its turn comes; the other tasks still run. Measured:
    // a 5.2 worker with prefetch 1 discards about one revoked message per second, 5.6 at once.
    for (const id of others) expect((await waitMeta(redis, id, 'SUCCESS', 150_000)).result).toBe(5);
    for (const id of targets) expect((await waitMeta(redis, id, 'REVOKED', 60_000)).status).toBe('REVOKED');
    await waitFor(() => revokedEvents(new Set(targets)).length === 50, 15_000, '50 task-revoked events');
    expect((await waitMeta(redis, busy!, 'SUCCESS', 60_000)).result).toBe(40);
    await expectNoLeftovers(redis);
  }, 240_000);

  it('an interrupted bulk revoke reports what it did and what it did not', async () => {
    const worker = cluster.workers[0]!;
    const [busy] = await cluster.sendTasks('app.sleepy', [2]);
    await waitMeta(redis, busy!, 'STARTED');
    // A frozen worker answers no round, so each batch waits the whole --timeout: time to interrupt.
    // Frozen before the tasks are sent, so it runs none of them (under load a worker left running
    // ran ten before the freeze); a dry run still counts what is there.
    worker.kill('SIGSTOP');
    try {
      const targets = await cluster.sendTasks('app.echo', ['stop-me'], { count: 30 });
      const dry = await runQtop([
        '-b',
        cluster.brokerUrl,
        'revoke',
        '--filter',
        'name:app.echo args:stop-me',
        '--dry-run',
      ]);
      const n = JSON.parse(dry.stdout).count as number;
      expect(n).toBeGreaterThan(20);
      const qtop = spawnQtop([
        '-b',
        cluster.brokerUrl,
        '--timeout',
        '2',
        'revoke',
        '--filter',
        'name:app.echo args:stop-me',
        '--confirm',
        String(n),
        '--json',
      ]);
      await waitFor(
        () => qtop.stderr().includes(`qtop: revoke 10/${n}`),
        30_000,
        () => `the first batch (stderr: ${qtop.stderr().slice(-300)})`,
      );
      qtop.signal('SIGINT');
      const code = await qtop.exited;
      expect(code).toBe(130);
      const out = JSON.parse(qtop.lines.at(-1)!);
      expect(out.kind).toBe('interrupted');
      expect(out.summary).toMatch(
        new RegExp(`^interrupted: revoke 10 of ${n} matching tasks; not done: ${n - 10}`),
      );
      expect(out.details.done).toHaveLength(10);
      expect(out.details.notDone).toHaveLength(n - 10);
      for (const id of [...out.details.done, ...out.details.notDone]) expect(targets).toContain(id);
    } finally {
      worker.kill('SIGCONT');
    }
  }, 120_000);

  it('exits 6 when nothing matches and 2 for a bad filter, before writing anything', async () => {
    const none = await control(cluster.brokerUrl, [
      'revoke',
      '--filter',
      'name:app.nothing',
      '--confirm',
      '0',
    ]);
    expect(none.run.code).toBe(6);
    expect(none.out.summary).toContain('no task to revoke matches name:app.nothing');
    const bad = await runQtop(['-b', cluster.brokerUrl, 'revoke', '--filter', 'age:soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('filter: "age:soon" is not a comparison');
  });

  it('retries each failed task the filter matches exactly once', async () => {
    const failed = await cluster.sendTasks('app.boom', [], { count: 3, kwargs: { msg: 'bulk-retry' } });
    for (const id of failed) await waitMeta(redis, id, 'FAILURE');
    const query = 'name:app.boom exception:bulk-retry';
    const asked = await control(cluster.brokerUrl, ['retry', '--filter', query]);
    expect(asked.run.code).toBe(2);
    expect(asked.out.summary).toContain('--confirm 3');
    const { out, run } = await control(cluster.brokerUrl, ['retry', '--filter', query, '--confirm', '3']);
    expect(run.code).toBe(0);
    const done = out.details.done as string[];
    expect(new Set(done)).toEqual(new Set(failed));
    const log = out.details.log as { target: string; summary: string }[];
    const newIds = log.map((l) => /^retried as (\S+)$/.exec(l.summary)?.[1]);
    expect(newIds.every((id) => id !== undefined)).toBe(true);
    expect(new Set(newIds).size).toBe(3);
    // Each new task runs once (and fails again the same way); no more than one per original.
    for (const id of newIds) expect((await waitMeta(redis, id!, 'FAILURE', 30_000)).status).toBe('FAILURE');
    await waitFor(
      () =>
        events.events.filter(
          (e) => e.kind === 'task' && e.type === 'task-received' && newIds.includes((e as TaskEvent).uuid),
        ).length === 3,
      10_000,
      'three task-received events of the new ids',
    );
    const received = events.events.filter(
      (e) => e.kind === 'task' && e.type === 'task-received' && (e as TaskEvent).name === 'app.boom',
    );
    expect(received).toHaveLength(6);
  });

  it('edit and retry: runs the edited call (exact big ints) under a new id on the same queue', async () => {
    // app.add("x", 1) fails with a TypeError; edited to a big int it runs and adds exactly.
    const [bad] = await cluster.sendTasks('app.add', ['x', 1]);
    await waitMeta(redis, bad!, 'FAILURE');
    const refused = await runQtop(['-b', cluster.brokerUrl, 'retry', bad!, '--args', '{"x": 1}']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--args must be a JSON array');
    const { out, run } = await control(cluster.brokerUrl, [
      'retry',
      bad!,
      '--args',
      '[12345678901234567890, 1]',
    ]);
    expect(run.code).toBe(0);
    expect(out).toMatchObject({ ok: true, kind: 'done', command: 'retry edited' });
    const [link] = out.details.retried as { oldId: string; newId: string; queue: string; name: string }[];
    expect(link).toMatchObject({ oldId: bad, name: 'app.add', queue: 'celery' });
    expect(link!.newId).not.toBe(bad);
    await waitMeta(redis, link!.newId, 'SUCCESS', 30_000);
    // Read raw: JSON.parse would round the sum.
    const raw = await redis.get(`celery-task-meta-${link!.newId}`);
    expect(raw).toContain('"result": 12345678901234567891');
    // The original stays as it was: a failure, with its own call.
    expect((await meta(redis, bad!))?.status).toBe('FAILURE');

    // --kwargs alone keeps the args: app.boom raises with the edited message.
    const [boom] = await cluster.sendTasks('app.boom', [], { kwargs: { msg: 'before-edit' } });
    await waitMeta(redis, boom!, 'FAILURE');
    const edited = await control(cluster.brokerUrl, ['retry', boom!, '--kwargs', '{"msg": "after-edit"}']);
    expect(edited.run.code).toBe(0);
    const [boomLink] = edited.out.details.retried as { newId: string }[];
    const failed = await waitMeta(redis, boomLink!.newId, 'FAILURE', 30_000);
    expect(JSON.stringify(failed.result)).toContain('after-edit');
    expect(failed.kwargs).toEqual({ msg: 'after-edit' });
  }, 90_000);
});
