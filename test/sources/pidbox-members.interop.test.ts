import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wireOptions } from '../../src/celery/options.js';
import { samplePidboxMembers } from '../../src/sources/pidbox-members.js';
import { startWorker, type Worker } from '../helpers/celery-worker.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { waitFor } from '../helpers/wait-for.js';

const SEP = '\x06\x16';
let server: RedisServer;
const clients: Redis[] = [];

function connect(db: number): Redis {
  const client = new Redis(server.url(db));
  clients.push(client);
  return client;
}

beforeAll(async () => {
  server = await startRedis();
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await server?.stop();
});

describe('samplePidboxMembers on hand-made members', () => {
  it('lists nodes sorted and unique, and skips members of another form', async () => {
    const redis = connect(3);
    await redis.sadd(
      '_kombu.binding.celery.pidbox',
      `${SEP}${SEP}w2@vm.celery.pidbox`,
      `${SEP}${SEP}stale@vm.celery.pidbox`, // SIGKILLed workers stay listed (wire doc 3.1)
      `${SEP}${SEP}w1@vm.celery.pidbox`,
      `key${SEP}${SEP}odd.celery.pidbox`,
      'not a member',
    );
    const sample = await samplePidboxMembers(redis, wireOptions(), 99);
    expect(sample).toEqual({ type: 'pidbox/sampled', at: 99, nodes: ['stale@vm', 'w1@vm', 'w2@vm'] });
  });

  it('follows global_keyprefix and control_exchange', async () => {
    const redis = connect(4);
    await redis.sadd('pfx:_kombu.binding.ctl.pidbox', `${SEP}${SEP}a@h.ctl.pidbox`);
    await redis.sadd('_kombu.binding.celery.pidbox', `${SEP}${SEP}other@h.celery.pidbox`);
    const opts = wireOptions({ globalKeyprefix: 'pfx:', controlExchange: 'ctl' });
    expect((await samplePidboxMembers(redis, opts, 0)).nodes).toEqual(['a@h']);
    expect((await samplePidboxMembers(connect(9), wireOptions(), 0)).nodes).toEqual([]);
  });
});

describe('with a real Celery worker', () => {
  let worker: Worker;
  beforeAll(async () => {
    worker = await startWorker({ brokerUrl: server.url(0), name: 'pidbox', concurrency: 1 });
  });
  afterAll(async () => {
    await worker?.stop();
  });

  it('lists the running worker, and drops it after a warm shutdown', async () => {
    const redis = connect(0);
    const sample = await samplePidboxMembers(redis, wireOptions(), 1);
    expect(sample.nodes).toEqual([worker.hostname]);
    await worker.stop();
    await waitFor(
      async () => (await samplePidboxMembers(redis, wireOptions(), 2)).nodes.length === 0,
      10_000,
      'the mailbox member to go after a warm shutdown',
    );
  });
});
