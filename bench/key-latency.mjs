#!/usr/bin/env node
// Key latency: key press → changed screen through a real terminal. The live screen runs in tmux
// (200x50, a private tmux server) on the simulator (500 workers, 2,000 queues, tasks flowing
// until 100,000 are held; `--max-tasks 100000`). The bench talks to tmux through one control-mode
// client (`tmux -C`): keys go in as `send-keys` commands, every write qtop makes to the pane
// comes back as a `%output` notification, and after each one the pane is read with
// `capture-pane` over the same channel (no process per poll: spawning `tmux capture-pane` cost
// ~70 ms per poll under load, which was the resolution of the old figures). A key's latency is
// the time of the last `%output` before the capture that first shows the key's own effect (an
// upper bound: a data frame's output in between counts against qtop): `j` moves the selection,
// Tab and `3` change the active panel, `/` opens the filter prompt and Enter closes it. Data
// frames change the screen too, so each key waits for its own mark, not for any change.
//
// Usage: node bench/key-latency.mjs [--quick] [--rounds N]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
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
  // The control client below must not resize the window: it stays 200x50.
  tmux('set-option', '-g', 'window-size', 'manual');
  // Fill the store: the simulator's tasks flow until qtop holds the cap.
  const fillStart = Date.now();
  for (;;) {
    const stats = sim.stats();
    if (stats.tasksSent >= sizes.tasks || Date.now() - fillStart > (quick ? 20_000 : 300_000)) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const ctl = controlClient(socket);
  await ctl.ready;
  const capture = () => ctl.command('capture-pane -p -t bench').then((lines) => lines.join('\n'));
  const send = (...keys) => ctl.command(`send-keys -t bench ${keys.join(' ')}`);
  await waitFor(async () => /\[\d [A-Za-z ]+\]/.test(await capture()), 30_000, 'the screen (its tab bar)');

  // What one read of the pane costs over the control channel: the resolution of every figure.
  const polls = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    await capture();
    polls.push(performance.now() - t0);
  }
  report.note(
    `one capture-pane over tmux control mode: p50 ${quantile(polls, 0.5).toFixed(1)} ms, p99 ${quantile(polls, 0.99).toFixed(1)} ms`,
  );
  const filterPrompt = (s) => /filter/i.test(s.split('\n').slice(-3).join('\n'));
  const activePanel = (s) => /\[(\d) [A-Za-z ]+\]/.exec(s)?.[1] ?? '';
  const selected = (s) => s.split('\n').findIndex((l) => l.startsWith('> '));
  const keys = [
    { name: '3', send: ['3'], ready: () => send('1'), done: (s) => activePanel(s) === '3' },
    { name: 'Tab', send: ['Tab'], ready: () => send('1'), done: (s) => activePanel(s) === '2' },
    {
      name: 'j',
      send: ['j'],
      ready: () => send('2', 'g'),
      before: selected,
      done: (s, b) => selected(s) !== b && selected(s) >= 0,
    },
    {
      name: '/',
      send: ['/'],
      ready: () => send('3'),
      done: (s) => filterPrompt(s),
    },
    { name: 'Enter', send: ['Enter'], ready: async () => {}, done: (s) => !filterPrompt(s) },
  ];
  const results = {};
  for (const key of keys) results[key.name] = [];
  for (let round = 0; round < rounds; round++) {
    for (const key of keys) {
      await key.ready();
      await new Promise((r) => setTimeout(r, 300));
      // The key's effect must not show yet (the ready keys may still be on their way).
      let screen = await capture();
      const before = key.before ? key.before(screen) : null;
      const readyBy = performance.now() + 3_000;
      while (key.done(screen, before) && performance.now() < readyBy) screen = await capture();
      if (key.done(screen, before)) {
        // Not reached: leave any prompt so the next key starts from the panels.
        await send('Escape');
        continue;
      }
      const started = performance.now();
      await send(...key.send);
      const at = await untilShown(ctl, capture, (s) => key.done(s, before), started, 5_000);
      if (at !== null) results[key.name].push(at - started);
    }
  }
  ctl.close();
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
    if (await test()) return true;
    await new Promise((r) => setTimeout(r, 2));
  }
  if (what !== null) throw new Error(`key-latency: ${what} never showed`);
  return false;
}

/**
 * Wait for the pane to show `done`: read it after every `%output` (and every 20 ms in case an
 * output was missed); returns the time of the last output before the read that showed it, or
 * null after `ms`.
 */
async function untilShown(ctl, capture, done, since, ms) {
  const end = since + ms;
  while (performance.now() < end) {
    await ctl.nextOutput(20);
    const lastOutputAt = ctl.lastOutputAt;
    // Its effect needs an output after the key: without one, an output raced the last read.
    if (lastOutputAt > since && done(await capture())) return lastOutputAt;
  }
  return null;
}

/**
 * A tmux control-mode client (`tmux -C attach`): `command` sends one command and resolves with
 * the lines of its `%begin`…`%end` block; `%output` notifications stamp `lastOutputAt`.
 */
function controlClient(socketName) {
  const proc = spawn('tmux', ['-L', socketName, '-C', 'attach-session', '-t', 'bench'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  // The attach itself answers with a block before any command of ours.
  const waiting = [];
  let readyResolve;
  const ready = new Promise((r) => {
    readyResolve = r;
  });
  waiting.push(() => readyResolve());
  let block = null;
  let buffered = '';
  let outputWaiters = [];
  const client = {
    ready,
    lastOutputAt: 0,
    command(text) {
      return new Promise((resolve) => {
        waiting.push(resolve);
        proc.stdin.write(`${text}\n`);
      });
    },
    nextOutput(timeoutMs) {
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        outputWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    close() {
      proc.stdin.end();
      proc.kill();
    },
  };
  proc.stdout.setEncoding('utf8');
  proc.stdout.on('data', (chunk) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop();
    for (const line of lines) {
      if (block !== null) {
        if (line.startsWith('%end ') || line.startsWith('%error ')) {
          waiting.shift()?.(block);
          block = null;
        } else block.push(line);
      } else if (line.startsWith('%begin ')) block = [];
      else if (line.startsWith('%output ')) {
        client.lastOutputAt = performance.now();
        const woken = outputWaiters;
        outputWaiters = [];
        for (const wake of woken) wake();
      }
    }
  });
  return client;
}
