import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wireOptions } from '../../src/celery/options.js';
import { encodeTaskMessage, type TaskSpec } from '../../src/celery/task-encode.js';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { waitFor } from '../helpers/wait-for.js';

// The encoder's messages, published exactly as wire doc 5.2 says (SADD the binding, LPUSH the
// list), must run on a real Celery 5.2 worker: the proof that qtop can retry tasks.
let cluster: Cluster;
let redis: Redis;

async function publish(spec: TaskSpec, options = wireOptions()): Promise<string> {
  const encoded = encodeTaskMessage(spec, options);
  if (!encoded.ok) throw new Error(encoded.reason);
  await redis.sadd(encoded.value.bindingKey, encoded.value.bindingMember);
  await redis.lpush(encoded.value.listKey, encoded.value.raw);
  return encoded.value.id;
}

async function resultOf(id: string): Promise<{ status: string; result: unknown }> {
  let raw: string | null = null;
  await waitFor(
    async () => {
      raw = await redis.get(`celery-task-meta-${id}`);
      return raw !== null && !raw.includes('"STARTED"');
    },
    20_000,
    `result of ${id}`,
  );
  return JSON.parse(raw!) as { status: string; result: unknown };
}

beforeAll(async () => {
  cluster = await startCluster({ workers: [{ name: 'enc', concurrency: 1, queues: ['celery', 'other'] }] });
  redis = new Redis(cluster.brokerUrl);
});

afterAll(async () => {
  redis?.disconnect();
  await cluster?.stop();
});

describe('encoded task messages on a real worker', () => {
  it('app.add(21, 21) runs and stores SUCCESS 42', async () => {
    const id = await publish({ name: 'app.add', args: [21, 21], kwargs: {}, queue: 'celery' });
    expect(await resultOf(id)).toMatchObject({ status: 'SUCCESS', result: 42 });
  });

  it('unicode, nested JSON, kwargs, another queue and priority 5 arrive intact', async () => {
    const args = ['héllo ✓', { deep: [1, { x: null }] }, 2.5];
    const kwargs = { k: [1, 2], clé: 'välue' };
    const id = await publish({ name: 'app.echo', args, kwargs, queue: 'other', priority: 5 });
    expect(await resultOf(id)).toEqual(
      expect.objectContaining({ status: 'SUCCESS', result: { args, kwargs } }),
    );
  });

  it('a failing task fails as it would from Python, and the worker survives it', async () => {
    const id = await publish({ name: 'app.boom', args: ['from node'], kwargs: {}, queue: 'celery' });
    const meta = await resultOf(id);
    expect(meta.status).toBe('FAILURE');
    expect(meta.result).toMatchObject({ exc_type: 'ValueError', exc_message: ['from node'] });
    const after = await publish({ name: 'app.add', args: [1, 2], kwargs: {}, queue: 'celery' });
    expect(await resultOf(after)).toMatchObject({ status: 'SUCCESS', result: 3 });
  });
});
