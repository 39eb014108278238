import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../commands/shared/local-redis.js';
import type { AllDocument } from '../../src/snapshot/all-rows.js';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { runQtop } from '../helpers/qtop-cli.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { allSchemaErrors } from '../helpers/schema.js';

// Every profile at once, against real servers: `prod` is a redis-server with a real Celery 5.2
// worker (-E) and a queue nobody consumes; `staging` a password-protected redis-server with no
// workers; `gone` a port with nothing listening; `frozen` a redis-server stopped with SIGSTOP,
// which accepts the connection and never answers, so only the --timeout + 1 s cut-off ends it.
// Its cut-off must not hold the others back, and no password may be printed.
const password = 'hunter2-not-for-print';
const timeoutSec = 2;
let cluster: Cluster;
let staging: RedisServer;
let frozen: RedisServer;
let configFile: string;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtop-all-'));
const env = { QTOP_TEST_PW: password, HOME: dir };

beforeAll(async () => {
  [cluster, staging, frozen] = await Promise.all([
    startCluster({ workers: [{ name: 'w1', events: true, concurrency: 2, queues: ['celery'] }] }),
    startRedis({ password }),
    startRedis(),
  ]);
  await cluster.sendTasks('app.add', [1, 1], { queue: 'parked', count: 4 });
  await cluster.sendTasks('app.add', [2, 2], { count: 2 });
  frozen.pause();
  const nothing = await freePort();
  configFile = path.join(dir, 'config.toml');
  fs.writeFileSync(
    configFile,
    [
      '[profiles.prod]',
      `broker_url = "${cluster.brokerUrl}"`,
      '[profiles.staging]',
      `broker_url = "redis://127.0.0.1:${staging.port}/0"`,
      'password_env = "QTOP_TEST_PW"',
      '[profiles.gone]',
      `broker_url = "redis://127.0.0.1:${nothing}/0"`,
      'password_env = "QTOP_TEST_PW"',
      '[profiles.frozen]',
      `broker_url = "redis://127.0.0.1:${frozen.port}/0"`,
      '',
    ].join('\n'),
  );
}, 90_000);

afterAll(async () => {
  frozen?.resume();
  await Promise.all([cluster?.stop(), staging?.stop(), frozen?.stop()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

const common = () => ['--config', configFile, '--timeout', String(timeoutSec)];
// (Task events show '?' until a task event arrives in the window: the tasks ran before it.)
// Collecting starts after Node and qtop load (about 1 s on a loaded 2-core machine); the slack
// covers that and the loaded machine, not a serial wait on the profiles (that would be 2 x 3 s).
const slackMs = 2_500;

describe('qtop --all', () => {
  it('--json prints one qtop-all/1 document: snapshots, errors, no password, in time', async () => {
    const run = await runQtop(['--json', '--all', ...common()], env, 30_000);
    expect(run.ms).toBeLessThan((timeoutSec + 1) * 1000 + slackMs);
    expect(run.code).toBe(5); // two profiles could not be read
    expect(run.stdout + run.stderr).not.toContain(password);
    const doc = JSON.parse(run.stdout) as AllDocument;
    expect(allSchemaErrors(doc)).toEqual([]);
    expect(doc.clusters.map((c) => c.name)).toEqual(['prod', 'staging', 'gone', 'frozen']);
    const [prod, stagingEntry, gone, frozenEntry] = doc.clusters;
    if (!prod || !('snapshot' in prod)) throw new Error(`prod: ${JSON.stringify(prod)}`);
    expect(prod.snapshot.workers.map((w) => w.hostname.split('@')[0])).toEqual(['w1']);
    expect(prod.snapshot.queues.find((q) => q.name === 'parked')?.total).toBe(4);
    expect(prod.snapshot.hints.findings.map((f) => f.kind)).toContain('no-consumer');
    if (!stagingEntry || !('snapshot' in stagingEntry)) throw new Error(JSON.stringify(stagingEntry));
    expect(stagingEntry.snapshot.meta.broker).toContain('***');
    expect(gone && 'error' in gone && gone.error.code).toBe('unreachable');
    expect(frozenEntry && 'error' in frozenEntry && frozenEntry.error.code).toMatch(/timeout/);
  });

  it('prints one row per profile, worst first', async () => {
    const run = await runQtop(['--all', ...common()], env, 30_000);
    expect(run.stdout).not.toContain(password);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^PROFILE\s+STATE\s+UP\s+LOST\s+READY/);
    const byName = new Map(lines.slice(1).map((line) => [line.split(/\s+/)[0], line]));
    expect(byName.get('prod')).toMatch(/^prod\s+critical\s+1\s+0\s+4\s+.*(on|\?)\s+connected\s+critical: /);
    expect(byName.get('gone')).toMatch(/unknown .* unreachable/);
    expect(byName.get('staging')).toMatch(/^staging\s+ok\s+0\s+0\s+0/);
    // unknown and critical rows come before the ok one
    expect(lines.findIndex((l) => l.startsWith('staging'))).toBe(4);
  });

  it('check --all exits with the worst state and says one line per cluster', async () => {
    const run = await runQtop(['check', '--all', '--window', '2s', ...common()], env, 30_000);
    expect(run.ms).toBeLessThan((2 + timeoutSec + 1) * 1000 + slackMs);
    expect(run.stdout).not.toContain(password);
    const lines = run.stdout.trimEnd().split('\n');
    // A queue nobody consumes is CRITICAL in qtop check by default; worse than UNKNOWN.
    expect(lines[0]).toMatch(/^QTOP CRITICAL - 4 clusters: 1 critical, 2 unknown, 1 ok/);
    expect(run.code).toBe(2);
    expect(lines.slice(1).map((l) => l.split(':')[0])).toEqual(['prod', 'staging', 'gone', 'frozen']);
    expect(lines[3]).toMatch(/^gone: UNKNOWN - cannot reach Redis/);
  });
});
