import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ResultMeta } from '../../src/celery/types.js';
import { createResultScanner, readResults, subscribeResults } from '../../src/sources/result-source.js';
import type { Action } from '../../src/store/actions.js';
import { parseCeleryTime } from '../../src/store/task-merge.js';
import { fixture } from '../celery/fixture-files.js';
import { sendTasks, startWorker, type Worker } from '../helpers/celery-worker.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { celeryVersions } from '../helpers/shared-trees.js';
import { waitFor } from '../helpers/wait-for.js';
import { watchCommands, writesOrBlocking } from './redis-watch.js';

type ResultsRead = Extract<Action, { type: 'results/read' }>;

// Eight captured metas with distinct task ids (result-meta-started shares success's id).
const metaFiles = [
  'result-meta-success.json',
  'result-meta-success-extended.json',
  'result-meta-failure.json',
  'result-meta-failure-extended.json',
  'result-meta-retry.json',
  'result-meta-revoked.json',
  'result-meta-revoked-expired-extended.json',
  'result-meta-group-member-extended.json',
];
const metaIds = metaFiles.map((file) => (JSON.parse(fixture(file)) as { task_id: string }).task_id);

let server: RedisServer;
const clients: Redis[] = [];

function connect(db: number): Redis {
  const client = new Redis(server.url(db));
  clients.push(client);
  return client;
}

function ids(actions: ResultsRead[]): string[] {
  return actions.flatMap((a) => a.metas.map((m: ResultMeta) => m.taskId)).sort();
}

beforeAll(async () => {
  server = await startRedis();
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await server?.stop();
});

describe('createResultScanner and readResults', () => {
  let backend: Redis;
  beforeAll(() => {
    backend = connect(2);
  });
  beforeEach(async () => {
    await backend.flushdb();
  });

  async function seed(): Promise<void> {
    for (const [i, file] of metaFiles.entries())
      await backend.set(`celery-task-meta-${metaIds[i]}`, fixture(file));
    await backend.set('celery-task-meta-garbage', 'not json');
    await backend.set('celery-task-meta-nostatus', '{"task_id": "x"}');
    // Not task metas: never read.
    await backend.set('celery-taskset-meta-g1', '{"result": []}');
    await backend.set('unrelated', 'x');
  }

  it('reads 10 keys in pages of budget 3: four calls, then done, then idle until the rescan', async () => {
    await seed();
    const scanner = createResultScanner(backend, { budget: 3, rescanMs: 10_000 });
    const pages: ResultsRead[] = [];
    for (let call = 1; call <= 4; call++) {
      expect(scanner.done).toBe(false);
      const page = await scanner.next(1000 + call);
      expect(page).toMatchObject({ type: 'results/read', via: 'scan', at: 1000 + call });
      pages.push(page!);
    }
    expect(pages.map((p) => p.metas.length + p.malformed)).toEqual([3, 3, 3, 1]);
    expect(scanner.done).toBe(true);
    expect(ids(pages)).toEqual([...metaIds].sort());
    expect(pages.reduce((n, p) => n + p.malformed, 0)).toBe(2);

    expect(await scanner.next(5000)).toBeNull();
    const again = await scanner.next(1004 + 10_000);
    expect(again?.metas.length).toBeGreaterThan(0);
    expect(scanner.done).toBe(false);
  });

  it('sends only SCAN and at most `budget` bounded GETRANGEs per call', async () => {
    await seed();
    const scanner = createResultScanner(backend, { budget: 3, maxValueChars: 4096 });
    const watch = await watchCommands(server.url(2), backend);
    await scanner.next(0);
    const commands = await watch.stop();
    expect(writesOrBlocking(commands)).toEqual([]);
    expect(commands[0]).toBe('scan 0 MATCH celery-task-meta-* COUNT 200');
    const reads = commands.slice(1);
    expect(reads).toHaveLength(3);
    expect(reads.every((c) => /^getrange celery-task-meta-\S+ 0 4096$/.test(c))).toBe(true);
  });

  it('walks a large keyspace within the budget on every call', async () => {
    const pipe = backend.pipeline();
    for (let i = 0; i < 1000; i++)
      pipe.set(`celery-task-meta-t${i}`, JSON.stringify({ status: 'SUCCESS', task_id: `t${i}` }));
    await pipe.exec();
    const scanner = createResultScanner(backend, { budget: 50 });
    const pages: ResultsRead[] = [];
    for (let call = 0; call < 100 && !scanner.done; call++) {
      const page = await scanner.next(call);
      if (page) pages.push(page);
    }
    expect(scanner.done).toBe(true);
    expect(pages.every((p) => p.metas.length <= 50)).toBe(true);
    expect(new Set(ids(pages)).size).toBe(1000);
    expect(pages.length).toBeLessThanOrEqual(21);
  });

  it('counts values over the cap and keys of another type as malformed', async () => {
    const big = JSON.stringify({ status: 'SUCCESS', result: 'x'.repeat(2000), task_id: 'big' });
    await backend.set('celery-task-meta-big', big);
    await backend.set('celery-task-meta-small', fixture('result-meta-success.json'));
    await backend.rpush('celery-task-meta-listy', 'a');
    const capped = await createResultScanner(backend, { budget: 10, maxValueChars: 1000 }).next(0);
    expect(capped!.metas.map((m) => m.taskId)).toEqual([metaIds[0]]);
    expect(capped!.malformed).toBe(2);
    const uncapped = await createResultScanner(backend, { budget: 10 }).next(0);
    expect(uncapped!.metas.map((m) => m.taskId).sort()).toEqual([metaIds[0], 'big'].sort());
    expect(uncapped!.metas.find((m) => m.taskId === 'big')!.result).toHaveLength(2000);
  });

  it('readResults GETs chosen ids; a missing key is pending, not malformed', async () => {
    await seed();
    const read = await readResults(backend, [metaIds[2]!, 'no-such-task', 'garbage'], 77);
    expect(read).toMatchObject({ type: 'results/read', via: 'get', at: 77, malformed: 1 });
    expect(read.metas.map((m) => [m.taskId, m.status])).toEqual([[metaIds[2], 'FAILURE']]);
    expect(read.metas[0]!.exception).toMatchObject({ type: 'ValueError', message: ['kaboom'] });
  });
});

