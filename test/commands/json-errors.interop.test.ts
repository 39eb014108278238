import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../commands/shared/local-redis.js';
import type { Snapshot } from '../../src/snapshot/select-snapshot.js';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { qtopBin, runQtop } from '../helpers/qtop-cli.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { schemaErrors } from '../helpers/schema.js';

async function runShell(script: string): Promise<string> {
  const { stdout } = await promisify(execFile)('bash', ['-c', script], { timeout: 15_000 });
  return stdout;
}

// Exit codes, error lines and kombu's global_keyprefix, each through the real executable.
describe('qtop --json: connection failures', () => {
  let secured: RedisServer;
  const password = 'pa ss:w/o@rd';

  beforeAll(async () => {
    secured = await startRedis({ password });
  });
  afterAll(async () => {
    await secured?.stop();
  });

  function expectErrorRun(stdout: string, stderr: string, code: string) {
    const value = JSON.parse(stdout) as { error: { code: string; message: string } };
    expect(schemaErrors(value)).toEqual([]);
    expect(value.error.code).toBe(code);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^qtop: /);
    return value.error.message;
  }

  it('an unreachable server: exit 3 and one line, quickly', async () => {
    const port = await freePort();
    const result = await runQtop(['-b', `redis://127.0.0.1:${port}/0`, '--json']);
    expect(result.code).toBe(3);
    expect(expectErrorRun(result.stdout, result.stderr, 'unreachable')).toContain('connection refused');
    // a bound on the whole process: nothing may keep it alive once the error is printed
    expect(result.ms).toBeLessThan(1_500);
  });

  it('a wrong password: exit 4, and no password (right or wrong) is ever printed', async () => {
    const url = `redis://:${encodeURIComponent('not-it')}@127.0.0.1:${secured.port}/0`;
    const result = await runQtop(['-b', url, '--json']);
    expect(result.code).toBe(4);
    expect(expectErrorRun(result.stdout, result.stderr, 'auth')).toContain('WRONGPASS');
    expect(result.stdout + result.stderr).not.toContain('not-it');
  });

  it('no password for a server that needs one: exit 4 with the fix', async () => {
    const result = await runQtop(['-b', `redis://127.0.0.1:${secured.port}/0`, '--json']);
    expect(result.code).toBe(4);
    expect(expectErrorRun(result.stdout, result.stderr, 'auth')).toContain('NOAUTH');
  });

  it('the right password from CELERY_BROKER_URL: a snapshot with the password masked', async () => {
    const result = await runQtop(['--json'], { CELERY_BROKER_URL: secured.url(0) });
    expect(result.code).toBe(0);
    const snap = JSON.parse(result.stdout) as Snapshot;
    expect(schemaErrors(snap)).toEqual([]);
    expect(snap.meta.broker).toBe(`redis://:***@127.0.0.1:${secured.port}/0`);
    expect(result.stdout).not.toContain('pa ss');
    expect(result.stdout).not.toContain(encodeURIComponent(password));
  });

  it('a database that does not exist: exit 3', async () => {
    const result = await runQtop(['-b', `${secured.url(0).slice(0, -2)}/99`, '--json']);
    expect(result.code).toBe(3);
    expect(expectErrorRun(result.stdout, result.stderr, 'bad-db')).toContain('database 99');
  });

  it('a reader that goes away (| head -1) ends --watch quietly with exit 0 and no leftovers', async () => {
    const result = await runShell(
      `node ${JSON.stringify(qtopBin)} -b '${secured.url(0)}' --json --watch --interval 0.2 | head -c 20; echo " rc=\${PIPESTATUS[0]}"`,
    );
    expect(result).toMatch(/^\{"schema":"qtop\/1",".* rc=0\n$/s);
    const redis = new Redis(secured.url(0));
    try {
      expect(await redis.keys('*')).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });

  it('usage errors: exit 2 with one line', async () => {
    const bad = await runQtop(['-b', 'http://example', '--json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^qtop: invalid broker URL http:\/\/example: unsupported scheme/);
    const noTty = await runQtop([]);
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toContain('use qtop --json');
  });
});

describe('qtop --json with global_keyprefix', () => {
  let cluster: Cluster;
  const env = { QTOP_GLOBAL_KEYPREFIX: 'pfx:' };

  beforeAll(async () => {
    cluster = await startCluster({ db: 2, env, workers: [{ name: 'wp', concurrency: 1, events: true }] });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('finds prefixed queues and workers only when told the prefix', async () => {
    await cluster.sendTasks('app.add', [1, 2], { queue: 'parked', count: 3 });
    const redis = new Redis(cluster.brokerUrl);
    try {
      expect(await redis.llen('pfx:parked')).toBe(3);
    } finally {
      redis.disconnect();
    }
    const withPrefix = await runQtop(['-b', cluster.brokerUrl, '--keyprefix', 'pfx:', '--json']);
    expect(withPrefix.code).toBe(0);
    const snap = JSON.parse(withPrefix.stdout) as Snapshot;
    expect(schemaErrors(snap)).toEqual([]);
    expect(snap.queues.find((q) => q.name === 'parked')?.total).toBe(3);
    expect(snap.workers.map((w) => [w.hostname.split('@')[0], w.state])).toEqual([['wp', 'online']]);

    const without = JSON.parse((await runQtop(['-b', cluster.brokerUrl, '--json'])).stdout) as Snapshot;
    expect(without.queues).toEqual([]);
    expect(without.workers).toEqual([]);
  });
});
