import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeTaskMessage } from '../../src/celery/task-message.js';
import { celeryEnv, PYTHON, startWorker, type Worker } from '../helpers/celery-worker.js';
import { runQtop } from '../helpers/qtop-cli.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { type CeleryVersion, celeryVersions } from '../helpers/shared-trees.js';
import { waitFor } from '../helpers/wait-for.js';
import { wireEnv } from '../helpers/wire-reads.js';
import { control, waitMeta } from './control-helpers.js';

/**
 * qtop's move and retry against real workers whose queues sit on a named topic exchange `tasks`
 * (`high` bound by `task.#`, `low` by `*.low`) and a direct one `dx` (wire_reads_config.py,
 * QTOP_ROUTED_QUEUES=1), messages sent by Celery's own router. Runs are counted by the worker itself:
 * `app.count` appends its tag to the list `runs`. A first worker declares the bindings and stops, so
 * nothing is consumed until a test starts a worker. Every write must leave the `_kombu.binding.*`
 * sets byte-equal.
 */
const WIRE_DIR = fileURLToPath(new URL('../fixtures/wire_reads/', import.meta.url));
const KOMBU = '\x06\x16';

describe.each(celeryVersions())('Celery %s: move and retry route as kombu does', (version: CeleryVersion) => {
  let server: RedisServer;
  let redis: Redis;
  let url: string;
  const started: Worker[] = [];
  const env = (extra: Record<string, string> = {}) =>
    wireEnv(version, { QTOP_ROUTED_QUEUES: '1', QTOP_COUNT_LIST: 'runs', ...extra });

  beforeAll(async () => {
    server = await startRedis();
    url = server.url(0);
    redis = new Redis(url);
    const declare = await startWorker({
      brokerUrl: url,
      name: `decl${version.replace('.', '')}`,
      queues: ['high', 'low', 'dq', 'celery'],
      concurrency: 1,
      celery: version,
      env: env(),
    });
    await declare.stop();
  });

  afterEach(async () => {
    await Promise.all(started.splice(0).map((w) => w.stop()));
  });

  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  /** A worker of the version under test; stopped after the test. */
  async function worker(name: string, queues: string[], extra: Record<string, string> = {}) {
    const w = await startWorker({
      brokerUrl: url,
      name: `${name}${version.replace('.', '')}`,
      queues,
      concurrency: 1,
      prefetchMultiplier: 1,
      celery: version,
      env: env(extra),
    });
    started.push(w);
    return w;
  }

  /** One task through Celery's router (route_send.py); resolves with its id. */
  function send(task: string, args: unknown[], flags: string[]): Promise<string> {
    const argv = [path.join(WIRE_DIR, 'route_send.py'), task, JSON.stringify(args), ...flags];
    const fullEnv = celeryEnv(url, undefined, env(), version);
    return new Promise((resolve, reject) => {
      execFile(PYTHON, argv, { cwd: WIRE_DIR, env: fullEnv, timeout: 60_000 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`route_send.py failed: ${error.message}\n${stderr}`));
        else resolve(stdout.trim());
      });
    });
  }

  /** Every binding set, members sorted: what qtop must never change. */
  async function bindings(): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    for (const key of (await redis.keys('_kombu.binding.*')).sort())
      out[key] = (await redis.smembers(key)).sort();
    return out;
  }

  /** `qtop ARGS --json`, asserting the binding sets are the same before and after. */
  async function qtop(args: string[]) {
    const before = await bindings();
    const result = await control(url, args);
    expect(await bindings()).toEqual(before);
    return result;
  }

  /** Where the messages of task `id` wait: list key -> count. */
  async function copiesOf(
    id: string,
    queues = ['high', 'low', 'dq', 'celery'],
  ): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const queue of queues) {
      for (const step of [0, 3, 6, 9]) {
        const key = step ? `${queue}${KOMBU}${step}` : queue;
        const n = (await redis.lrange(key, 0, -1)).filter((raw) => {
          const m = decodeTaskMessage(raw);
          return m.ok && m.value.id === id;
        }).length;
        if (n) out[key] = n;
      }
    }
    return out;
  }

  const runs = async (tag: string) => (await redis.lrange('runs', 0, -1)).filter((t) => t === tag).length;

  /**
   * Make a worker on `low` reserve task `id` (waiting in `low`) behind a long task, then kill it: the
   * message stays in `unacked`, as after a lost worker. Resolves when the worker is gone.
   */
  async function strandInUnacked(id: string, sleeperTag: string): Promise<void> {
    await send('app.sleepy', [30], ['--queue', 'low']);
    // The sleeper was pushed last, so it sits at the head; workers BRPOP the tail: swap them.
    const items = await redis.lrange('low', 0, -1);
    expect(items.length).toBe(2);
    await redis
      .multi()
      .del('low')
      .rpush('low', ...items.reverse())
      .exec();
    const w = await worker(`hold${sleeperTag}`, ['low']);
    await waitFor(
      async () => Object.values(await redis.hgetall('unacked')).some((v) => v.includes(id)),
      30_000,
      `${id} to be reserved in unacked`,
    );
    w.kill('SIGKILL');
    await w.stop();
    expect(await copiesOf(id, ['low'])).toEqual({});
  }

  it('a topic message moved high -> low, then stranded in unacked and restored, runs exactly once', async () => {
    const id = await send(
      'app.count',
      ['moved'],
      ['--queue', 'high', '--exchange', 'tasks', '--routing-key', 'task.x'],
    );
    expect(await copiesOf(id)).toEqual({ high: 1 });
    const { out, run } = await qtop(['message', 'move', 'high', id, '--to', 'low']);
    expect(run.code).toBe(0);
    // `tasks`/`task.x` routes to high, not low: a restore must not look it up there.
    expect(out.details).toMatchObject({
      toQueue: 'low',
      list: 'low',
      deliveryInfo: { exchange: '', routingKey: 'low' },
    });
    expect(await copiesOf(id)).toEqual({ low: 1 });

    await strandInUnacked(id, 'm');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // A worker on low with a 1 s visibility timeout restores what the lost one held, then runs it.
    await worker('back', ['low'], { QTOP_VISIBILITY_TIMEOUT: '1' });
    await waitFor(async () => (await runs('moved')) >= 1, 30_000, 'the moved task to run');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await runs('moved')).toBe(1);
    expect(await redis.hlen('unacked')).toBe(0);
  });

  it('retry of a waiting topic message: refused naming the queue; --remove-original leaves one copy that runs once', async () => {
    const stamp = version === '5.6' ? ['--stamp', 'mark=m1'] : [];
    const id = await send(
      'app.count',
      ['r'],
      ['--queue', 'high', '--exchange', 'tasks', '--routing-key', 'task.r', '--priority', '5', ...stamp],
    );
    expect(await copiesOf(id)).toEqual({ [`high${KOMBU}3`]: 1 });

    const refused = await qtop(['retry', id]);
    expect(refused.run.code).toBe(2);
    expect(refused.out.summary).toContain("its original message still waits in queue 'high'");
    expect(refused.out.summary).toContain('--remove-original');
    expect(refused.out.summary).not.toContain('result_extended');
    expect(await copiesOf(id)).toEqual({ [`high${KOMBU}3`]: 1 });

    const { out, run } = await qtop(['retry', id, '--remove-original']);
    expect(run.code).toBe(0);
    const [link] = out.details.retried as {
      newId: string;
      queues: string[];
      lists: string[];
      removed: unknown;
    }[];
    expect(link).toMatchObject({
      queues: ['high'],
      lists: [`high${KOMBU}3`],
      removed: { where: 'queue', key: `high${KOMBU}3` },
    });
    expect(await copiesOf(id)).toEqual({});
    expect(await copiesOf(link!.newId)).toEqual({ [`high${KOMBU}3`]: 1 });
    const raw = (await redis.lrange(`high${KOMBU}3`, 0, -1)).find((r) => r.includes(link!.newId))!;
    const copy = JSON.parse(raw) as { headers: Record<string, unknown>; properties: Record<string, unknown> };
    expect(copy.properties.priority).toBe(5);
    if (version === '5.6') {
      expect(copy.headers.stamped_headers).toEqual(['mark']);
      expect(copy.headers.stamps).toEqual({ mark: 'm1' });
    }

    await worker('high', ['high']);
    const meta = await waitMeta(redis, link!.newId, 'SUCCESS', 30_000);
    if (version === '5.6') expect(meta).toMatchObject({ stamped_headers: ['mark'], mark: 'm1' });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await runs('r')).toBe(1);
  });

  it('retry from result_extended meta of a topic-routed task runs on the worker reading the routed queue', async () => {
    await worker('high', ['high']);
    const id = await send(
      'app.count',
      ['c'],
      ['--queue', 'high', '--exchange', 'tasks', '--routing-key', 'task.c'],
    );
    const first = await waitMeta(redis, id, 'SUCCESS', 30_000);
    expect(first.queue).toBe('task.c'); // the meta keeps the routing key, not the queue
    const { out, run } = await qtop(['retry', id]);
    expect(run.code).toBe(0);
    const [link] = out.details.retried as { newId: string; queues: string[]; source: string }[];
    expect(link).toMatchObject({ source: 'result-extended', queues: ['high'] });
    await waitMeta(redis, link!.newId, 'SUCCESS', 30_000);
    expect(await runs('c')).toBe(2);
    expect(await redis.exists('task.c')).toBe(0);

    // No queue matches: read as direct, `task.c` is bound nowhere; a queue nobody declared.
    const none = await qtop(['retry', id, '--exchange-type', 'tasks=direct']);
    expect(none.run.code).toBe(2);
    expect(none.out.summary).toContain('no queue matches');
    const nowhere = await qtop(['retry', id, '--queue', 'nowhere']);
    expect(nowhere.run.code).toBe(2);
    expect(nowhere.out.summary).toContain('no queue matches');
    expect(await redis.exists('nowhere')).toBe(0);
    const bad = await runQtop(['-b', url, 'retry', id, '--exchange-type', 'tasks=headers']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--exchange-type takes NAME=direct|topic|fanout');
    expect(await runs('c')).toBe(2);
  });

  it('move to a queue nobody declared is refused and the message stays', async () => {
    const id = await send('app.count', ['stay'], ['--queue', 'dq', '--exchange', 'dx', '--routing-key', 'd']);
    expect(await copiesOf(id)).toEqual({ dq: 1 });
    const { out, run } = await qtop(['message', 'move', 'dq', id, '--to', 'nowhere']);
    expect(run.code).toBe(2);
    expect(out.summary).toContain('no queue matches');
    expect(await copiesOf(id)).toEqual({ dq: 1 });
    expect(await redis.exists('nowhere')).toBe(0);
    // To a declared queue: dx/d does not route to celery, so the default exchange is written.
    const moved = await qtop(['message', 'move', 'dq', id, '--to', 'celery']);
    expect(moved.run.code).toBe(0);
    expect(moved.out.details).toMatchObject({ deliveryInfo: { exchange: '', routingKey: 'celery' } });
    expect(await copiesOf(id)).toEqual({ celery: 1 });
    await redis.del('celery');
  });

  it('an original stranded in unacked: refused naming unacked; --remove-original takes it out, so it runs once', async () => {
    const id = await send(
      'app.count',
      ['u'],
      ['--queue', 'low', '--exchange', 'tasks', '--routing-key', 'a.low'],
    );
    await strandInUnacked(id, 'u');
    const refused = await qtop(['retry', id]);
    expect(refused.run.code).toBe(2);
    expect(refused.out.summary).toContain('unacked hash');
    const { out, run } = await qtop(['retry', id, '--remove-original']);
    expect(run.code).toBe(0);
    const [link] = out.details.retried as { newId: string; queues: string[]; removed: { where: string } }[];
    expect(link).toMatchObject({ queues: ['low'], removed: { where: 'unacked' } });
    expect(Object.values(await redis.hgetall('unacked')).some((v) => v.includes(id))).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await worker('back', ['low'], { QTOP_VISIBILITY_TIMEOUT: '1' });
    await waitMeta(redis, link!.newId, 'SUCCESS', 30_000);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await runs('u')).toBe(1);
  });
});

