#!/usr/bin/env node
// Screen cost: time per frame (p50/p99) and idle CPU of the real TUI (views/App over Ink 6, as
// views/render.tsx runs it, onto a fake 200x50 terminal) with 500 workers, 2,000 queues and
// 100,000 tasks held in the store (--max-tasks 100000; the default cap is 10,000).
// A frame is measured from the store change that causes it to the end of Ink's render of it
// (React render + Yoga layout + output string; Ink's onRender), with the frame throttle off so
// every change makes a frame; CPU per frame is the process's CPU time from the change to the
// render (process.cpuUsage; on a loaded machine wall time also counts other processes' turns). Idle CPU: the default
// frame timing (200 ms minimum; while nothing changes, a frame only when a drawn age changes its
// text or every 5 s: views/state/view-frame.ts), no store change, for 10 s.
//
// Usage: node bench/screen-cost.mjs [--quick] [--frames N] [--panels a,b] [--no-idle]
// --profile FILE writes a V8 CPU profile of the frames alone (not the store's setup) for
// bench/profile-summary.mjs; --panels and --no-idle narrow a run.
import { EventEmitter } from 'node:events';
import { parseArgs } from 'node:util';
import { systemClock } from '../dist/src/base/clock.js';
import { decodeEventObject } from '../dist/src/celery/events.js';
import { createStore } from '../dist/src/store/store.js';
import { quantile } from './sim/proc.mjs';
import { fmt, requireBuild, startReport, times } from './sim/report.mjs';

requireBuild();
// As commands/tui-run.ts does before it loads the screen: React's development build checks every
// element at run time and would be measured instead of qtop.
process.env.NODE_ENV ??= 'production';
const { render } = await import('ink');
const { default: React } = await import('react');
const { App } = await import('../dist/views/screen/App.js');
const { initialUi } = await import('../dist/views/state/ui-state.js');
const { createViewFrames } = await import('../dist/views/state/view-frame.js');
const { keymap } = await import('../dist/views/keys/keymap.js');
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    frames: { type: 'string' },
    panels: { type: 'string' },
    'no-idle': { type: 'boolean' },
    profile: { type: 'string' },
  },
});
const quick = values.quick === true;
const frameCount = Number(values.frames ?? (quick ? 8 : 100));
const sizes = quick
  ? { workers: 50, queues: 200, tasks: 10_000 }
  : { workers: 500, queues: 2_000, tasks: 100_000 };
const report = startReport('screen cost: TUI frame time and idle CPU with a large cluster in the store');

// ---- the store
const clock = systemClock;
const store = createStore({ clock, config: { maxTasks: sizes.tasks }, notifyEveryMs: 0 });
const workers = Array.from(
  { length: sizes.workers },
  (_, i) => `w${String(i + 1).padStart(3, '0')}@node${(i % 25) + 1}`,
);
const queues = Array.from({ length: sizes.queues }, (_, i) => `queue-${String(i).padStart(4, '0')}`);
const names = Array.from({ length: 40 }, (_, i) => `app.tasks.job_${String(i).padStart(2, '0')}`);
const now = Date.now() / 1000;
let clockValue = 0;
const wire = (hostname, type, extra, ts = Date.now() / 1000) => {
  const decoded = decodeEventObject({
    hostname,
    utcoffset: 0,
    pid: 4242,
    clock: ++clockValue,
    ...extra,
    timestamp: ts,
    type,
  });
  if (!decoded.ok) throw new Error(decoded.reason);
  return decoded.value;
};
const heartbeat = (hostname) =>
  wire(hostname, 'worker-heartbeat', {
    freq: 2.0,
    active: 2,
    processed: 1000,
    loadavg: [0.5, 0.4, 0.3],
    sw_ident: 'py-celery',
    sw_ver: '5.2.6',
    sw_sys: 'Linux',
  });
