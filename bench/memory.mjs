#!/usr/bin/env node
// Memory: RSS of qtop's store after 100k, 1M and 5M distinct tasks with the default caps
// (10,000 tasks held). In-process: synthetic Celery 5.2 task events (received / started /
// succeeded, 2% failed with a traceback) from 50 workers and 20 task names, decoded by qtop's own
// decodeEventObject and dispatched to createStore() in task.multi-sized actions (24 events).
// After each checkpoint a full GC runs, then RSS and heap are read. Optionally the same through
// pub/sub: qtop's pipeline in its own process (bench/sim/ingest-consumer.mjs) fed 100k tasks.
//
// Usage: node bench/memory.mjs [--quick] [--counts 100000,1000000,5000000] [--no-pubsub]
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { decodeEventObject } from '../dist/src/celery/events.js';
import { defaultModelConfig } from '../dist/src/store/model.js';
import { createStore } from '../dist/src/store/store.js';
import { buildEventPool } from './sim/event-pool.mjs';
import { memoryMb, onLines, sleep, startRedisServer, stopChild, track } from './sim/proc.mjs';
import { fmt, repoRoot, requireBuild, startReport, times } from './sim/report.mjs';
import { openPublisher } from './sim/resp-publisher.mjs';

requireBuild();
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
const { values } = parseArgs({
  options: { quick: { type: 'boolean' }, counts: { type: 'string' }, 'no-pubsub': { type: 'boolean' } },
});
const quick = values.quick === true;
const counts = (values.counts ?? (quick ? '20000,50000' : '100000,1000000,5000000')).split(',').map(Number);
const checkpoints = [
  ...new Set([defaultModelConfig.maxTasks, ...counts, ...(quick ? [] : [500_000, 2_000_000])]),
]
  .filter((n) => n <= Math.max(...counts))
  .sort((a, b) => a - b);
const report = startReport('memory: qtop store RSS by distinct tasks seen (default caps)');
report.note(
  `default caps: maxTasks ${fmt(defaultModelConfig.maxTasks)}, maxTimeline ${defaultModelConfig.maxTimeline}`,
);

function settle() {
  gc();
  gc();
  return { rss: process.memoryUsage().rss / 2 ** 20, heap: process.memoryUsage().heapUsed / 2 ** 20 };
}

const baseline = settle();
report.note(
  `baseline before the store: RSS ${baseline.rss.toFixed(0)} MB, heap ${baseline.heap.toFixed(0)} MB`,
);

const names = Array.from({ length: 20 }, (_, i) => `app.tasks.job_${String(i).padStart(2, '0')}`);
const workers = Array.from({ length: 50 }, (_, i) => `w${i + 1}@node${(i % 5) + 1}`);
const traceback =
  'Traceback (most recent call last):\n  File "/usr/lib/python3/dist-packages/celery/app/trace.py", line 451, in trace_task\n' +
  '    R = retval = fun(*args, **kwargs)\n  File "/srv/app/tasks.py", line 23, in job\n    raise ValueError(msg)\nValueError: bad input\n';
const store = createStore({ clock: { now: Date.now, setTimeout, clearTimeout }, notifyEveryMs: 100 });
const clocks = new Map(workers.map((w) => [w, 0]));
const start = Date.now() / 1000 - 3600;

function wire(hostname, type, uuid, ts, extra) {
  const clock = clocks.get(hostname) + 1;
  clocks.set(hostname, clock);
  return { hostname, utcoffset: 0, pid: 4242, clock, uuid, ...extra, timestamp: ts, type };
}

