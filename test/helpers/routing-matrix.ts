/**
 * The routing matrix (issue 14): qtop's queue writes (move, retry from a queued message, from result
 * meta and from a lost worker's unacked entry, delete, purge) on one real Celery routing setup,
 * then the worker lifecycle that makes kombu restore messages (a warm shutdown, a SIGKILL and
 * restart, the visibility timeout), and at the end: every task that should have run ran exactly
 * once, counted by the workers themselves (app.count_run appends {id, tag, worker} to a list),
 * and no `_kombu.binding.*` set changed by a byte across any qtop write.
 *
 * One redis-server and two workers per setup; each test file picks setups so it stays short.
 */

import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { control } from '../commands/control-helpers.js';
import { CELERY_APP_DIR, celeryEnv, PYTHON, startWorker, type Worker } from './celery-worker.js';
import { type RedisServer, startRedis } from './redis-server.js';
import type { CeleryVersion } from './shared-trees.js';
import { waitFor } from './wait-for.js';

type Queue = 'hi' | 'lo' | 'park';

export interface MatrixSetup {
  name: string;
  /** The app's switches (qtop_test_app.py) for workers and producers alike. */
  env: Record<string, string>;
  /** qtop's global options that describe the same cluster. */
  qtopArgs: string[];
  /** Broker global_keyprefix (unacked, binding and list keys carry it). */
  keyprefix?: string;
  /** Result backend global_keyprefix (Celery >= 5.3). */
  backendPrefix?: string;
  /** How a producer of this app addresses `queue`: Celery's send_task options. */
  route(queue: Queue): PyOptions;
  /** The Redis list the producer's message for `queue` lands in (priority list, prefix). */
  list(queue: Queue): string;
  /**
   * Measured on Celery 5.2.6 and 5.6.3 with no qtop involved: a restarted worker restoring an
   * unacked message published through a topic exchange (visibility timeout) drops it: its restore
   * looks the exchange up as direct. Celery's own lost messages then never run again; what qtop
   * wrote (delivery_info aimed at the queue itself) must still come back.
   */
  restartDropsCeleryMessages?: boolean;
  /**
   * A named exchange whose bindings cannot tell direct from fanout (no pattern): with every worker
   * down, qtop cannot learn its type from active_queues and needs `--exchange-type NAME=direct`.
   */
  untypedExchange?: string;
}

/** Options of Celery's `send_task`, as send_tasks.py --batch passes them on. */
type PyOptions = { queue?: string; exchange?: string; routing_key?: string; priority?: number };

const COUNT_LIST = 'qtop-matrix-runs';
const VISIBILITY_S = 10;
const HOLD_KEY = 'qtop-matrix-hold';
const HOLDING_LIST = 'qtop-matrix-holding';
const exec = promisify(execFile);

/** One send of a batch: a task on one of the setup's queues. */
interface Send {
  name: string;
  args: unknown[];
  kwargs?: Record<string, unknown>;
  queue: Queue;
}

const count = (tag: string, queue: Queue, kwargs?: Record<string, unknown>): Send => ({
  name: 'app.count_run',
  args: [tag],
  queue,
  ...(kwargs ? { kwargs } : {}),
});

/** app.hold: a worker stays busy until the test pushes a token to HOLD_KEY. */
const hold = (queue: Queue): Send => ({ name: 'app.hold', args: [HOLD_KEY, 60, HOLDING_LIST], queue });

function byQueue(queue: Queue): PyOptions {
  return { queue };
}

