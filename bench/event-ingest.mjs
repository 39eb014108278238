#!/usr/bin/env node
// Event ingest: the highest sustained rate of task events (received/started/succeeded triples)
// that a consumer takes from Redis pub/sub with ZERO loss, for
//   (a) qtop's pipeline in its own process (connectRedis -> startEventStream -> store.dispatch),
//   (b) `qtop --json --watch --interval 1` (counters read from its NDJSON lines),
//   (c) Celery's engine on /usr/bin/python3: redis-py + kombu decoding + EventReceiver + State,
// in `task.multi` batches of 24 events and one event per PUBLISH, with CPU and RSS, against the
// bare ceiling (JSON.parse + base64 + JSON.parse alone, per core, measured in this run).
//
// Method: a private redis-server with its default client-output-buffer-limit (pubsub 32mb 8mb 60);
// a pre-encoded pool of 40,000 distinct tasks (4x qtop's task cap and State's max_tasks_in_memory,
// so a recurring task has long been evicted) replayed by a raw-socket publisher at a fixed rate for
// a few seconds per step, on a ladder of rates (x1.5), then one bisection step. A step is sustained
// when the consumer's own counter reaches exactly what was published within a short grace after
// the publisher stops, and every PUBLISH had a receiver. The first failing step is reported with
// its loss (a consumer 32 MB behind is cut off by Redis) and whether the consumer noticed.
//
// Usage: node bench/event-ingest.mjs [--quick] [--seconds S] [--only pipeline,watch,python]
//                                    [--modes batch,single] [--rate R]
// `--rate R`: one step per consumer at R events/s instead of the ladder: CPU per event at a rate the
// publisher holds (the figure to compare across runs on a shared machine).
import { parseArgs } from 'node:util';
import { decodeEventMessage } from '../dist/src/celery/events.js';
import { createStore } from '../dist/src/store/store.js';
import { buildEventPool } from './sim/event-pool.mjs';
import { cpuSeconds, memoryMb, onLines, sleep, startRedisServer, stopChild, track } from './sim/proc.mjs';
import { cleanEnv, fmt, PYTHON, qtopBin, repoRoot, requireBuild, startReport, times } from './sim/report.mjs';
import { openPublisher } from './sim/resp-publisher.mjs';

requireBuild();
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    seconds: { type: 'string' },
    only: { type: 'string' },
    modes: { type: 'string' },
    rate: { type: 'string' },
    'cpu-prof': { type: 'string' },
  },
});
/** `--cpu-prof DIR`: run the Node consumers under `node --cpu-prof` (see bench/profile-summary.mjs). */
const profileArgs = values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', values['cpu-prof']] : [];
const quick = values.quick === true;
const seconds = Number(values.seconds ?? (quick ? 1 : 4));
const only = new Set((values.only ?? 'pipeline,watch,python').split(','));
const modes = (values.modes ?? 'batch,single').split(',');
const report = startReport('event ingest: qtop vs Celery 5.2 events.State over Redis pub/sub', {
  python: true,
  celery: true,
});
report.note(
  `steps of ${seconds} s; ladder x1.5 then one bisection step${quick ? ' (quick: one step per consumer, not a measurement)' : ''}`,
);

// ---------------------------------------------------------------- in-process ceilings
function perCore(label, pool, fn, budgetMs) {
  // Warm up, then run whole passes over the payloads until the budget is spent; per core because
  // this loop is one thread. Returns events per second.
  let events = 0;
  const warm = Math.min(pool.payloads.length, 2_000);
  for (let i = 0; i < warm; i++) fn(pool.payloads[i]);
  const started = performance.now();
  let i = 0;
  while (performance.now() - started < budgetMs) {
    for (let k = 0; k < 256; k++) {
      fn(pool.payloads[i]);
      events += pool.eventCounts[i];
      i = (i + 1) % pool.messages;
    }
  }
  const rate = events / ((performance.now() - started) / 1000);
  report.note(`${label}: ${fmt(rate)} events/s on one core`);
  return rate;
}

