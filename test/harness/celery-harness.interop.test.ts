import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, KOMBU_SEP, startCluster, stopAll } from '../helpers/celery-worker.js';
import { waitFor } from '../helpers/wait-for.js';

// The harness itself, against real Celery 5.2 workers: if these fail, every interop test built on
// the harness would fail for the wrong reason.

interface TaskMeta {
  status: string;
  result: unknown;
  worker?: string;
  queue?: string;
}

async function readMeta(redis: Redis, id: string): Promise<TaskMeta | null> {
  const raw = await redis.get(`celery-task-meta-${id}`);
  return raw === null ? null : (JSON.parse(raw) as TaskMeta);
}

/** Wait for the task to reach a final state and return its meta, so a wrong state fails an expect. */
async function finished(redis: Redis, id: string, timeoutMs = 20_000): Promise<TaskMeta> {
  let meta: TaskMeta | null = null;
  await waitFor(
    async () => {
      meta = await readMeta(redis, id);
      return meta !== null && ['SUCCESS', 'FAILURE', 'REVOKED'].includes(meta.status);
    },
    timeoutMs,
    `task ${id} to finish`,
  );
  return meta!;
}

/** Worker processes (main and pool) still running against this Redis port, as `pgrep -f` sees them. */
function celeryProcesses(port: number): string {
  const found = spawnSync('pgrep', ['-af', `qtop_test_app -b redis://127\\.0\\.0\\.1:${port}/`], {
    encoding: 'utf8',
  });
  return found.stdout.trim();
}

async function psubscribe(url: string, pattern: string) {
  const sub = new Redis(url);
  const messages: Array<{ channel: string; message: string }> = [];
  sub.on('pmessage', (_pattern: string, channel: string, message: string) =>
    messages.push({ channel, message }),
  );
  await sub.psubscribe(pattern);
  return { sub, messages };
}

function decodeEvents(message: string): Array<Record<string, unknown>> {
  const envelope = JSON.parse(message) as { body: string };
  const body = JSON.parse(Buffer.from(envelope.body, 'base64').toString('utf8')) as unknown;
  return (Array.isArray(body) ? body : [body]) as Array<Record<string, unknown>>;
}

const host = os.hostname();