store.dispatch({
  type: 'events/received',
  at: Date.now(),
  events: workers.map(heartbeat),
  malformed: 0,
  bytes: 0,
});
store.dispatch({
  type: 'queues/sampled',
  at: Date.now(),
  undecodableBindings: 0,
  queues: queues.map((name, i) => ({
    name,
    exchanges: [name],
    lengths: { 0: (i * 37) % 500, 3: 0, 6: i % 7, 9: 0 },
    peek: [],
  })),
});
store.dispatch({
  type: 'inspect/replied',
  at: Date.now(),
  method: 'active_queues',
  silent: [],
  replies: workers.map((node, i) => ({
    node,
    error: null,
    value: [queues[i % queues.length], queues[(i * 7) % queues.length]].map((q) => ({
      name: q,
      routing_key: q,
    })),
  })),
});
store.dispatch({
  type: 'inspect/replied',
  at: Date.now(),
  method: 'stats',
  silent: [],
  replies: workers.map((node) => ({
    node,
    error: null,
    value: {
      total: {},
      pid: 4242,
      uptime: 600,
      pool: { 'max-concurrency': 4, processes: [1, 2, 3, 4] },
      prefetch_count: 16,
    },
  })),
});
let batch = [];
for (let t = 0; t < sizes.tasks; t++) {
  const uuid = globalThis.crypto.randomUUID();
  const hostname = workers[t % workers.length];
  const ts = now - sizes.tasks * 0.001 + t * 0.001;
  batch.push(
    wire(
      hostname,
      'task-received',
      {
        uuid,
        name: names[t % names.length],
        args: `(${t},)`,
        kwargs: '{}',
        root_id: uuid,
        parent_id: null,
        retries: 0,
        eta: null,
        expires: null,
      },
      ts,
    ),
    wire(hostname, 'task-started', { uuid }, ts + 0.001),
  );
  if (t % 10 !== 0) {
    batch.push(
      t % 50 === 3
        ? wire(
            hostname,
            'task-failed',
            {
              uuid,
              exception: "ValueError('bad input')",
              traceback: 'Traceback (most recent call last):\nValueError: bad input\n',
            },
            ts + 0.05,
          )
        : wire(hostname, 'task-succeeded', { uuid, result: 'None', runtime: 0.049 }, ts + 0.05),
    );
  }
  if (batch.length >= 24) {
    store.dispatch({ type: 'events/received', at: Date.now(), events: batch, malformed: 0, bytes: 0 });
    batch = [];
  }
}
const model = store.getModel();
report.note(
  `store: ${fmt(model.workers.size)} workers, ${fmt(model.queues.size)} queues, ${fmt(model.tasks.size)} tasks held, ${fmt(model.taskNames.size)} task names`,
);

// ---- a fake terminal
class FakeStdout extends EventEmitter {
  columns = 200;
  rows = 50;
  bytes = 0;
  writes = 0;
  isTTY = true;
  write = (text) => {
    this.bytes += text.length;
    this.writes += 1;
    return true;
  };
}
class FakeStdin extends EventEmitter {
  isTTY = true;
  read = () => null;
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}
const controls = new Proxy(
  { canWrite: false, readOnlyReason: 'benchmark' },
  {
    get: (target, key) =>
      key in target ? target[key] : () => Promise.resolve({ ok: false, summary: 'benchmark', replies: [] }),
  },
);

function mount(panel, frameOptions, onRender) {
  const frames = createViewFrames(store, clock, frameOptions);
  const stdout = new FakeStdout();
  frames.start();
  const deps = {
    frames,
    controls,
    clock,
    theme: { color: true, ascii: false },
    broker: 'redis://127.0.0.1:6379/0',
    label: null,
    hideArgs: false,
    quit: () => {},
  };
  const instance = render(React.createElement(App, { deps, initial: { ...initialUi, panel } }), {
    stdout,
    stdin: new FakeStdin(),
    stderr: new FakeStdout(),
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: 1000,
    onRender,
  });
  return {
    stdout,
    unmount() {
      instance.unmount();
      frames.stop();
    },
  };
}

async function startProfile() {
  const { Session } = await import('node:inspector/promises');
  const fs = await import('node:fs');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await session.post('Profiler.stop');
      fs.writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
let beat = 0;
async function measurePanel(panel) {
  let rendered = null;
  const outputStage = [];
  const view = mount(panel, { minIntervalMs: 0 }, ({ renderTime }) => {
    outputStage.push(renderTime);
    rendered?.();
  });
  await settle();
  const times = [];
  const cpuTimes = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < frameCount + 3; i++) {
    const done = new Promise((resolve) => {
      rendered = resolve;
    });
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    // One worker heartbeat: a store change like the ones that cause most frames.
    store.dispatch({
      type: 'events/received',
      at: Date.now(),
      events: [heartbeat(workers[beat++ % workers.length])],
      malformed: 0,
      bytes: 0,
    });
    const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), 5_000));
    if ((await Promise.race([done, timeout])) === 'timeout')
      throw new Error(`no frame rendered on the ${panel} panel`);
    if (i >= 3) {
      times.push(performance.now() - started);
      const c = process.cpuUsage(cpuStarted);
      cpuTimes.push((c.user + c.system) / 1000);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  const cpu = process.cpuUsage(cpu0);
  view.unmount();
  return {
    outputP50: quantile(outputStage.slice(3), 0.5),
    p50: quantile(times, 0.5),
    p99: quantile(times, 0.99),
    max: Math.max(...times),
    cpuPerFrame: (cpu.user + cpu.system) / 1000 / (frameCount + 3),
    cpuP50: quantile(cpuTimes, 0.5),
    cpuP99: quantile(cpuTimes, 0.99),
    bytes: view.stdout.bytes / Math.max(1, view.stdout.writes),
  };
}