const ceilings = {};
const budget = quick ? 300 : 2_000;
for (const mode of modes) {
  const pool = buildEventPool({ tasks: quick ? 2_000 : 20_000, batch: mode === 'batch' ? 24 : 1 });
  const bare = perCore(
    `${mode}: bare ceiling (JSON.parse + base64 + JSON.parse)`,
    pool,
    (raw) => {
      const envelope = JSON.parse(raw);
      JSON.parse(Buffer.from(envelope.body, 'base64').toString('utf8'));
    },
    budget,
  );
  const decode = perCore(
    `${mode}: qtop decodeEventMessage alone`,
    pool,
    (raw) => decodeEventMessage(raw),
    budget,
  );
  const store = createStore({ clock: { now: Date.now, setTimeout, clearTimeout } });
  const reduce = perCore(
    `${mode}: qtop decode + store.dispatch, no Redis`,
    pool,
    (raw) => {
      const decoded = decodeEventMessage(raw);
      if (decoded.ok) {
        const { events, malformed } = decoded.value;
        store.dispatch({
          type: 'events/received',
          at: Date.now(),
          events,
          malformed: malformed.length,
          bytes: raw.length,
        });
      }
    },
    budget,
  );
  ceilings[mode] = { bare, decode, reduce };
}

// ---------------------------------------------------------------- consumers
/** A running consumer process whose latest counter we can read. */
function startConsumer(kind, url) {
  let child;
  let latest = null;
  let lines = 0;
  let stall = 0;
  if (kind === 'pipeline') {
    child = track(process.execPath, [...profileArgs, `${repoRoot}/bench/sim/ingest-consumer.mjs`, url], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    onLines(child.stdout, (line) => {
      const s = JSON.parse(line);
      latest = { events: s.events, cuts: s.gaps + (s.eventsOk ? 0 : 1), tasks: s.tasks, at: Date.now() };
      stall = Math.max(stall, s.stallMs ?? 0);
      lines += 1;
    });
  } else if (kind === 'watch') {
    child = track(
      process.execPath,
      [...profileArgs, qtopBin, '-b', url, '--json', '--watch', '--interval', '1'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: cleanEnv(),
      },
    );
    onLines(child.stdout, (line) => {
      const s = JSON.parse(line);
      const events = s.meta?.sources?.events;
      latest = {
        events: s.meta.counters.events,
        cuts: events ? events.gaps.length : 0,
        tasks: s.tasks?.total,
        at: Date.now(),
      };
      lines += 1;
    });
  } else {
    child = track(PYTHON, [`${repoRoot}/bench/python_ingest.py`, url, '/0.celeryev/*'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    onLines(child.stdout, (line) => {
      const s = JSON.parse(line);
      latest = { events: s.events, cuts: s.disconnects, tasks: s.tasks, errors: s.errors, at: Date.now() };
      lines += 1;
    });
  }
  return {
    kind,
    child,
    get latest() {
      return latest;
    },
    /** Longest event-loop stall (ms) reported since the last call (pipeline consumer only). */
    takeStall() {
      const value = stall;
      stall = 0;
      return value;
    },
    /** The next status line written after now (so it reflects everything up to now). */
    async fresh(timeoutMs = 5_000) {
      const seen = lines;
      const deadline = Date.now() + timeoutMs;
      while (lines === seen && Date.now() < deadline) await sleep(20);
      return latest;
    },
    stop: () => stopChild(child, 'SIGTERM', 3_000),
  };
}

async function numpat(redisPort) {
  const { Redis } = await import('ioredis');
  const r = new Redis({ port: redisPort, lazyConnect: true });
  await r.connect();
  const n = await r.call('PUBSUB', 'NUMPAT');
  r.disconnect();
  return Number(n);
}

const labels = {
  pipeline: 'qtop pipeline (startEventStream -> store), own process',
  watch: 'qtop --json --watch',
  python: 'Celery 5.2 State + kombu decoding (python3)',
};

async function step(consumer, publisher, pool, rate, redisPid) {
  const before = await consumer.fresh();
  consumer.takeStall();
  const pid = consumer.child.pid;
  const cpu0 = cpuSeconds(pid);
  const redis0 = cpuSeconds(redisPid);
  const t0 = performance.now();
  const sent = await publisher.publish(pool, rate, seconds);
  const tSent = performance.now();
  const expected = before.events + sent.events;
  const grace = consumer.kind === 'watch' ? 2_600 : Math.max(800, seconds * 250);
  let status = consumer.latest;
  while (status.events < expected && performance.now() - tSent < grace) {
    await sleep(50);
    status = consumer.latest;
  }
  const caughtUp = status.events >= expected;
  const tDone = performance.now();
  const cpu1 = cpuSeconds(pid);
  const redis1 = cpuSeconds(redisPid);
  const stallMs = consumer.takeStall();
  const mem = memoryMb(pid);
  // Not caught up: wait while it still makes progress, to tell a lag from a loss.
  let last = -1;
  const lagDeadline = performance.now() + 20_000;
  while (status.events < expected && status.events !== last && performance.now() < lagDeadline) {
    last = status.events;
    await sleep(consumer.kind === 'watch' ? 1_500 : 500);
    status = consumer.latest;
  }
  const consumed = status.events - before.events;
  const loss = Math.max(0, sent.events - consumed);
  const cpu = cpu1 - cpu0;
  const result = {
    rate,
    sent,
    consumed,
    loss,
    caughtUp,
    cut: status.cuts > before.cuts,
    redisCpuShare: (redis1 - redis0) / ((tDone - t0) / 1000),
    cpuShare: cpu / ((tDone - t0) / 1000),
    eventsPerCpuSec: cpu > 0 ? consumed / cpu : Number.NaN,
    rss: mem.rss,
    peakRss: mem.peak,
    publisherLimited: sent.eventsPerSec < rate * 0.97,
    stallMs,
    mbPerSec: ((sent.events / sent.seconds) * (pool.bytes / pool.events)) / 2 ** 20,
  };
  result.sustained = loss === 0 && caughtUp && sent.unreceived === 0 && !result.publisherLimited;
  report.note(
    `  ${consumer.kind} ${fmt(rate)}/s: sent ${fmt(sent.events)} at ${fmt(sent.eventsPerSec)}/s, ` +
      `counted ${fmt(consumed)}, loss ${fmt(loss)}${sent.unreceived ? ` (${fmt(sent.unreceived)} PUBLISHes had no receiver)` : ''}, ` +
      `${caughtUp ? 'caught up' : 'fell behind'}, CPU ${(result.cpuShare * 100).toFixed(0)}% ` +
      `(${fmt(result.eventsPerCpuSec)} events per CPU-second, ${(1e6 / result.eventsPerCpuSec).toFixed(2)} µs per event), redis-server CPU ${(result.redisCpuShare * 100).toFixed(0)}%, ` +
      `RSS ${result.rss.toFixed(0)} MB, ${result.mbPerSec.toFixed(0)} MB/s` +
      `${consumer.kind === 'pipeline' ? `, longest event-loop stall ${stallMs} ms` : ''}` +
      `${result.publisherLimited ? ', publisher-limited' : ''} -> ${result.sustained ? 'sustained' : 'NOT sustained'}`,
  );
  return result;
}

async function waitSubscribed(port, consumer, wanted) {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (consumer.child.exitCode !== null) throw new Error(`${consumer.kind} consumer exited early`);
    if ((await numpat(port)) >= wanted && consumer.latest) return;
    await sleep(50);
  }
  throw new Error(`${consumer.kind} consumer did not subscribe`);
}

async function ladder(kind, server, publisher, pool, mode) {
  const consumer = startConsumer(kind, server.url(0));
  try {
    await waitSubscribed(server.port, consumer, kind === 'watch' ? 2 : 1);
    await sleep(kind === 'watch' ? 1_500 : 300); // let the first snapshot pass
    const start = {
      pipeline: mode === 'batch' ? 50_000 : 25_000,
      watch: mode === 'batch' ? 50_000 : 25_000,
      python: mode === 'batch' ? 3_000 : 2_000,
    }[kind];
    if (quick) return { best: await step(consumer, publisher, pool, start / 5, server.pid), fail: null };
    if (values.rate) {
      const r = await step(consumer, publisher, pool, Number(values.rate), server.pid);
      return r.sustained ? { best: r, fail: null } : { best: null, fail: r };
    }
    let best = null;
    let fail = null;
    let rate = start;
    for (let i = 0; i < 12; i++) {
      const r = await step(consumer, publisher, pool, rate, server.pid);
      if (r.sustained) {
        best = r;
        rate = Math.round(rate * 1.5);
      } else {
        fail = r;
        break;
      }
    }
    // Two bisection steps between the last sustained and the first failing rate; after a
    // cut-off the consumer resubscribes first. The reported failure is the lowest failing step
    // with a loss (or the lowest failing step when none lost anything).
    let hi = fail?.rate;
    for (let i = 0; i < 2 && best && fail && !fail.publisherLimited; i++) {
      await waitSubscribed(server.port, consumer, kind === 'watch' ? 2 : 1);
      await sleep(1_000);
      const r = await step(consumer, publisher, pool, Math.round((best.rate + hi) / 2), server.pid);
      if (r.sustained) best = r;
      else {
        hi = r.rate;
        if (r.loss > 0 || !fail.loss) fail = r;
      }
    }
    return { best, fail };
  } finally {
    await consumer.stop();
  }
}

const server = await startRedisServer();
const publisher = await openPublisher(server.port);
const results = {};
try {
  for (const mode of modes) {
    const pool = buildEventPool({ tasks: quick ? 3_000 : 40_000, batch: mode === 'batch' ? 24 : 1 });
    report.note(
      `${mode}: pool of ${fmt(pool.events)} events in ${fmt(pool.messages)} PUBLISHes (${(pool.bytes / pool.messages).toFixed(0)} bytes each)`,
    );
    for (const kind of ['pipeline', 'watch', 'python']) {
      if (!only.has(kind)) continue;
      if (quick && mode !== 'batch' && kind !== 'pipeline') continue;
      results[`${mode}/${kind}`] = await ladder(kind, server, publisher, pool, mode);
    }
  }
} finally {
  publisher.close();
  await server.stop();
}

// ---------------------------------------------------------------- figures
const modeText = { batch: 'task.multi batches of 24', single: 'one event per PUBLISH' };
for (const mode of modes) {
  const c = ceilings[mode];
  report.figure(
    `bare decode ceiling (JSON.parse + base64 + JSON.parse), ${modeText[mode]}`,
    `${fmt(c.bare)} events/s per core`,
    'reference',
    '',
  );
  report.figure(
    `qtop decode + reduce in-process without Redis, ${modeText[mode]}`,
    `${fmt(c.reduce)} events/s per core`,
    '',
    `${((c.reduce / c.bare) * 100).toFixed(0)}% of the bare ceiling`,
  );
  const py = results[`${mode}/python`]?.best;
  for (const kind of ['pipeline', 'watch', 'python']) {
    const r = results[`${mode}/${kind}`];
    if (!r) continue;
    const b = r.best;
    const name = `${labels[kind]}: highest zero-loss rate, ${modeText[mode]}`;
    if (!b) {
      report.figure(
        name,
        `below ${fmt(r.fail?.rate ?? 0)} events/s`,
        kind === 'python' ? '' : '>= 100,000 events/s',
        'no step sustained',
      );
      continue;
    }
    const value =
      `${fmt(b.sent.eventsPerSec)} events/s${quick ? ' (quick: not a maximum)' : ''}; CPU ${(b.cpuShare * 100).toFixed(0)}% of one core, ` +
      `${fmt(b.eventsPerCpuSec)} events per CPU-second (${(1e6 / b.eventsPerCpuSec).toFixed(2)} µs per event); RSS ${b.rss.toFixed(0)} MB`;
    const ratios = [];
    if (quick) ratios.push('quick run: rates are fixed low steps, so no ratios');
    else if (kind !== 'python') {
      ratios.push(`${times(b.sent.eventsPerSec / 100_000)} the 100k target`);
      if (py) ratios.push(`${times(b.sent.eventsPerSec / py.sent.eventsPerSec)} Python's rate`);
      if (py) ratios.push(`${times(b.eventsPerCpuSec / py.eventsPerCpuSec)} Python's events per CPU-second`);
    }
    if (!quick)
      ratios.push(`${((b.eventsPerCpuSec / c.bare) * 100).toFixed(0)}% of the bare ceiling per core`);
    report.figure(
      name,
      value,
      kind === 'python' ? 'peer' : '>= 100,000 events/s and >= 10x Python',
      ratios.join('; '),
    );
    if (r.fail) {
      const f = r.fail;
      const noticed = f.cut
        ? 'the consumer saw the cut (a gap / reconnect)'
        : 'no cut-off recorded by the consumer';
      report.figure(
        `${labels[kind]}: first failing step, ${modeText[mode]}`,
        `${fmt(f.sent.eventsPerSec)} events/s: lost ${fmt(f.loss)} of ${fmt(f.sent.events)} ` +
          `(${((f.loss / Math.max(1, f.sent.events)) * 100).toFixed(1)}%); ${f.mbPerSec.toFixed(0)} MB/s` +
          `${kind === 'pipeline' ? `, longest event-loop stall ${f.stallMs} ms` : ''}${f.publisherLimited ? ', publisher-limited' : ''}`,
        'loss reported, never silent',
        f.loss > 0 ? noticed : f.caughtUp ? 'no loss' : 'lagging, no loss',
      );
    }
  }
}
