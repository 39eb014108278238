import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/snapshot/select-snapshot.js';
import { runQtop, spawnQtop } from '../helpers/qtop-cli.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { schemaErrors } from '../helpers/schema.js';
import { fillQueue, heartbeat, taskMessage, taskReceived } from './wire.js';

// Whatever the cluster holds, `qtop --json` prints valid JSON that is inert on a terminal. Task
// names, args, results, tracebacks, hostnames and queue names below carry ESC/CSI, an OSC 52
// clipboard write, C1 controls (U+009B is CSI on 8-bit terminals), bidi overrides (Trojan Source),
// a line separator, DEL, and invalid UTF-8, through the real CLI.
const evil = '\x1b[31mred\x1b]52;c;ZXZpbA==\x07\u009b2J\u0085\u202egnp.exe\u2066x\u2069\u2028\u007f';
const hostname = `w${evil}@vm`;
const queue = `q-${evil}`;
const taskName = `app.${evil}`;
/** Raw bytes no UTF-8 decoder accepts, inside a message body and a result. */
const badUtf8 = Buffer.from([0xff, 0xfe, 0xc0, 0x80, 0xed, 0xa0, 0x80]);

/** Anything a terminal could act on, or that reorders text, left raw in the output. */
const ACTIVE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

let server: RedisServer;
let redis: Redis;

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url(0));
  const brokenBody = Buffer.concat([
    Buffer.from('{"body": "[[\\"'),
    badUtf8,
    Buffer.from('\\"], {}, {}]", "content-type": "application/json", "content-encoding": "utf-8", '),
    Buffer.from(`"headers": {"lang": "py", "task": ${JSON.stringify(taskName)}, "id": "bad-utf8"}, `),
    Buffer.from(
      '"properties": {"delivery_info": {"exchange": "", "routing_key": "x"}, "delivery_tag": "t"}}',
    ),
  ]);
  await fillQueue(redis, queue, [
    taskMessage({ id: 'hostile-queued', name: taskName, args: [evil, { k: evil }] }),
    brokenBody,
  ]);
  await redis.set(
    'celery-task-meta-hostile-1',
    JSON.stringify({
      status: 'FAILURE',
      result: { exc_type: 'ValueError', exc_message: [evil], exc_module: 'builtins' },
      traceback: `Traceback (most recent call last):\n  File "x.py"\nValueError: ${evil}\n`,
      children: [],
      date_done: '2026-11-24T12:00:00.000000',
      task_id: 'hostile-1',
    }),
  );
  await redis.set(
    'celery-task-meta-hostile-2',
    Buffer.concat([
      Buffer.from('{"status": "SUCCESS", "result": "'),
      badUtf8,
      Buffer.from('", "task_id": "hostile-2"}'),
    ]),
  );
});

afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
});

function inert(line: string): Snapshot {
  expect(line).not.toMatch(ACTIVE);
  const snap = JSON.parse(line) as Snapshot;
  expect(schemaErrors(snap)).toEqual([]);
  return snap;
}

describe('qtop --json with hostile cluster data', () => {
  it('one snapshot: queue names, task names, args, results and tracebacks arrive intact and inert', async () => {
    const result = await runQtop(['-b', server.url(0), '--json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const snap = inert(result.stdout.trimEnd());
    const q = snap.queues.find((row) => row.name === queue)!;
    expect(q.total).toBe(2);
    expect(q.peek[0]).toMatchObject({ id: 'hostile-queued', name: taskName, args: [evil, { k: evil }] });
    // Invalid UTF-8 reads as U+FFFD, as any UTF-8 decoder gives it; the message is still shown.
    expect(q.peek[1]).toMatchObject({
      id: 'bad-utf8',
      name: taskName,
      args: [expect.stringMatching(/^\uFFFD+$/)],
    });
    const failure = snap.failures.find((f) => f.exampleId === 'hostile-1')!;
    expect(failure.exampleTraceback).toContain(evil);
    expect(snap.tasks.rows.find((t) => t.id === 'hostile-1')?.exception).toContain('ValueError');
    expect(snap.tasks.rows.find((t) => t.id === 'hostile-2')?.state).toBe('SUCCESS');
    expect(snap.meta.counters.resultsMalformed).toBe(0);
  });

  it('--watch: hostnames and task events from the event channel too', async () => {
    const watch = spawnQtop(['-b', server.url(0), '--json', '--watch', '--interval', '0.3']);
    const publish = setInterval(() => {
      void redis.publish('/0.celeryev/worker.heartbeat', heartbeat(hostname));
      void redis.publish(
        '/0.celeryev/task.multi',
        taskReceived(hostname, 'hostile-ev', taskName, `('${evil}',)`),
      );
    }, 200);
    try {
      await watch.waitForLine<Snapshot>(
        (s) =>
          s.workers.some((w) => w.hostname === hostname) && s.tasks.rows.some((t) => t.id === 'hostile-ev'),
        10_000,
      );
      for (const line of watch.lines) inert(line);
      const snap = JSON.parse(watch.lines.at(-1)!) as Snapshot;
      expect(snap.workers.find((w) => w.hostname === hostname)?.state).toBe('online');
      const row = snap.tasks.rows.find((t) => t.id === 'hostile-ev')!;
      expect(row).toMatchObject({ name: taskName, worker: hostname });
      expect(row.argsPreview).toContain('gnp.exe');
    } finally {
      clearInterval(publish);
      expect(await watch.stop('SIGINT')).toBe(0);
    }
  });
});