const rows = [];
let done = 0;
let batch = [];
const started = performance.now();
for (const target of checkpoints) {
  for (; done < target; done++) {
    const uuid = globalThis.crypto.randomUUID();
    const hostname = workers[done % workers.length];
    const ts = start + done * 0.0005;
    const fails = done % 50 === 7;
    const raw = [
      wire(hostname, 'task-received', uuid, ts, {
        name: names[done % names.length],
        args: `(${done}, 'customer-${done % 9973}')`,
        kwargs: "{'priority': 'normal'}",
        root_id: uuid,
        parent_id: null,
        retries: 0,
        eta: null,
        expires: null,
      }),
      wire(hostname, 'task-started', uuid, ts + 0.001, {}),
      fails
        ? wire(hostname, 'task-failed', uuid, ts + 0.05, { exception: "ValueError('bad input')", traceback })
        : wire(hostname, 'task-succeeded', uuid, ts + 0.05, {
            result: `{'ok': True, 'n': ${done}}`,
            runtime: 0.049,
          }),
    ];
    for (const item of raw) {
      const decoded = decodeEventObject(item);
      if (decoded.ok) batch.push(decoded.value);
    }
    if (batch.length >= 24) {
      store.dispatch({ type: 'events/received', at: Date.now(), events: batch, malformed: 0, bytes: 8_000 });
      batch = [];
    }
  }
  const mem = settle();
  const model = store.getModel();
  rows.push({ tasks: target, ...mem, held: model.tasks.size, evicted: model.counters.tasksEvicted });
  report.note(
    `${fmt(target)} tasks: RSS ${mem.rss.toFixed(0)} MB, heap ${mem.heap.toFixed(0)} MB, held ${fmt(model.tasks.size)}, ` +
      `evicted ${fmt(model.counters.tasksEvicted)}, ${((performance.now() - started) / 1000).toFixed(1)} s so far`,
  );
}

const atCap = rows.find((r) => r.tasks >= defaultModelConfig.maxTasks);
for (const r of rows) {
  if (!counts.includes(r.tasks)) continue;
  report.figure(
    `RSS after ${fmt(r.tasks)} distinct tasks, in-process store (default caps)`,
    `${r.rss.toFixed(0)} MB (heap ${r.heap.toFixed(0)} MB; ${fmt(r.held)} tasks held)`,
    '< 250 MB',
    `${times(250 / r.rss)} under the target`,
  );
}
// Flatness: from the first requested count (well past the cap, so caches and young generation
// are warm) to the last.
const first = rows.find((r) => r.tasks === counts[0]);
const last = rows.at(-1);
if (atCap && first && last !== first && first.tasks > atCap.tasks) {
  const rssGrowth = Math.max(...rows.filter((r) => r.tasks >= first.tasks).map((r) => r.rss)) - first.rss;
  const heapGrowth = last.heap - first.heap;
  report.figure(
    `growth past the cap, ${fmt(first.tasks)} -> ${fmt(last.tasks)} tasks`,
    `RSS ${first.rss.toFixed(0)} -> ${last.rss.toFixed(0)} MB (largest +${rssGrowth.toFixed(0)} MB), heap ${first.heap.toFixed(1)} -> ${last.heap.toFixed(1)} MB`,
    'flat once the cap is reached',
    Math.abs(heapGrowth) < 5 && rssGrowth < 25 ? 'flat' : 'grows',
  );
}

// ---------------------------------------------------------------- through pub/sub
if (!values['no-pubsub']) {
  const tasks = quick ? 10_000 : 100_000;
  const pool = buildEventPool({ tasks, batch: 24 });
  const server = await startRedisServer();
  const publisher = await openPublisher(server.port);
  const child = track(process.execPath, [`${repoRoot}/bench/sim/ingest-consumer.mjs`, server.url(0)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let latest = null;
  onLines(child.stdout, (line) => {
    latest = JSON.parse(line);
  });
  try {
    while (!latest) await sleep(20);
    await sleep(300);
    const idle = memoryMb(child.pid);
    const sent = await publisher.publish(
      pool,
      quick ? 30_000 : 60_000,
      pool.events / (quick ? 30_000 : 60_000),
    );
    const deadline = Date.now() + 30_000;
    while (latest.events < sent.events && Date.now() < deadline) await sleep(100);
    await sleep(500);
    const mem = memoryMb(child.pid);
    report.figure(
      `RSS of qtop's pipeline process (own process, via Redis pub/sub) after ${fmt(tasks)} tasks`,
      `${mem.rss.toFixed(0)} MB (idle before: ${idle.rss.toFixed(0)} MB; peak ${mem.peak.toFixed(0)} MB; ${fmt(latest.tasks)} held, ${fmt(latest.events)} of ${fmt(sent.events)} events counted)`,
      '< 250 MB',
      `${times(250 / mem.rss)} under the target`,
    );
  } finally {
    await stopChild(child, 'SIGTERM');
    publisher.close();
    await server.stop();
  }
}
