import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HintsDocument } from '../../commands/hints/run.js';
import type { Snapshot } from '../../src/snapshot/select-snapshot.js';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { runQtop } from '../helpers/qtop-cli.js';
import { schemaErrors } from '../helpers/schema.js';
import { waitFor } from '../helpers/wait-for.js';

// `qtop hints` as a user runs it, against real Celery 5.2: w1 (-E, 2 slots) consumes `celery`;
// nobody consumes `parked`; a countdown task waits in w1's memory (unacked) for a minute.
let cluster: Cluster;
let redis: Redis;

beforeAll(async () => {
  cluster = await startCluster({
    workers: [{ name: 'w1', events: true, concurrency: 2, queues: ['celery'] }],
  });
  redis = new Redis(cluster.brokerUrl);
  await cluster.sendTasks('app.add', [1, 1], { queue: 'parked', count: 3 });
  await cluster.sendTasks('app.add', [2, 2], { countdown: 60 });
  await waitFor(async () => (await redis.hlen('unacked')) === 1, 15_000, 'w1 to hold the countdown task');
});

afterAll(async () => {
  redis?.disconnect();
  await cluster?.stop();
});

describe('qtop hints', () => {
  it('--json prints a valid hints document: parked is stalled with no consumer, the countdown outlives a 5 s timeout', async () => {
    const run = await runQtop([
      'hints',
      '-b',
      cluster.brokerUrl,
      '--json',
      '--window',
      '3s',
      '--visibility-timeout',
      '5',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as HintsDocument;
    expect(schemaErrors(doc)).toEqual([]);
    expect(doc.meta.windowMs).toBeGreaterThanOrEqual(3_000);
    expect(doc.hints.options).toMatchObject({
      targetSec: 300,
      waitTargetSec: 30,
      visibilityTimeoutSec: 5,
      windowSec: 3,
    });
    const parked = doc.hints.queues.find((q) => q.queue === 'parked')!;
    expect(parked.forecast.text).toBe('stalled (no consumer)');
    expect(parked.backlog).toMatchObject({ ready: 3, total: 3 });
    const celery = doc.hints.queues.find((q) => q.queue === 'celery')!;
    expect(celery.backlog).toMatchObject({ ready: 0, reserved: 0, scheduled: 1 });
    expect(celery.slots).toMatchObject({ current: 2, shared: false });
    const kinds = doc.hints.findings.map((f) => `${f.kind}:${f.queue}`);
    expect(kinds).toContain('no-consumer:parked');
    expect(kinds).toContain('eta-beyond-visibility:celery');
    // A full minute of countdown is well inside kombu's default hour: no such finding then.
    const relaxed = await runQtop(['hints', '-b', cluster.brokerUrl, '--json', '--window', '2s']);
    const doc2 = JSON.parse(relaxed.stdout) as HintsDocument;
    expect(doc2.hints.findings.map((f) => f.kind)).not.toContain('eta-beyond-visibility');
  });

  it('prints a readable table and the findings', async () => {
    const run = await runQtop(['hints', '-b', cluster.brokerUrl, '--window', '2s', '--target', '1m']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^qtop hints: ~\d s of data, drain target 1m, wait target 30s, visibility_timeout 1h\n/,
    );
    expect(run.stdout).toMatch(/\nQUEUE\s+READY\s+RSVD/);
    expect(run.stdout).toMatch(/\nparked\s+3\s+0\s.*stalled \(no consumer\)/);
    expect(run.stdout).toContain(
      'CRITICAL no-consumer: parked: 3 messages waiting and no worker consumes the queue',
    );
  });

  it('the --json snapshot carries the same hints section', async () => {
    const run = await runQtop(['-b', cluster.brokerUrl, '--json']);
    const snapshot = JSON.parse(run.stdout) as Snapshot;
    expect(schemaErrors(snapshot)).toEqual([]);
    expect(snapshot.hints.findings.map((f) => f.kind)).toContain('no-consumer');
  });

  it('a broker it cannot reach: the error document and exit 3; a bad duration: exit 2', async () => {
    const down = await runQtop(['hints', '-b', 'redis://127.0.0.1:1/0', '--json', '--timeout', '1']);
    expect(down.code).toBe(3);
    expect(schemaErrors(JSON.parse(down.stdout))).toEqual([]);
    expect(down.stderr.trim().split('\n')).toHaveLength(1);
    const text = await runQtop(['hints', '-b', 'redis://127.0.0.1:1/0', '--timeout', '1']);
    expect(text.code).toBe(3);
    expect(text.stdout).toBe('');
    const bad = await runQtop(['hints', '--target', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("qtop: --target expected a duration like 30s, 5m or 1h, got 'soon'\n");
  });
});