export const SETUPS = {
  default: {
    name: 'default routing',
    env: {},
    qtopArgs: [],
    route: byQueue,
    list: (q) => q,
  },
  direct: {
    name: "a named direct exchange ('tasks', routing keys hi.key …)",
    env: { QTOP_ROUTING: 'direct' },
    qtopArgs: [],
    route: (q) => ({ exchange: 'tasks', routing_key: `${q}.key` }),
    list: (q) => q,
    untypedExchange: 'tasks',
  },
  topic: {
    name: "a topic exchange ('tasks.topic', task.hi.# / task.lo.* / task.park.#)",
    env: { QTOP_ROUTING: 'topic' },
    qtopArgs: [],
    route: (q) => ({ exchange: 'tasks.topic', routing_key: `task.${q}.count_run` }),
    list: (q) => q,
    restartDropsCeleryMessages: true,
  },
  priority: {
    name: "priorities: sep ':', 10 steps, queue_order_strategy priority (sent at priority 6)",
    env: { QTOP_SEP: ':', QTOP_PRIORITY_STEPS: '10' },
    qtopArgs: ['--sep', ':', '--priority-steps', '0,1,2,3,4,5,6,7,8,9'],
    route: (q) => ({ queue: q, priority: 6 }),
    list: (q) => `${q}:6`,
  },
  keyprefix: {
    name: "broker global_keyprefix 'pfx:'",
    env: { QTOP_GLOBAL_KEYPREFIX: 'pfx:' },
    qtopArgs: ['--keyprefix', 'pfx:'],
    keyprefix: 'pfx:',
    route: byQueue,
    list: (q) => `pfx:${q}`,
  },
  backendPrefix: {
    name: "broker global_keyprefix 'pfx:' and result backend global_keyprefix 'bk:'",
    env: { QTOP_GLOBAL_KEYPREFIX: 'pfx:', QTOP_BACKEND_KEYPREFIX: 'bk:' },
    qtopArgs: ['--keyprefix', 'pfx:', '--backend-keyprefix', 'bk:'],
    keyprefix: 'pfx:',
    backendPrefix: 'bk:',
    route: byQueue,
    list: (q) => `pfx:${q}`,
  },
} satisfies Record<string, MatrixSetup>;

interface Run {
  id: string;
  tag: string;
  worker: string;
}

/**
 * The matrix for `setup` on `celery`: a describe block whose tests run in order, each a step of
 * one story on one cluster; the last ones check the workers' own count per task.
 */
