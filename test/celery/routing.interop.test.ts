import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wireOptions } from '../../src/celery/options.js';
import { inferExchangeType, routeMessage } from '../../src/celery/routing.js';
import { detectSep } from '../../src/celery/routing-sep.js';
import { readBindingTable } from '../../src/sources/binding-table.js';
import { startWorker } from '../helpers/celery-worker.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { celeryVersions } from '../helpers/shared-trees.js';
import { produce, wireEnv } from '../helpers/wire-reads.js';

/**
 * Bindings declared by a real worker (task_queues on a topic exchange `tasks` and a direct one `dx`),
 * then tasks sent by a real Celery producer through those exchanges: where each message landed must
 * be where routing.ts says. The producer never declared `tasks`, so kombu routes it as `direct`
 * (`typeof` default) and a `task.x` message is lost: the reason restoreDeliveryInfo demands both
 * readings agree. The worker then routes the same exchange as topic.
 */
describe.each(celeryVersions())('Celery %s: routing over real bindings', (version) => {
  let redis: RedisServer;
  let client: Redis;
  const env = { QTOP_ROUTED_QUEUES: '1' };
  const opts = wireOptions();

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url(0));
    const worker = await startWorker({
      brokerUrl: redis.url(0),
      name: `rt${version.replace('.', '')}`,
      queues: ['high', 'low', 'dq'],
      concurrency: 1,
      celery: version,
      env: wireEnv(version, env),
    });
    await worker.stop(); // bindings stay; the lists then keep what producers send
  });

  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
  });

  it('the worker bindings: topic patterns infer topic, the sep is detected', async () => {
    const tasks = await readBindingTable(client, opts, 'tasks');
    const dx = await readBindingTable(client, opts, 'dx');
    expect(tasks.undecodable).toBe(0);
    expect(tasks.table.map((b) => b.queue).sort()).toEqual(['high', 'low']);
    expect(inferExchangeType('tasks', tasks.table)).toEqual({ type: 'topic', source: 'pattern' });
    expect(inferExchangeType('dx', dx.table)).toEqual({ type: 'direct', source: 'default' });
    expect(detectSep(':', [...tasks.members, ...dx.members])).toMatchObject({ detected: '\x06\x16' });
    expect(routeMessage('tasks', 'task.x', tasks.table)).toMatchObject({
      ok: true,
      queues: ['high'],
      type: 'topic',
    });
    expect(routeMessage('tasks', 'a.low', tasks.table)).toMatchObject({ ok: true, queues: ['low'] });
  });

  it.each([
    ['tasks', 'task.x'],
    ['tasks', 'a.low'],
    ['tasks', 'low'],
    ['dx', 'd'],
    ['dx', 'x'],
  ])('a producer sending via %s with key %s: the lists grow as routeMessage (direct reading) says', async (exchange, key) => {
    const { table } = await readBindingTable(client, opts, exchange);
    const predicted = routeMessage(exchange, key, table, { override: 'direct' });
    const before = await lengths();
    await produce(
      redis.url(0),
      version,
      'app.add',
      [1, 2],
      ['--exchange', exchange, '--routing-key', key],
      env,
    );
    const after = await lengths();
    const grew = Object.keys(after).filter((q) => after[q]! > before[q]!);
    expect(grew).toEqual(predicted.ok ? predicted.queues : []);
  });

  async function lengths(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const q of ['dq', 'high', 'low']) out[q] = await client.llen(q);
    return out;
  }
});
