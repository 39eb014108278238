#!/usr/bin/env node
// Key latency: key press → changed screen through a real terminal. The live screen runs in tmux
// (200x50, a private tmux server) on the simulator (500 workers, 2,000 queues, tasks flowing
// until 100,000 are held; `--max-tasks 100000`); keys are sent with `tmux send-keys` and the
// pane is polled (`capture-pane`) until the key's own effect shows: `j` moves the selection,
// Tab and `3` change the active panel, `/` opens the filter prompt and Enter closes it. Data
// frames change the screen too, so each key waits for its own mark, not for any change.
//
// Usage: node bench/key-latency.mjs [--quick] [--rounds N]
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startSimulator } from '../sim/cluster.mjs';
import { quantile } from './sim/proc.mjs';
import { fmt, requireBuild, startReport } from './sim/report.mjs';

requireBuild();
const { values } = parseArgs({ options: { quick: { type: 'boolean' }, rounds: { type: 'string' } } });
const quick = values.quick === true;
const rounds = Number(values.rounds ?? (quick ? 3 : 30));
const sizes = quick
  ? { workers: 20, queues: 50, tasks: 2_000, rate: 400 }
  : { workers: 500, queues: 2_000, tasks: 100_000, rate: 2_500 };
const report = startReport('key latency: key press to changed screen in tmux, events flowing');
const socket = `qtop-keylat-${process.pid}`;
const tmux = (...args) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const capture = () => tmux('capture-pane', '-p', '-t', 'bench');
const main = path.join(import.meta.dirname, '..', 'dist', 'commands', 'main.js');

const sim = await startSimulator({
  workers: sizes.workers,
  queues: sizes.queues,
  rate: sizes.rate,
  duration: Number.POSITIVE_INFINITY,
});
const cleanup = async () => {
  spawnSync('tmux', ['-L', socket, 'kill-server']);
  await sim.stop();
};
try {
  const env = `CELERY_BROKER_URL=${sim.broker} NO_COLOR=1`;
  tmux(
    'new-session',
    '-d',
    '-s',
    'bench',
    '-x',
    '200',
    '-y',
    '50',
    `env ${env} node ${main} --max-tasks ${sizes.tasks}`,
  );
  // Fill the store: the simulator's tasks flow until qtop holds the cap.
  const fillStart = Date.now();
  for (;;) {
    const stats = sim.stats();
    if (stats.tasksSent >= sizes.tasks || Date.now() - fillStart > (quick ? 20_000 : 300_000)) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  await waitFor(() => /\[\d [A-Za-z ]+\]/.test(capture()), 30_000, 'the screen (its tab bar)');

  // What one poll costs (a tmux process per capture): the resolution of every figure below.
  const polls = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    capture();
    polls.push(performance.now() - t0);
  }
  report.note(
    `one capture-pane poll: p50 ${quantile(polls, 0.5).toFixed(1)} ms, p99 ${quantile(polls, 0.99).toFixed(1)} ms`,
  );
  const activePanel = (s) => /\[(\d) [A-Za-z ]+\]/.exec(s)?.[1] ?? '';
  const selected = (s) => s.split('\n').findIndex((l) => l.startsWith('> '));
  const keys = [
    {
      name: '3',
      send: ['3'],
      ready: () => tmux('send-keys', '-t', 'bench', '1'),
      done: (s) => activePanel(s) === '3',
    },
    {
      name: 'Tab',
      send: ['Tab'],
      ready: () => tmux('send-keys', '-t', 'bench', '1'),
      done: (s) => activePanel(s) === '2',
    },
    {
      name: 'j',
      send: ['j'],
      ready: () => tmux('send-keys', '-t', 'bench', '2', 'g'),
      before: selected,
      done: (s, b) => selected(s) !== b && selected(s) >= 0,
    },
    {
      name: '/',
      send: ['/'],
      ready: () => tmux('send-keys', '-t', 'bench', '3'),
      done: (s) => /filter/i.test(s.split('\n').slice(-3).join('\n')),
    },
    { name: 'Enter', send: ['Enter'], ready: () => {}, done: (s) => !/filter:\s*$/m.test(s) },
  ];
  const results = {};
  for (const key of keys) results[key.name] = [];
  for (let round = 0; round < rounds; round++) {
    for (const key of keys) {
      key.ready();
      await new Promise((r) => setTimeout(r, 300));
      const before = key.before ? key.before(capture()) : null;
      const started = performance.now();
      tmux('send-keys', '-t', 'bench', ...key.send);
      const ok = await waitFor(() => key.done(capture(), before), 2_000, null);
      if (ok) results[key.name].push(performance.now() - started);
    }
  }
  const load = (await import('node:os'))
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');
  for (const key of keys) {
    const t = results[key.name];
    if (t.length === 0) {
      report.note(`${key.name}: its effect was never seen on screen`);
      continue;
    }
    report.figure(
      `key ${key.name} → changed screen, tmux 200x50, ${fmt(sizes.workers)} workers, ${fmt(sizes.queues)} queues, ${fmt(sizes.tasks)} tasks, events flowing (load ${load})`,
      `p50 ${quantile(t, 0.5).toFixed(0)} ms, p99 ${quantile(t, 0.99).toFixed(0)} ms (n=${t.length}/${rounds})`,
      'p99 ≤ 50 ms',
      quantile(t, 0.99) <= 50 ? 'met' : `${(quantile(t, 0.99) / 50).toFixed(1)}x over`,
    );
  }
} finally {
  await cleanup();
}
process.exit(0);

async function waitFor(test, ms, what) {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    if (test()) return true;
    await new Promise((r) => setTimeout(r, 2));
  }
  if (what !== null) throw new Error(`key-latency: ${what} never showed`);
  return false;
}