export function describeMatrix(celery: CeleryVersion, setup: MatrixSetup): void {
  describe(`${setup.name} on Celery ${celery}`, () => {
    let server: RedisServer;
    let redis: Redis;
    let brokerUrl: string;
    const workers = new Map<string, Worker>();
    /** tag -> the task ids that must each have run exactly once (and no other id of that tag). */
    const expected = new Map<string, string[]>();
    /** ids that must never run. */
    const never = new Map<string, string>();
    const env = {
      ...setup.env,
      QTOP_COUNT_LIST: COUNT_LIST,
      QTOP_RESULT_EXTENDED: '1',
      QTOP_VISIBILITY_TIMEOUT: String(VISIBILITY_S),
    };
    const pfx = setup.keyprefix ?? '';

    beforeAll(async () => {
      server = await startRedis();
      brokerUrl = server.url(0);
      redis = new Redis(brokerUrl);
    });

    afterAll(async () => {
      await Promise.all([...workers.values()].map((w) => w.stop(5_000)));
      redis?.disconnect();
      await server?.stop();
    });

    /** Send `items` in this order from one Python process; resolves with their task ids. */
    async function send(items: Send[], extraEnv: Record<string, string> = {}): Promise<string[]> {
      const batch = items.map((i) => ({
        name: i.name,
        args: i.args,
        kwargs: i.kwargs ?? {},
        options: setup.route(i.queue),
      }));
      const { stdout } = await exec(
        PYTHON,
        [path.join(CELERY_APP_DIR, 'send_tasks.py'), '--batch', JSON.stringify(batch)],
        { cwd: CELERY_APP_DIR, env: celeryEnv(brokerUrl, undefined, { ...env, ...extraEnv }, celery) },
      );
      const ids = stdout.split('\n').filter((line) => line.trim() !== '');
      expect(ids).toHaveLength(items.length);
      return ids;
    }

    /** Wait until `n` holds in all have started (each keeps one worker busy). */
    async function waitHolding(n: number): Promise<void> {
      await waitFor(async () => (await redis.llen(HOLDING_LIST)) >= n, 20_000, `${n} app.hold tasks to run`);
    }

    async function release(n: number): Promise<void> {
      await redis.rpush(HOLD_KEY, ...Array.from({ length: n }, () => 'go'));
    }

    /** Wait until every id of `ids` is in the broker's `unacked` hash. */
    async function waitReserved(ids: string[], what: string): Promise<void> {
      let held: string[] = [];
      await waitFor(
        async () => {
          held = await unackedIds();
          return ids.every((id) => held.includes(id));
        },
        20_000,
        () => `${what} to be reserved (unacked holds ${held.length}: ${held.join(', ')})`,
      );
    }

    function start(name: string): Promise<Worker> {
      return startWorker({
        brokerUrl,
        name,
        celery,
        queues: ['hi', 'lo'],
        // Threads, not solo: a solo worker fetches nothing while it runs a task, so it would
        // hold no reserved (unacked) messages for a shutdown or a crash to leave behind.
        pool: 'threads',
        concurrency: 1,
        prefetchMultiplier: 8,
        env,
      }).then((w) => {
        workers.set(name, w);
        return w;
      });
    }

    /** Every `_kombu.binding.*` set, members sorted as raw bytes. */
    async function bindings(): Promise<Record<string, string[]>> {
      const keys = (await redis.keys(`${pfx}_kombu.binding.*`)).sort();
      const out: Record<string, string[]> = {};
      for (const key of keys) {
        const members = await redis.smembersBuffer(key);
        out[key] = members.map((m) => m.toString('hex')).sort();
      }
      return out;
    }

    /** A qtop write; the binding sets must be byte-equal before and after it. */
    async function write(args: string[]) {
      const before = await bindings();
      const result = await control(brokerUrl, [...args, ...setup.qtopArgs]);
      expect(await bindings(), `bindings after qtop ${args.join(' ')}`).toEqual(before);
      return result;
    }

    async function runs(): Promise<Run[]> {
      return (await redis.lrange(COUNT_LIST, 0, -1)).map((line) => JSON.parse(line) as Run);
    }

    async function metaStatus(id: string): Promise<string | null> {
      const raw = await redis.get(`${setup.backendPrefix ?? ''}celery-task-meta-${id}`);
      return raw === null ? null : String((JSON.parse(raw) as { status?: unknown }).status);
    }

    /** Task ids of the messages in the broker's `unacked` hash (reserved by some worker). */
    async function unackedIds(): Promise<string[]> {
      const values = await redis.hvals(`${pfx}unacked`);
      return values.map((v) => (JSON.parse(v) as [{ headers: { id: string } }])[0].headers.id);
    }

    function expectOnce(tag: string, id: string) {
      expected.set(tag, [...(expected.get(tag) ?? []), id]);
    }

    it('move, retry from a queued message, delete, purge (no worker consuming yet)', async () => {
      // The producer declares every queue first (as one that sent to them before would have):
      // qtop must find the bindings, never make them.
      const [, move, retried, deleted, purged] = await send(
        [
          { name: 'app.add', args: [0, 0], queue: 'hi' },
          count('move', 'park'),
          count('retry-queued', 'park'),
          count('delete', 'hi'),
          count('purge', 'park'),
        ],
        { QTOP_DECLARE_QUEUES: 'hi,lo,park' },
      );
      expect(await redis.llen(setup.list('park'))).toBe(3);
      expect(await redis.llen(setup.list('hi'))).toBe(2);

      const moved = await write(['message', 'move', 'park', move!, '--to', 'lo']);
      expect(moved.run.code, moved.out.summary).toBe(0);
      expectOnce('move', move!);

      // The original still waits: a plain retry would leave two live copies, so qtop refuses it.
      const refused = await write(['retry', retried!, '--queue', 'hi']);
      expect(refused.run.code, refused.out.summary).toBe(2);
      expect(await redis.llen(setup.list('hi'))).toBe(2);
      const again = await write(['retry', retried!, '--queue', 'hi', '--remove-original']);
      expect(again.run.code, again.out.summary).toBe(0);
      const [link] = again.out.details.retried as Array<{ newId: string }>;
      expectOnce('retry-queued', link!.newId);
      never.set(retried!, 'the original of a retry with --remove-original');
      expect(await redis.llen(setup.list('park'))).toBe(1);
      expect(await redis.llen(setup.list('hi'))).toBe(3);

      const gone = await write(['message', 'delete', 'hi', deleted!]);
      expect(gone.run.code, gone.out.summary).toBe(0);
      never.set(deleted!, 'deleted');

      const purge = await write(['purge', 'park', '--confirm', 'park']);
      expect(purge.run.code, purge.out.summary).toBe(0);
      never.set(purged!, 'purged');
      expect(await redis.llen(setup.list('park'))).toBe(0);
    });

    it('retry from result meta (result_extended) takes the original route', async () => {
      await Promise.all([start('m1'), start('m2')]);
      const [failed] = (await send([count('retry-meta', 'hi', { fail: true })])) as [string];
      expectOnce('retry-meta', failed);
      await waitFor(async () => (await metaStatus(failed)) === 'FAILURE', 20_000, `FAILURE of ${failed}`);
      // Under load the worker's ack can trail the FAILURE meta; until then qtop rightly refuses
      // (the original still sits in unacked), which is not what this step tests.
      await waitFor(async () => !(await unackedIds()).includes(failed), 20_000, `${failed} acked`);
      const again = await write(['retry', failed]);
      expect(again.run.code, again.out.summary).toBe(0);
      const [link] = again.out.details.retried as Array<{ newId: string }>;
      expectOnce('retry-meta', link!.newId);
      await waitFor(
        async () => (await metaStatus(link!.newId)) === 'FAILURE',
        20_000,
        `the retry ${link!.newId} of ${failed} to run (FAILURE on purpose)`,
      );
    });

    it('a warm shutdown restores what the worker had reserved, a moved message included', async () => {
      // Both workers busy, so what follows is reserved (unacked), not run.
      await send([hold('hi'), hold('lo')]);
      await waitHolding(2);
      const [moving, ...rest] = await send([
        count('move-reserved', 'park'),
        count('warm-1', 'hi'),
        count('warm-2', 'lo'),
        count('warm-3', 'hi'),
      ]);
      const moved = await write(['message', 'move', 'park', moving!, '--to', 'hi']);
      expect(moved.run.code, moved.out.summary).toBe(0);
      expectOnce('move-reserved', moving!);
      for (const [i, id] of rest.entries()) expectOnce(`warm-${i + 1}`, id);
      await waitReserved([moving!, ...rest], 'the warm-* and move-reserved messages');
      const m1 = workers.get('m1')!;
      const stopping = m1.stop(20_000);
      await release(2); // both holds end; m1 then exits and kombu restores what it had reserved
      await stopping;
      expect(await m1.exited).toBe(0);
      workers.delete('m1');
    });

    it('retry from a killed worker unacked entry; restart; the visibility timeout restores the rest', async () => {
      const m2 = workers.get('m2')!;
      await send([hold('hi')]);
      await waitHolding(3);
      const [moving, ...lost] = await send([
        count('move-lost', 'park'),
        count('lost-1', 'hi'),
        count('lost-2', 'lo'),
        count('lost-3', 'hi'),
      ]);
      const moved = await write(['message', 'move', 'park', moving!, '--to', 'lo']);
      expect(moved.run.code, moved.out.summary).toBe(0);
      expectOnce('move-lost', moving!);
      for (const [i, id] of lost.entries()) {
        if (i === 0) continue; // lost-1 is retried below
        if (setup.restartDropsCeleryMessages) never.set(id, `lost-${i + 1}: kombu drops it on restore`);
        else expectOnce(`lost-${i + 1}`, id);
      }
      await waitReserved([moving!, ...lost], 'the lost-* and move-lost messages');
      m2.kill('SIGKILL');
      await m2.exited;
      await m2.stop();
      workers.delete('m2');

      // No worker is running now: a direct exchange's type is in no binding and no worker tells
      // it, so qtop refuses rather than guess (a fanout exchange looks the same) until told.
      const typeArgs = setup.untypedExchange ? ['--exchange-type', `${setup.untypedExchange}=direct`] : [];
      if (setup.untypedExchange) {
        const unknown = await write(['--timeout', '1', 'retry', lost[0]!, '--remove-original']);
        expect(unknown.run.code, unknown.out.summary).toBe(2);
        expect(unknown.out.summary).toContain('exchange type unknown: give --exchange-type NAME=TYPE');
        expect(await unackedIds()).toContain(lost[0]);
      }
      // Its entry waits in unacked for kombu to restore: retry only together with removing it.
      const refused = await write(['retry', lost[0]!, ...typeArgs]);
      expect(refused.run.code, refused.out.summary).toBe(2);
      expect(refused.out.summary).toContain('unacked');
      const again = await write(['retry', lost[0]!, '--remove-original', ...typeArgs]);
      expect(again.run.code, again.out.summary).toBe(0);
      const [link] = again.out.details.retried as Array<{ newId: string }>;
      expectOnce('lost-1', link!.newId);
      never.set(lost[0]!, 'the lost original of a retry with --remove-original');
      expect(await unackedIds()).not.toContain(lost[0]);
      await release(1); // for the hold that kombu restores and the new m2 runs again
      // kombu restores entries older than visibility_timeout when a worker's poller starts (and
      // then only every 100 s: restore_visible runs on every 10th call of a 10 s timer), so the
      // restart waits until the newest entry has passed the timeout: an observable point.
      const scores = await redis.zrange(`${pfx}unacked_index`, '0', '-1', 'WITHSCORES');
      const newest = Math.max(...scores.filter((_, i) => i % 2 === 1).map(Number));
      await waitFor(
        () => Date.now() / 1000 > newest + VISIBILITY_S + 0.5,
        VISIBILITY_S * 1000 + 5_000,
        'the visibility timeout to pass',
        200,
      );
      await start('m2');
      let missing: string[] = [];
      await waitFor(
        async () => {
          missing = await pendingRuns();
          return (await unackedIds()).length === 0 && missing.length === 0;
        },
        30_000,
        () => `every task to run (still missing: ${missing.join(', ')})`,
      );
    }, 90_000);

    /** Tags that have not run yet. */
    async function pendingRuns(): Promise<string[]> {
      const seen = new Set((await runs()).map((r) => r.tag));
      return [...expected.keys()].filter((tag) => !seen.has(tag));
    }

    it('every task that should run ran exactly once (counted by the workers)', async () => {
      // Late duplicates (a restored original) would come within a poll or two of the restore.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const all = await runs();
      const counts = new Map<string, number>();
      for (const r of all) counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
      const wrong: string[] = [];
      for (const [tag, ids] of expected) {
        const ran = all.filter((r) => r.tag === tag);
        for (const id of ids) {
          const n = counts.get(id) ?? 0;
          if (n !== 1) wrong.push(`${tag} ${id}: ran ${n} times`);
        }
        const stray = ran.filter((r) => !ids.includes(r.id));
        if (stray.length) wrong.push(`${tag}: unexpected ids ran: ${stray.map((r) => r.id)}`);
      }
      for (const [id, why] of never) {
        if (counts.has(id)) wrong.push(`${id} (${why}) ran ${counts.get(id)} times`);
      }
      expect(wrong).toEqual([]);
      expect(await redis.hlen(`${pfx}unacked`)).toBe(0);
      // No list named after a routing key (where a write that confused the two would have put it).
      const keys = (['hi', 'lo', 'park'] as const).flatMap((q) => setup.route(q).routing_key ?? []);
      for (const key of keys) expect(await redis.exists(`${pfx}${key}`), key).toBe(0);
    });
  });
}