/**
 * Celery's own priority recipe: `sep=':'` and `priority_steps=range(10)`. qtop told the same
 * (`--sep : --priority-steps 0,…,9`) retries into `high:5`, which the worker reads; qtop left at
 * the default sep refuses (with the sep to use) instead of writing lists no worker reads.
 */
describe.each(
  celeryVersions(),
)('Celery %s: retry under sep ":" and ten priority steps', (version: CeleryVersion) => {
  let server: RedisServer;
  let redis: Redis;
  let url: string;
  let running: Worker | null = null;
  const env = () =>
    wireEnv(version, {
      QTOP_ROUTED_QUEUES: '1',
      QTOP_COUNT_LIST: 'runs',
      QTOP_SEP: ':',
      QTOP_PRIORITY_STEPS: '10',
    });
  const wireFlags = ['--sep', ':', '--priority-steps', '0,1,2,3,4,5,6,7,8,9'];

  beforeAll(async () => {
    server = await startRedis();
    url = server.url(0);
    redis = new Redis(url);
    const declare = await startWorker({
      brokerUrl: url,
      name: `sdecl${version.replace('.', '')}`,
      queues: ['high', 'low', 'dq', 'celery'],
      concurrency: 1,
      celery: version,
      env: env(),
    });
    await declare.stop();
  });

  afterAll(async () => {
    await running?.stop();
    redis?.disconnect();
    await server?.stop();
  });

  it('the copy lands in high:5 and runs once; the default sep is refused; bindings unchanged', async () => {
    const argv = [
      path.join(WIRE_DIR, 'route_send.py'),
      'app.count',
      '["p"]',
      '--queue',
      'high',
      '--exchange',
      'tasks',
      '--routing-key',
      'task.p',
      '--priority',
      '5',
    ];
    const id = await new Promise<string>((resolve, reject) =>
      execFile(
        PYTHON,
        argv,
        { cwd: WIRE_DIR, env: celeryEnv(url, undefined, env(), version), timeout: 60_000 },
        (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout.trim()),
      ),
    );
    expect(await redis.llen('high:5')).toBe(1);
    const members = async () => {
      const out: Record<string, string[]> = {};
      for (const key of (await redis.keys('_kombu.binding.*')).sort())
        out[key] = (await redis.smembers(key)).sort();
      return out;
    };
    const before = await members();
    expect(before['_kombu.binding.tasks']).toContain('task.#:^task\\..*?$:high');

    const wrongSep = await control(url, ['retry', id, '--remove-original']);
    expect(wrongSep.run.code).toBe(2);
    expect(wrongSep.out.summary).toContain('start qtop with --sep ":"');
    expect(await redis.llen('high:5')).toBe(1);

    const { out, run } = await control(url, [...wireFlags, 'retry', id, '--remove-original']);
    expect(run.code).toBe(0);
    const [link] = out.details.retried as { newId: string; lists: string[] }[];
    expect(link!.lists).toEqual(['high:5']);
    expect(await members()).toEqual(before);
    const waiting = await redis.lrange('high:5', 0, -1);
    expect(waiting.length).toBe(1);
    expect(waiting[0]).toContain(link!.newId);

    running = await startWorker({
      brokerUrl: url,
      name: `shigh${version.replace('.', '')}`,
      queues: ['high'],
      concurrency: 1,
      celery: version,
      env: env(),
    });
    await waitMeta(redis, link!.newId, 'SUCCESS', 30_000);
    expect(await redis.lrange('runs', 0, -1)).toEqual(['p']);
  });
});
