import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyLookup } from '../../commands/control/context.js';
import { createControls, openControls } from '../../commands/control/controls.js';
import { systemClock } from '../../src/base/clock.js';
import { wireOptions } from '../../src/celery/options.js';
import { readOnlyModeReason } from '../../src/control/controls.js';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { runQtop } from '../helpers/qtop-cli.js';
import { control, expectNoLeftovers } from './control-helpers.js';

// --read-only removes every write; a Redis user without write permission is detected and gets the
// same refusal with exit 4 (ACL NOPERM), before anything is sent.
let cluster: Cluster;
let redis: Redis;
let readOnlyUrl: string;

const WRITES: string[][] = [
  ['revoke', 'some-id'],
  ['revoke', 'some-id', '--terminate'],
  ['retry', 'some-id'],
  ['retry', '--failed', 'app.boom', '--confirm', 'app.boom'],
  ['purge', 'parked', '--confirm', 'parked'],
  ['pool', 'o1', 'grow', '1'],
  ['pool', 'o1', 'shrink', '1'],
  ['autoscale', 'o1', '2', '1'],
  ['rate-limit', 'app.add', '1/s'],
  ['time-limit', 'app.add', '1', '2'],
  ['consumer', 'add', 'parked'],
  ['consumer', 'cancel', 'celery'],
  ['queue', 'pause', 'celery'],
  ['queue', 'resume', 'celery', '-w', 'o1'],
  ['message', 'delete', 'parked', 'some-id'],
  ['message', 'move', 'parked', 'some-id', '--to', 'celery'],
  ['events', 'on'],
  ['events', 'off'],
  ['shutdown', 'o1', '--confirm', 'o1'],
];

beforeAll(async () => {
  cluster = await startCluster({ workers: [{ name: 'o1' }] });
  redis = new Redis(cluster.brokerUrl);
  // Reads, pub/sub and connection commands, no writes (what a monitoring user typically gets).
  await redis.call(
    'ACL',
    'SETUSER',
    'watcher',
    'on',
    '>watchpw',
    '~*',
    '&*',
    '+@read',
    '+@pubsub',
    '+@connection',
    '-@write',
  );
  readOnlyUrl = cluster.brokerUrl.replace('redis://', 'redis://watcher:watchpw@');
  await cluster.sendTasks('app.add', [1, 1], { queue: 'parked', count: 2 });
});

afterAll(async () => {
  redis?.disconnect();
  await cluster?.stop();
});

describe('read-only', () => {
  it('--read-only refuses every write subcommand with exit 2 and the reason, without connecting', async () => {
    for (const args of WRITES) {
      const { out, run } = await control('redis://127.0.0.1:1/0', ['--read-only', ...args]);
      expect({ args, code: run.code, kind: out.kind }).toEqual({ args, code: 2, kind: 'refused' });
      expect(out.summary).toContain('read-only mode');
    }
    const env = await runQtop(['-b', cluster.brokerUrl, 'purge', 'parked', '--confirm', 'parked'], {
      QTOP_READ_ONLY: '1',
    });
    expect(env.code).toBe(2);
    expect(await redis.llen('parked')).toBe(2);
  });

  it('a Redis user without write permission is detected: exit 4 with the reason, nothing written', async () => {
    for (const args of WRITES) {
      const { out, run } = await control(readOnlyUrl, args);
      expect({ args, code: run.code, kind: out.kind }).toEqual({ args, code: 4, kind: 'no-permission' });
      expect(out.summary).toMatch(
        /the Redis user has no write permission \(NOPERM.*\); qtop stays read-only/,
      );
    }
    expect(await redis.llen('parked')).toBe(2);
  });

  it('in a long-lived Controls (the TUI), the first NOPERM closes the write gate', async () => {
    const watcher = new Redis(readOnlyUrl);
    const controls = createControls({
      broker: watcher,
      backend: watcher,
      wire: wireOptions(),
      clock: systemClock,
      readOnly: false,
      lookup: emptyLookup,
      timeoutMs: 2_000,
    });
    try {
      expect(controls.canWrite).toBe(true);
      const purge = await controls.purgeQueue('parked');
      expect(purge.kind).toBe('no-permission');
      expect(controls.canWrite).toBe(false);
      expect(controls.readOnlyReason).toMatch(/^the Redis user has no write permission \(NOPERM/);
      const after = await controls.setEvents(true);
      expect(after).toMatchObject({ kind: 'no-permission', replies: [] });
      expect(await redis.llen('parked')).toBe(2);
    } finally {
      controls.close();
      watcher.disconnect();
    }
  });

  it('openControls probes first: such a user starts with canWrite false and the NOPERM reason', async () => {
    const watcher = new Redis(readOnlyUrl);
    const controls = await openControls({
      broker: watcher,
      backend: watcher,
      wire: wireOptions(),
      clock: systemClock,
      readOnly: false,
      lookup: emptyLookup,
      timeoutMs: 2_000,
    });
    try {
      expect(controls.canWrite).toBe(false);
      expect(controls.readOnlyReason).toContain("no permissions to run the 'srem' command");
      expect((await controls.revoke(['x'])).kind).toBe('no-permission');
    } finally {
      controls.close();
      watcher.disconnect();
    }
  });

  it('--read-only in a Controls: canWrite false with the reason; ping still works', async () => {
    const controls = createControls({
      broker: redis,
      backend: redis,
      wire: wireOptions(),
      clock: systemClock,
      readOnly: true,
      lookup: emptyLookup,
      timeoutMs: 2_000,
    });
    try {
      expect(controls.canWrite).toBe(false);
      expect(controls.readOnlyReason).toBe(readOnlyModeReason);
      expect((await controls.revoke(['x'])).kind).toBe('refused');
      expect((await controls.ping()).kind).toBe('done');
    } finally {
      controls.close();
    }
  });

  it('read-only rounds need the reply binding (an SADD): such a user gets NOPERM there too', async () => {
    const { out, run } = await control(readOnlyUrl, ['ping']);
    expect(run.code).toBe(4);
    expect(out.summary).toContain('NOPERM');
    await expectNoLeftovers(redis);
  });
});