describe('startCluster: w1 (-E, concurrency 2, celery) + w2 (no -E, concurrency 1, celery,other)', () => {
  let cluster: Cluster;
  let redis: Redis;

  beforeAll(async () => {
    cluster = await startCluster({
      env: { QTOP_RESULT_EXTENDED: '1' }, // meta then names the worker that ran a task
      workers: [
        { name: 'w1', events: true, concurrency: 2, queues: ['celery'] },
        { name: 'w2', queues: ['celery', 'other'], concurrency: 1 },
      ],
    });
    redis = new Redis(cluster.brokerUrl);
  });

  afterAll(async () => {
    redis?.disconnect();
    await cluster?.stop();
    await stopAll();
  });

  it('names workers the way %h does and lists both in the pidbox binding set', async () => {
    expect(cluster.workers.map((w) => w.hostname)).toEqual([`w1@${host}`, `w2@${host}`]);
    const members = await redis.smembers('_kombu.binding.celery.pidbox');
    expect(members.sort()).toEqual([
      `${KOMBU_SEP}${KOMBU_SEP}w1@${host}.celery.pidbox`,
      `${KOMBU_SEP}${KOMBU_SEP}w2@${host}.celery.pidbox`,
    ]);
    for (const worker of cluster.workers) expect(worker.startupMs).toBeGreaterThan(0);
  });

  it('runs app.add(2, 3) sent by send_tasks.py and stores SUCCESS 5', async () => {
    const ids = await cluster.sendTasks('app.add', [2, 3]);
    expect(ids).toHaveLength(1);
    const meta = await finished(redis, ids[0]!);
    expect(meta.status).toBe('SUCCESS');
    expect(meta.result).toBe(5);
  });

  it('stores FAILURE with the ValueError of app.boom', async () => {
    const [id] = await cluster.sendTasks('app.boom', [], { kwargs: { msg: 'bang' } });
    const meta = await finished(redis, id!);
    expect(meta.status).toBe('FAILURE');
    expect(meta.result).toMatchObject({ exc_type: 'ValueError', exc_message: ['bang'] });
  });

  it('routes queue=other to w2, and w2 (no -E) sends no task events', async () => {
    const { sub, messages } = await psubscribe(cluster.brokerUrl, '/0.celeryev/*');
    try {
      const [id] = await cluster.sendTasks('app.echo', [1, 'two'], { queue: 'other', kwargs: { k: true } });
      const meta = await finished(redis, id!);
      expect(meta).toMatchObject({
        status: 'SUCCESS',
        result: { args: [1, 'two'], kwargs: { k: true } },
        worker: `w2@${host}`,
        queue: 'other',
      });
      // A w2 heartbeat published after the result proves the subscription works and that any
      // task events of that task (flushed on a later loop tick than the result) would be here.
      const seen = messages.length;
      await waitFor(
        () =>
          messages.slice(seen).some((m) => decodeEvents(m.message).some((e) => e.hostname === `w2@${host}`)),
        5_000,
        'a worker event from w2',
      );
      const mentions = messages.flatMap((m) => decodeEvents(m.message)).filter((e) => e.uuid === id);
      expect(mentions).toEqual([]);
    } finally {
      sub.disconnect();
    }
  });

  it('w1 (-E) publishes task events for the tasks it runs', async () => {
    const { sub, messages } = await psubscribe(cluster.brokerUrl, '/0.celeryev/*');
    try {
      // Both workers consume `celery`; keep sending until w1 has run one (almost always at once).
      let ranOnW1: string | undefined;
      for (let round = 0; round < 10 && !ranOnW1; round++) {
        const ids = await cluster.sendTasks('app.add', [round, 1], { count: 4 });
        for (const id of ids) {
          const meta = await finished(redis, id);
          if (meta.worker === `w1@${host}`) ranOnW1 ??= id;
        }
      }
      expect(ranOnW1).toBeDefined();
      await waitFor(
        () =>
          messages.some((m) =>
            decodeEvents(m.message).some((e) => e.uuid === ranOnW1 && e.type === 'task-succeeded'),
          ),
        5_000,
        `task-succeeded for ${ranOnW1}`,
      );
      const events = messages.flatMap((m) => decodeEvents(m.message)).filter((e) => e.uuid === ranOnW1);
      expect(new Set(events.map((e) => e.hostname))).toEqual(new Set([`w1@${host}`]));
      expect(events.map((e) => e.type)).toEqual(['task-received', 'task-started', 'task-succeeded']);
    } finally {
      sub.disconnect();
    }
  });

  it('runs app.flaky through its retries', async () => {
    const [id] = await cluster.sendTasks('app.flaky', [2]);
    const meta = await finished(redis, id!);
    expect(meta).toMatchObject({ status: 'SUCCESS', result: 'ok after 2' });
  });

  it('send_tasks.py honours --count, --queue and --priority (an unconsumed queue keeps them)', async () => {
    const ids = await cluster.sendTasks('app.sleepy', [1], { queue: 'parked', count: 3 });
    const high = await cluster.sendTasks('app.sleepy', [2], { queue: 'parked', priority: 6 });
    expect(new Set(ids).size).toBe(3);
    const plain = await redis.lrange('parked', 0, -1);
    // LPUSH order: index -1 is the oldest, the first id printed.
    expect(plain.map((m) => (JSON.parse(m) as { headers: { id: string } }).headers.id).reverse()).toEqual(
      ids,
    );
    const prio = await redis.lrange(`parked${KOMBU_SEP}6`, 0, -1);
    expect(prio.map((m) => (JSON.parse(m) as { headers: { id: string } }).headers.id)).toEqual(high);
  });

  it('stops warmly: exit code 0, bindings removed, no celery process left', async () => {
    const port = cluster.redis.port;
    expect(celeryProcesses(port)).not.toBe('');
    await Promise.all(cluster.workers.map((w) => w.stop()));
    expect(await Promise.all(cluster.workers.map((w) => w.exited))).toEqual([0, 0]);
    expect(await redis.smembers('_kombu.binding.celery.pidbox')).toEqual([]);
    redis.disconnect();
    await cluster.stop();
    expect(celeryProcesses(port)).toBe('');
  });
});

describe('startCluster with global_keyprefix on db 2, and a crashed worker', () => {
  let cluster: Cluster;
  let redis: Redis;

  beforeAll(async () => {
    cluster = await startCluster({
      db: 2,
      env: { QTOP_GLOBAL_KEYPREFIX: 'pfx:' },
      workers: [{ name: 'p1', concurrency: 1 }],
    });
    redis = new Redis(cluster.brokerUrl);
  });

  afterAll(async () => {
    redis?.disconnect();
    await cluster?.stop();
    await stopAll();
  });

  it('detects readiness under prefixed names and runs tasks sent with the same prefix', async () => {
    expect(cluster.brokerUrl).toMatch(/\/2$/);
    expect(await redis.smembers('pfx:_kombu.binding.celery.pidbox')).toEqual([
      `${KOMBU_SEP}${KOMBU_SEP}p1@${host}.celery.pidbox`,
    ]);
    expect(await redis.exists('_kombu.binding.celery.pidbox')).toBe(0);
    const [id] = await cluster.sendTasks('app.add', [20, 22]);
    const meta = await finished(redis, id!); // result keys are not prefixed in 5.2
    expect(meta).toMatchObject({ status: 'SUCCESS', result: 42 });
  });

  it('after SIGKILL the binding goes stale, and stop() still reaps every process', async () => {
    const [worker] = cluster.workers;
    const port = cluster.redis.port;
    worker!.kill('SIGKILL');
    expect(await worker!.exited).toBeNull(); // ended by a signal, not an exit code
    expect(await redis.scard('pfx:_kombu.binding.celery.pidbox')).toBe(1);
    await worker!.stop();
    expect(celeryProcesses(port)).toBe('');
  });
});
