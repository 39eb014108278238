import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/snapshot/select-snapshot.js';
import { runQtop, spawnQtop } from '../helpers/qtop-cli.js';
import { type Sentinel, startSentinel } from '../helpers/redis-sentinel.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { schemaErrors } from '../helpers/schema.js';
import { waitFor } from '../helpers/wait-for.js';
import { fillQueue, taskMessage } from './wire.js';

// Two real redis-sentinel processes watching a master with a replica. The master and replica
// require one password, the sentinels another: as in kombu, the URL's password is the master's,
// and the sentinels' own goes in ?sentinel_password= (kombu: transport option sentinel_kwargs).
const masterPassword = 'm-secret';
const sentinelPassword = 's-secret';
let master: RedisServer;
let replica: RedisServer;
const sentinels: Sentinel[] = [];

const client = (server: RedisServer) => new Redis({ port: server.port, password: masterPassword });

beforeAll(async () => {
  master = await startRedis({ password: masterPassword });
  replica = await startRedis({
    password: masterPassword,
    args: ['--replicaof', '127.0.0.1', String(master.port), '--masterauth', masterPassword],
  });
  const r = client(replica);
  try {
    await waitFor(
      async () => /master_link_status:up/.test(String(await r.info('replication'))),
      10_000,
      'replication',
    );
  } finally {
    r.disconnect();
  }
  for (let i = 0; i < 2; i++) {
    sentinels.push(
      await startSentinel({
        masterName: 'm',
        masterPort: master.port,
        masterPassword,
        password: sentinelPassword,
      }),
    );
  }
});

afterAll(async () => {
  for (const sentinel of sentinels.splice(0)) await sentinel.stop();
  await replica?.stop();
  await master?.stop();
});

const url = (withSentinelPassword: boolean) =>
  `sentinel://:${masterPassword}@127.0.0.1:${sentinels[0]!.port}/0;sentinel://127.0.0.1:${sentinels[1]!.port}/0` +
  (withSentinelPassword ? `?sentinel_password=${sentinelPassword}` : '');

const parked = (s: Snapshot) => s.queues.find((q) => q.name === 'parked')?.total;

describe('qtop through Redis Sentinel', () => {
  it('refuses a missing sentinel password with one line and exit 4, naming where it goes', async () => {
    const result = await runQtop(['-b', url(false), '--master-name', 'm', '--json']);
    expect(result.code).toBe(4);
    const { error } = JSON.parse(result.stdout) as { error: { code: string; message: string } };
    expect(error.code).toBe('auth');
    expect(error.message).toMatch(
      /^a Sentinel at sentinel:\/\/:\*\*\*@127\.0\.0\.1:\d+\/0;.* refused qtop \(NOAUTH\)/,
    );
    expect(error.message).toContain('?sentinel_password=');
    expect(result.stderr).toBe(`qtop: ${error.message}\n`);
  });

  it('--watch keeps working across SENTINEL FAILOVER: the queue is shown before and after', async () => {
    const m = client(master);
    await fillQueue(m, 'parked', [taskMessage(), taskMessage(), taskMessage()]);
    m.disconnect();
    const watch = spawnQtop([
      '-b',
      url(true),
      '--master-name',
      'm',
      '--json',
      '--watch',
      '--interval',
      '0.5',
    ]);
    try {
      const before = await watch.waitForLine<Snapshot>((s) => parked(s) === 3, 15_000);
      expect(schemaErrors(before)).toEqual([]);
      expect(before.meta.broker).not.toContain(sentinelPassword);
      expect(before.meta.broker).not.toContain(masterPassword);

      // The replica knows the data; the sentinels must know the replica before they can promote it.
      await waitFor(
        async () => {
          const replicas = (await sentinels[0]!.client.call('SENTINEL', 'REPLICAS', 'm')) as string[][];
          return replicas.some(
            (fields) => fields.includes(`127.0.0.1:${replica.port}`) && fields.includes('slave'),
          );
        },
        20_000,
        'the sentinel to discover the replica',
      );
      expect(await sentinels[0]!.client.call('SENTINEL', 'FAILOVER', 'm')).toBe('OK');
      await waitFor(
        async () => (await sentinels[0]!.masterAddress()) === `127.0.0.1:${replica.port}`,
        15_000,
        'the replica to be promoted',
      );
      const promoted = client(replica);
      try {
        await promoted.lpush('parked', taskMessage()); // written on the new master only
        // Sentinel reconfigures the old master within ~10 s and disconnects its clients; qtop then
        // asks the sentinels again and lands on the new master, as kombu's clients do.
        const after = await watch.waitForLine<Snapshot>((s) => parked(s) === 4, 30_000);
        expect(schemaErrors(after)).toEqual([]);
        expect(after.meta.sources.queues.state).toBe('ok');
        expect(String(await promoted.call('CLIENT', 'LIST'))).toMatch(/ name=qtop /);
      } finally {
        promoted.disconnect();
      }
    } finally {
      expect(await watch.stop('SIGINT')).toBe(0);
    }
    expect(watch.stderr()).toBe('');
  });
});
