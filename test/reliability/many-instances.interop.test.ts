import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyBindingKey } from '../../src/celery/names.js';
import { wireOptions } from '../../src/celery/options.js';
import type { Snapshot } from '../../src/snapshot/select-snapshot.js';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { spawnQtop } from '../helpers/qtop-cli.js';
import { schemaErrors } from '../helpers/schema.js';

// Three `qtop --json --watch` at once against one worker, inspecting every 0.5 s: each round has
// its own reply binding member and reply list (a fresh oid), so none steals another's replies, and
// nothing of theirs is left in Redis once they stop.
let cluster: Cluster;
let redis: Redis;

beforeAll(async () => {
  cluster = await startCluster({ workers: [{ name: 'w1', events: true, concurrency: 2 }] });
  redis = new Redis(cluster.brokerUrl);
});

afterAll(async () => {
  redis?.disconnect();
  await cluster?.stop();
});

const replyLists = async () => (await redis.scan('0', 'MATCH', '*.reply.celery.pidbox*', 'COUNT', 10_000))[1];

describe('several qtop instances against one cluster', () => {
  it('all see the worker answer every round, and leave no reply binding or list behind', async () => {
    const bindingBefore = (await redis.smembers(replyBindingKey(wireOptions()))).sort();
    const hostname = cluster.workers[0]!.hostname;
    const args = [
      '-b',
      cluster.brokerUrl,
      '--json',
      '--watch',
      '--interval',
      '0.5',
      '--inspect-interval',
      '0.5',
    ];
    const watches = [spawnQtop(args), spawnQtop(args), spawnQtop(args)];
    try {
      // Each instance gets stats (pool size) and then keeps getting answers: no round goes silent.
      const answered = (s: Snapshot) => {
        const row = s.workers.find((w) => w.hostname === hostname);
        return row?.poolMax === 2 && row.state === 'online' && row.silentRounds === 0;
      };
      for (const watch of watches) await watch.waitForLine<Snapshot>(answered, 15_000);
      await new Promise((resolve) => setTimeout(resolve, 3_000)); // several overlapping rounds each
      for (const watch of watches) {
        const last = JSON.parse(watch.lines.at(-1)!) as Snapshot;
        expect(schemaErrors(last)).toEqual([]);
        expect(answered(last)).toBe(true);
        expect(last.meta.sources.inspect.gaps).toEqual([]);
      }
      // Three instances, three reply connections, each named; none blocks another.
      const list = String(await redis.call('CLIENT', 'LIST'));
      expect(list.match(/ name=qtop-replies /g)).toHaveLength(3);
    } finally {
      for (const code of await Promise.all(watches.map((watch) => watch.stop('SIGINT'))))
        expect(code).toBe(0);
    }
    expect((await redis.smembers(replyBindingKey(wireOptions()))).sort()).toEqual(bindingBefore);
    expect(await replyLists()).toEqual([]);
    expect(String(await redis.call('CLIENT', 'LIST'))).not.toMatch(/ name=qtop/);
    for (const watch of watches) expect(watch.stderr()).toBe('');
  });
});
