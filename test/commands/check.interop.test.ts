import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckDocument } from '../../commands/check/run.js';
import { type Cluster, startCluster, startWorker, type Worker } from '../helpers/celery-worker.js';
import { runQtop } from '../helpers/qtop-cli.js';
import { waitFor } from '../helpers/wait-for.js';

// `qtop check` as Nagios runs it, against real Celery 5.2: w1 (-E, 2 slots) consumes `celery`;
// nobody consumes `parked`, where 5 messages wait. Each threshold gets its exit code; the lost
// worker comes last because it makes every later check CRITICAL by default.
let cluster: Cluster;
let redis: Redis;
const env = { QTOP_RESULT_EXTENDED: '1' };

beforeAll(async () => {
  cluster = await startCluster({
    workers: [{ name: 'w1', events: true, concurrency: 2, queues: ['celery'] }],
    env,
  });
  redis = new Redis(cluster.brokerUrl);
  await cluster.sendTasks('app.add', [1, 1], { queue: 'parked', count: 5 });
  await cluster.sendTasks('app.boom', [], { count: 3 });
  await cluster.sendTasks('app.add', [2, 2], { count: 3 });
  await waitFor(async () => (await redis.keys('celery-task-meta-*')).length === 6, 20_000, 'six results');
});

afterAll(async () => {
  redis?.disconnect();
  await cluster?.stop();
});

/** `qtop check -b BROKER args…`, with the status line split into its parts. */
async function check(...args: string[]) {
  const run = await runQtop(['check', '-b', cluster.brokerUrl, '--window', '2500ms', ...args], {}, 40_000);
  const [status, perf = ''] = run.stdout.trimEnd().split(' | ');
  return { ...run, status: status!, perf: perf.split(' ') };
}