describe('subscribeResults', () => {
  it('receives PUBLISHes from any db in batches, ignores other patterns and stops cleanly', async () => {
    const subscriber = connect(0);
    const publisher = connect(5); // pub/sub ignores SELECT (wire doc 1, 9.1)
    const actions: ResultsRead[] = [];
    const sub = await subscribeResults(
      subscriber,
      (a) => actions.push(a as ResultsRead),
      () => 42,
    );
    await subscriber.psubscribe('/0.celeryev/*'); // a shared subscriber also carries events
    const pipe = publisher.pipeline();
    pipe.publish(`celery-task-meta-${metaIds[0]}`, fixture('result-meta-success.json'));
    pipe.publish('/0.celeryev/task.multi', fixture('result-meta-failure.json'));
    for (let i = 0; i < 20; i++)
      pipe.publish(`celery-task-meta-b${i}`, JSON.stringify({ status: 'RETRY', task_id: `b${i}` }));
    pipe.publish('celery-task-meta-bad', 'garbage');
    await pipe.exec();
    await waitFor(
      () => actions.reduce((n, a) => n + a.metas.length + a.malformed, 0) === 22,
      5_000,
      '22 messages',
    );
    expect(actions.every((a) => a.via === 'pubsub' && a.at === 42)).toBe(true);
    expect(actions.length).toBeLessThan(22); // batched, not one action per message
    expect(ids(actions)).toContain(metaIds[0]);
    expect(ids(actions)).not.toContain(metaIds[2]);
    expect(actions.reduce((n, a) => n + a.malformed, 0)).toBe(1);

    await sub.stop();
    expect(await publisher.pubsub('NUMPAT')).toBe(1); // only the events pattern is left
    const seen = actions.length;
    let fence = false;
    subscriber.on('pmessage', (_pattern: string, channel: string) => {
      if (channel === '/0.celeryev/fence') fence = true;
    });
    await publisher.publish('celery-task-meta-late', fixture('result-meta-success.json'));
    // Messages arrive in order: once the fence is here, a late result would have been too.
    await publisher.publish('/0.celeryev/fence', 'y');
    await waitFor(() => fence, 5_000, 'the fence message');
    await new Promise((resolve) => setImmediate(resolve));
    expect(actions.length).toBe(seen);
  });
});

describe.each(celeryVersions())('with a real Celery %s worker running app.add', (celery) => {
  let worker: Worker;
  beforeAll(async () => {
    worker = await startWorker({ brokerUrl: server.url(0), name: 'results', concurrency: 1, celery });
  });
  afterAll(async () => {
    await worker?.stop();
  });

  it('delivers the published result live, and the scanner and readResults find it stored', async () => {
    const actions: ResultsRead[] = [];
    const sub = await subscribeResults(connect(0), (a) => actions.push(a as ResultsRead), Date.now);
    try {
      const sent = Date.now() / 1000;
      const [id] = await sendTasks(server.url(0), 'app.add', [2, 3], { celery });
      const success = () =>
        actions.flatMap((a) => a.metas).find((m) => m.taskId === id && m.status === 'SUCCESS');
      await waitFor(() => success() !== undefined, 30_000, 'the SUCCESS result of app.add on pub/sub');
      expect(success()!.result).toBe(5);
      // task_track_started is on in the test app, so STARTED was published first.
      expect(actions.flatMap((a) => a.metas).find((m) => m.taskId === id)!.status).toBe('STARTED');
      // date_done is naive UTC from 5.2 and carries +00:00 from 5.6: both read as the same instant.
      const done = parseCeleryTime(success()!.dateDone!);
      expect(success()!.dateDone!.endsWith('+00:00')).toBe(celery === '5.6');
      expect(done! - sent).toBeGreaterThan(-1);
      expect(done! - sent).toBeLessThan(30);

      const backend = connect(0);
      const scanned = await createResultScanner(backend, { budget: 100 }).next(0);
      expect(scanned!.metas.map((m) => [m.taskId, m.status])).toContainEqual([id, 'SUCCESS']);
      const read = await readResults(backend, [id!], 0);
      expect(read.metas[0]).toMatchObject({ taskId: id, status: 'SUCCESS', result: 5 });
    } finally {
      await sub.stop();
    }
  });
});
