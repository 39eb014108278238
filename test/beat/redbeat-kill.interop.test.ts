import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Beat, startBeat } from '../helpers/celery-beat.js';
import { runQtop } from '../helpers/qtop-cli.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { celeryVersions, requireSharedSite } from '../helpers/shared-trees.js';
import { watchBeat } from './beat-harness.js';

// A RedBeat beat killed with SIGKILL cannot release its lock: it expires after
// redbeat_lock_timeout (10 s here), and qtop, sampling every second, says "beat is down" within
// 10 s plus one sample; `qtop check` then exits 2 (CRITICAL).
const site = requireSharedSite('redbeat');
if (!site) it('needs the RedBeat tree (not run)', () => expect(site).toBeNull());

const LOCK_TIMEOUT_SEC = 10;
const SAMPLE_MS = 1_000;

describe.each(site ? celeryVersions() : [])('RedBeat killed on Celery %s', (celery) => {
  let server: RedisServer;
  let redis: Redis;
  let beat: Beat;

  beforeAll(async () => {
    server = await startRedis();
    redis = new Redis(server.url(0));
    beat = await startBeat({
      brokerUrl: server.url(0),
      celery,
      scheduler: 'redbeat',
      lockTimeoutSec: LOCK_TIMEOUT_SEC,
    });
  });

  afterAll(async () => {
    await beat?.stop();
    redis?.disconnect();
    await server?.stop();
  });

  it('SIGKILL: beat is down within the lock timeout plus one sample, and check exits 2', async () => {
    const watch = watchBeat(redis);
    const before = await watch.sample();
    expect(before.lock?.held).toBe(true);
    expect(before.lock!.ttlSec).toBeLessThanOrEqual(LOCK_TIMEOUT_SEC);
    expect(watch.down()).toBeNull();
    beat.kill('SIGKILL');
    const killedAt = Date.now();
    await beat.exited;
    let samples = 0;
    while (watch.down() === null && Date.now() - killedAt < (LOCK_TIMEOUT_SEC + 5) * 1000) {
      await new Promise((r) => setTimeout(r, SAMPLE_MS));
      await watch.sample();
      samples += 1;
    }
    const tookMs = Date.now() - killedAt;
    console.log(`Celery ${celery}: beat-down ${tookMs} ms after SIGKILL, ${samples} samples`);
    expect(watch.down()).toMatchObject({ kind: 'beat-down', severity: 'critical' });
    // The lock was still there right after the kill: only its expiry can tell qtop.
    expect(samples).toBeGreaterThan(1);
    expect(tookMs).toBeLessThanOrEqual(LOCK_TIMEOUT_SEC * 1000 + SAMPLE_MS + 500);

    const check = await runQtop(
      ['check', '-b', server.url(0), '--window', '1500ms', '--on-no-consumer', 'ok'],
      {},
      40_000,
    );
    expect(check.stdout).toMatch(
      /^QTOP CRITICAL - no beat is running: the RedBeat lock redbeat::lock is gone/,
    );
    expect(check.code).toBe(2);
  });
});
