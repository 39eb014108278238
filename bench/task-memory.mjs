#!/usr/bin/env node
// Memory per held task: qtop's store holding `--max-tasks` tasks (default 100,000), fed
// `--tasks` distinct tasks (default 1.5x the cap, so eviction runs too), in-process, then a full GC.
// Reports the heap and RSS above the empty store and bytes per held task.
//
// Payload mix (Celery 5.2 events as qtop decodes them, in task.multi-sized actions of 24 events):
// each task is received / started / succeeded from one of 50 workers, 20 task names, 4 queues;
// args repr `(N, 'customer-N')` (~20 chars), kwargs `{'priority': 'normal'}`, root_id = own id,
// 1 task in 10 has a parent; results `{'ok': True, 'n': N}` (~20 chars); 1 task in 50 fails with
// an exception repr and a 6-line traceback (~330 chars) instead.
//
// Usage: node bench/task-memory.mjs [--quick] [--max-tasks 100000] [--tasks 150000]
// (--quick: 10,000 held of 15,000, to prove the script runs; not the figure.)
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { decodeEventObject } from '../dist/src/celery/events.js';
import { createStore } from '../dist/src/store/store.js';
import { fmt, requireBuild, startReport } from './sim/report.mjs';

requireBuild();
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
const { values } = parseArgs({
  options: { quick: { type: 'boolean' }, 'max-tasks': { type: 'string' }, tasks: { type: 'string' } },
});
const maxTasks = Number(values['max-tasks'] ?? (values.quick ? 10_000 : 100_000));
const total = Number(values.tasks ?? Math.round(maxTasks * 1.5));
const report = startReport(`memory per held task: ${fmt(maxTasks)} tasks held of ${fmt(total)} seen`);

function settle() {
  gc();
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
}

const names = Array.from({ length: 20 }, (_, i) => `app.tasks.job_${String(i).padStart(2, '0')}`);
const workers = Array.from({ length: 50 }, (_, i) => `celery@worker-${String(i + 1).padStart(2, '0')}.prod`);
const queues = ['default', 'emails', 'reports', 'payments'];
const traceback =
  'Traceback (most recent call last):\n  File "/usr/lib/python3/dist-packages/celery/app/trace.py", line 451, in trace_task\n' +
  '    R = retval = fun(*args, **kwargs)\n  File "/srv/app/tasks.py", line 23, in job\n    raise ValueError(msg)\nValueError: bad input\n';
const start = Date.now() / 1000 - 3600;
const clocks = new Map(workers.map((w) => [w, 0]));
function wire(hostname, type, uuid, ts, extra) {
  const clock = clocks.get(hostname) + 1;
  clocks.set(hostname, clock);
  return { hostname, utcoffset: 0, pid: 4242, clock, uuid, ...extra, timestamp: ts, type };
}

const store = createStore({ clock: { now: Date.now, setTimeout, clearTimeout }, config: { maxTasks } });
const empty = settle();
let batch = [];
let previous = null;
const t0 = performance.now();
for (let done = 0; done < total; done++) {
  // JSON round trip: strings as JSON.parse makes them (fresh per event), not shared literals.
  const uuid = globalThis.crypto.randomUUID();
  const hostname = workers[done % workers.length];
  const ts = start + done * 0.0005;
  const fails = done % 50 === 7;
  const raw = JSON.parse(
    JSON.stringify([
      wire(hostname, 'task-sent', uuid, ts - 0.001, {
        name: names[done % names.length],
        args: `(${done}, 'customer-${done % 9973}')`,
        kwargs: "{'priority': 'normal'}",
        root_id: uuid,
        parent_id: done % 10 === 3 ? previous : null,
        retries: 0,
        eta: null,
        expires: null,
        queue: queues[done % queues.length],
        exchange: '',
        routing_key: queues[done % queues.length],
      }),
      wire(hostname, 'task-received', uuid, ts, {
        name: names[done % names.length],
        args: `(${done}, 'customer-${done % 9973}')`,
        kwargs: "{'priority': 'normal'}",
        root_id: uuid,
        parent_id: done % 10 === 3 ? previous : null,
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
    ]),
  );
  previous = uuid;
  for (const item of raw) {
    const decoded = decodeEventObject(item);
    if (decoded.ok) batch.push(decoded.value);
  }
  if (batch.length >= 24) {
    store.dispatch({ type: 'events/received', at: Date.now(), events: batch, malformed: 0, bytes: 8_000 });
    batch = [];
  }
}
const seconds = (performance.now() - t0) / 1000;
const full = settle();
const model = store.getModel();
const held = model.tasks.size;
const heapPer = (full.heap - empty.heap) / held;
const rssPer = (full.rss - empty.rss) / held;
report.note(
  `empty store: RSS ${(empty.rss / 2 ** 20).toFixed(0)} MB, heap ${(empty.heap / 2 ** 20).toFixed(0)} MB; ` +
    `fed ${fmt(total)} tasks (4 events each) in ${seconds.toFixed(1)} s; held ${fmt(held)}, evicted ${fmt(model.counters.tasksEvicted)}`,
);
report.figure(
  `store holding ${fmt(held)} tasks: heap / RSS above the empty store`,
  `${((full.heap - empty.heap) / 2 ** 20).toFixed(0)} / ${((full.rss - empty.rss) / 2 ** 20).toFixed(0)} MB`,
  '',
  '',
);
report.figure(
  'bytes per held task (heap, RSS above the empty store)',
  `${fmt(Math.round(heapPer))} / ${fmt(Math.round(rssPer))} bytes`,
  '<= 1,024 bytes',
  rssPer <= 1024 ? 'met' : 'missed',
);
report.figure(
  `process RSS holding ${fmt(held)} tasks`,
  `${(full.rss / 2 ** 20).toFixed(0)} MB`,
  '<= 170 MB',
  full.rss / 2 ** 20 <= 170 ? 'met' : 'missed',
);
if (process.env.SPACES)
  for (const s of v8.getHeapSpaceStatistics())
    console.log(s.space_name, (s.space_size / 2 ** 20).toFixed(1), (s.space_used_size / 2 ** 20).toFixed(1));
if (process.env.SPACES) console.log(process.memoryUsage());