describe('qtop check (Nagios plugin output)', () => {
  it('OK (0) when nothing is reached; perfdata for every queue and worker', async () => {
    const run = await check('--on-no-consumer', 'ok');
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n')).toHaveLength(2); // one line and its newline
    expect(run.status).toMatch(/^QTOP OK - 2 queue\(s\), backlog 5, 1 worker\(s\) up$/);
    expect(run.code).toBe(0);
    expect(run.perf).toContain("'backlog_parked'=5;;;0;");
    expect(run.perf).toContain("'consumers_celery'=1;;;0;");
    expect(run.perf).toContain("'workers_up'=1;;;0;");
    expect(run.perf).toContain("'workers_lost'=0;;1;0;");
  });

  it('backlog: WARNING (1) and CRITICAL (2), with per-queue overrides', async () => {
    const warn = await check('--on-no-consumer', 'ok', '--warn-backlog', '3', '--crit-backlog', '10');
    expect(warn.status).toBe('QTOP WARNING - parked backlog 5 (>= 3)');
    expect(warn.code).toBe(1);
    expect(warn.perf).toContain("'backlog_parked'=5;3;10;0;");
    const crit = await check('--on-no-consumer', 'ok', '--warn-backlog', '3', '--queue-backlog', 'parked=:5');
    expect(crit.status).toBe('QTOP CRITICAL - parked backlog 5 (>= 5)');
    expect(crit.code).toBe(2);
  });

  it('no consumer: CRITICAL (2) by default, WARNING when asked', async () => {
    const run = await check();
    expect(run.status).toMatch(
      /^QTOP CRITICAL - parked: 5 messages waiting and no worker consumes the queue/,
    );
    expect(run.code).toBe(2);
    const warn = await check('--on-no-consumer', 'warning');
    expect(warn.code).toBe(1);
  });

  it('oldest message age: WARNING (1) once the messages have waited the check window', async () => {
    const run = await check('--on-no-consumer', 'ok', '--warn-age', '1s', '--crit-age', '1h');
    expect(run.status).toMatch(/^QTOP WARNING - parked oldest message \ds \(>= 1\)$/);
    expect(run.code).toBe(1);
    expect(run.perf.find((p) => p.startsWith("'age_parked'="))).toMatch(/^'age_parked'=\ds;1;3600;0;$/);
  });

  it('failure rate per task name: CRITICAL (2) for app.boom, read from the result backend', async () => {
    const run = await check(
      '--on-no-consumer',
      'ok',
      '--warn-failure-rate',
      '0.1',
      '--crit-failure-rate',
      '0.5',
      '--min-finished',
      '3',
    );
    expect(run.status).toBe('QTOP CRITICAL - app.boom failure rate 1 (3/3) (>= 0.5)');
    expect(run.code).toBe(2);
    expect(run.perf).toContain("'failure_rate_app.add'=0;0.1;0.5;0;1");
    const few = await check('--on-no-consumer', 'ok', '--crit-failure-rate', '0.5', '--min-finished', '4');
    expect(few.code).toBe(0);
  });

  it('slots needed: WARNING (1) while a backlog of slow tasks outgrows two slots', async () => {
    await cluster.sendTasks('app.sleepy', [0.4], { count: 40 });
    const run = await check(
      '--on-no-consumer',
      'ok',
      '--window',
      '6s',
      '--target',
      '2s',
      '--warn-slots',
      '1',
    );
    expect(run.status).toMatch(/^QTOP WARNING - celery needs \d+ more slot\(s\) \(>= 1\)$/);
    expect(run.code).toBe(1);
    expect(run.perf.some((p) => /^'slots_needed_celery'=\d+;1;;0;$/.test(p))).toBe(true);
    await waitFor(
      async () => (await redis.llen('celery')) === 0 && (await redis.hlen('unacked')) === 0,
      30_000,
      'sleepy drained',
    );
  });

  it('--json carries the status, problems and perfdata', async () => {
    const run = await check('--json', '--warn-backlog', '1');
    const doc = JSON.parse(run.stdout) as CheckDocument;
    expect(doc.check).toMatchObject({ status: 'critical', exitCode: 2 });
    expect(doc.check.problems.map((p) => `${p.level}:${p.check}:${p.subject}`)).toEqual([
      'critical:no-consumer:parked',
      'warning:backlog:parked',
    ]);
    expect(run.code).toBe(2);
  });

  it('UNKNOWN (3) when Redis cannot be reached, or an argument is bad', async () => {
    const down = await runQtop(['check', '-b', 'redis://127.0.0.1:1/0', '--timeout', '1']);
    expect(down.stdout).toMatch(
      /^QTOP UNKNOWN - cannot reach Redis at redis:\/\/127\.0\.0\.1:1\/0: connection refused/,
    );
    expect(down.code).toBe(3);
    const bad = await runQtop(['check', '--warn-age', 'soon']);
    expect(bad.stdout).toBe("QTOP UNKNOWN - --warn-age expected a duration like 30s, 5m or 1h, got 'soon'\n");
    expect(bad.code).toBe(3);
  });

  it('lost worker: CRITICAL (2) by default once a worker is SIGKILLed', async () => {
    let w2: Worker | undefined = await startWorker({
      name: 'w2',
      brokerUrl: cluster.brokerUrl,
      queues: ['other'],
      env,
    });
    try {
      w2.kill('SIGKILL');
      await w2.exited;
      const run = await check('--on-no-consumer', 'ok', '--window', '3s');
      expect(run.status).toMatch(/^QTOP CRITICAL - 1 lost worker\(s\): w2@\S+ \(>= 1\)$/);
      expect(run.code).toBe(2);
      expect(run.perf).toContain("'workers_lost'=1;;1;0;");
      const relaxed = await check('--on-no-consumer', 'ok', '--warn-lost', '1', '--crit-lost', '2');
      expect(relaxed.code).toBe(1);
    } finally {
      await w2?.stop();
      w2 = undefined;
    }
  });
});