/**
 * What a lean output step would cost per frame: the screen as 50 lines of 200 columns (12
 * coloured segments a line, as a table row is), the previous frame's lines kept, and only the
 * changed lines written with a cursor move; 5 lines change per frame (a data frame's usual
 * share). This is the whole output step of a screen drawn as fixed-width lines (no per-cell
 * styled characters, no re-measuring, no clipping), which qtop's panels already are before Ink
 * lays them out again. Mean CPU ms per frame.
 */
function leanOutputMs() {
  const line = (y, n) =>
    Array.from(
      { length: 12 },
      (_, k) =>
        `\u001b[3${(k + y) % 8}m${String(n + k)
          .padEnd(15, '·')
          .slice(0, 15)}\u001b[39m`,
    )
      .join(' ')
      .slice(0, 400);
  const frames = Array.from({ length: 40 }, (_, f) =>
    Array.from({ length: 50 }, (_, y) => line(y, y % 10 < 1 ? f * 100 + y : y)),
  );
  let sink = 0;
  const reps = 50;
  const t0 = process.cpuUsage();
  for (let r = 0; r < reps; r++) {
    let previous = [];
    for (const lines of frames) {
      let out = '';
      for (let y = 0; y < lines.length; y++)
        if (lines[y] !== previous[y]) out += `\u001b[${y + 1};1H${lines[y]}\u001b[K`;
      sink += out.length;
      previous = lines;
    }
  }
  const c = process.cpuUsage(t0);
  if (sink < 0) console.log(sink);
  return (c.user + c.system) / 1000 / (reps * frames.length);
}
const leanMs = leanOutputMs();

// The panels are the keymap's: every `panel.<id>` binding (number keys), so a panel added to the
// keymap is measured without touching this file.
const keymapPanels = keymap
  .filter((b) => /^panel\.[a-z-]+$/.test(b.id) && !['panel.next', 'panel.previous'].includes(b.id))
  .map((b) => b.id.slice('panel.'.length));
// Quick: the first panels plus Tasks (the costliest list), so every run measures a task list.
const panels = values.panels
  ? values.panels.split(',')
  : quick
    ? [...new Set([...keymapPanels.slice(0, 3), 'tasks'])]
    : keymapPanels;
const profiler = values.profile ? await startProfile() : null;
const results = {};
for (const panel of panels) {
  results[panel] = await measurePanel(panel);
  const r = results[panel];
  report.note(
    `${panel}: wall p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms; CPU per frame p50 ${r.cpuP50.toFixed(1)} ms, p99 ${r.cpuP99.toFixed(1)} ms (mean ${r.cpuPerFrame.toFixed(1)} ms); Ink output stage (wall) p50 ${r.outputP50.toFixed(1)} ms; ${fmt(r.bytes)} bytes per write`,
  );
}

// ---- idle CPU: default frame timing, nothing changes
const idleSeconds = values['no-idle'] ? 0.1 : quick ? 1.5 : 10;
const idleView = mount('queues', {}, undefined);
await settle();
const idle0 = process.cpuUsage();
const idleStart = performance.now();
await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
const idleCpu = process.cpuUsage(idle0);
const idleShare = (idleCpu.user + idleCpu.system) / 1000 / (performance.now() - idleStart);
idleView.unmount();

if (profiler) await profiler.stop(values.profile);
const worst = Math.max(...Object.values(results).map((r) => r.p99));
const label = `${fmt(sizes.workers)} workers, ${fmt(sizes.queues)} queues, ${fmt(sizes.tasks)} tasks`;
for (const panel of panels) {
  const r = results[panel];
  report.figure(
    `TUI time per frame, ${panel} panel, ${label}, 200x50`,
    `p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms (CPU p50 ${r.cpuP50.toFixed(1)} ms, p99 ${r.cpuP99.toFixed(1)} ms, n=${frameCount})`,
    'p99 < 10 ms',
    r.p99 < 10 ? `${times(10 / r.p99)} under the target` : `${times(r.p99 / 10)} over the target`,
  );
}
report.figure(
  `TUI idle CPU, ${label} (frames only when a drawn age changes, or every 5 s)`,
  `${(idleShare * 100).toFixed(1)}% of one core over ${idleSeconds} s`,
  '≤ 1%',
  idleShare < 0.01
    ? `${times(0.01 / Math.max(idleShare, 1e-4))} under the target`
    : `${times(idleShare / 0.01)} over the target`,
);
report.note(
  `a lean line-diff output step (50x200, 5 lines changed): ${(leanMs * 1000).toFixed(1)} µs CPU per frame`,
);
report.note(`worst p99 over the panels: ${worst.toFixed(1)} ms`);
process.exit(0); // Ink keeps stdin listeners; nothing else is left to wait for