/**
 * A fanout exchange: kombu's Redis transport PUBLISHes fanout messages to the workers subscribed
 * at that instant and into no list, so there is nothing to move, delete or purge, and a retry
 * through the exchange could run once per subscribed worker. qtop refuses that retry, writes
 * nothing, and the task that ran once stays run once.
 */
export function describeFanout(celery: CeleryVersion): void {
  describe(`a fanout exchange ('tasks.fanout') on Celery ${celery}`, () => {
    let server: RedisServer;
    let redis: Redis;
    let worker: Worker;
    let id = '';
    const env = {
      QTOP_ROUTING: 'fanout',
      QTOP_COUNT_LIST: COUNT_LIST,
      QTOP_RESULT_EXTENDED: '1',
      QTOP_VISIBILITY_TIMEOUT: String(VISIBILITY_S),
    };

    beforeAll(async () => {
      server = await startRedis();
      redis = new Redis(server.url(0));
      worker = await startWorker({ brokerUrl: server.url(0), name: 'f1', celery, queues: ['hi'], env });
    });

    afterAll(async () => {
      await worker?.stop(5_000);
      redis?.disconnect();
      await server?.stop();
    });

    it('a task through the exchange runs once; its retry is refused and writes nothing', async () => {
      const batch = [
        {
          name: 'app.count_run',
          args: ['fan'],
          kwargs: { fail: true },
          options: { exchange: 'tasks.fanout', routing_key: 'fan' },
        },
      ];
      const { stdout } = await exec(
        PYTHON,
        [path.join(CELERY_APP_DIR, 'send_tasks.py'), '--batch', JSON.stringify(batch)],
        { cwd: CELERY_APP_DIR, env: celeryEnv(server.url(0), undefined, env, celery) },
      );
      id = stdout.trim();
      await waitFor(async () => (await redis.llen(COUNT_LIST)) === 1, 20_000, `${id} to run`);
      await waitFor(
        async () => (await redis.get(`celery-task-meta-${id}`))?.includes('"FAILURE"') === true,
        20_000,
        `FAILURE meta of ${id}`,
      );
      const keysBefore = (await redis.keys('*')).sort();
      const before = await Promise.all(
        keysBefore.filter((k) => k.startsWith('_kombu.binding.')).map((k) => redis.smembers(k)),
      );
      // kombu keeps an exchange's type in the declaring process only; a fanout table looks direct
      // in Redis, so the operator may name it (the next step learns it from the worker instead).
      const { out, run } = await control(server.url(0), [
        'retry',
        id,
        '--exchange-type',
        'tasks.fanout=fanout',
      ]);
      expect(run.code, out.summary).toBe(2);
      expect(out.summary).toMatch(/fanout|no queue matches/);
      expect((await redis.keys('*')).sort()).toEqual(keysBefore);
      const after = await Promise.all(
        keysBefore.filter((k) => k.startsWith('_kombu.binding.')).map((k) => redis.smembers(k)),
      );
      expect(after.map((m) => m.sort())).toEqual(before.map((m) => m.sort()));
      // Anything published would have reached the subscribed worker within its next poll.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(await redis.lrange(COUNT_LIST, 0, -1)).toHaveLength(1);
    });

    it('refuses the retry without --exchange-type too', async () => {
      // The worker's active_queues reply declares 'tasks.fanout' as fanout.
      const { out, run } = await control(server.url(0), ['retry', id]);
      expect(run.code, out.summary).toBe(2);
      expect(out.summary).toMatch(/"tasks\.fanout" is fanout/);
      for (const q of ['hi', 'lo', 'park']) expect(await redis.llen(q)).toBe(0);
      expect(await redis.lrange(COUNT_LIST, 0, -1)).toHaveLength(1);
    });

    it('with no worker answering, says the type is unknown rather than guessing direct', async () => {
      await worker.stop(10_000);
      const { out, run } = await control(server.url(0), ['--timeout', '1', 'retry', id]);
      expect(run.code, out.summary).toBe(2);
      expect(out.summary).toContain('exchange type unknown: give --exchange-type NAME=TYPE');
      for (const q of ['hi', 'lo', 'park']) expect(await redis.llen(q)).toBe(0);
    });
  });
}
