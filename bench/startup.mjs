#!/usr/bin/env node
// Start-up: wall time of `qtop --version` and `qtop --help` (spawn to exit, median of 20), Node's
// own start (`node -e ''`) for reference, and the time from spawning `qtop --json --watch` to its
// first JSON line on a simulated 20-worker cluster (bench/sim/cluster.mjs), split into what qtop
// reports as its collection window (meta.windowMs: connect + first sample of every source) and the
// rest (process start and module loading). The TUI's time to first frame needs a terminal and is
// not measured here; bench/screen-cost.mjs measures the TUI's frames.
//
// Usage: node bench/startup.mjs [--quick] [--runs N]
import { execFile, spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { startSimulator } from '../sim/cluster.mjs';
import { median, quantile } from './sim/proc.mjs';
import { cleanEnv, fmt, qtopBin, requireBuild, startReport, times } from './sim/report.mjs';

requireBuild();
const { values } = parseArgs({ options: { quick: { type: 'boolean' }, runs: { type: 'string' } } });
const quick = values.quick === true;
const runs = Number(values.runs ?? (quick ? 3 : 20));
const report = startReport('start-up: qtop --version, --help, first JSON line of --json --watch');

function timed(args) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { env: cleanEnv() }, (error, stdout) => {
      if (error) reject(error);
      else resolve({ ms: performance.now() - started, stdout });
    });
  });
}

async function sample(args) {
  const list = [];
  for (let i = 0; i < runs; i++) list.push((await timed(args)).ms);
  return list;
}

const summary = (list) =>
  `median ${fmt(median(list))} ms (min ${fmt(Math.min(...list))}, p90 ${fmt(quantile(list, 0.9))}, n=${list.length})`;

await timed(['-e', '']); // warm the file cache
const nodeOnly = await sample(['-e', '']);
const version = await sample([qtopBin, '--version']);
const help = await sample([qtopBin, '--help']);
report.note(`node -e '': ${summary(nodeOnly)}`);
report.figure(
  '`qtop --version` wall time',
  summary(version),
  '',
  `Node alone takes ${fmt(median(nodeOnly))} ms (${times(median(version) / median(nodeOnly))})`,
);
report.figure(
  '`qtop --help` wall time',
  summary(help),
  '',
  `Node alone takes ${fmt(median(nodeOnly))} ms (${times(median(help) / median(nodeOnly))})`,
);

// ---- first JSON line of --json --watch on a simulated cluster
const sim = await startSimulator({ workers: 20, queues: 20, rate: 50, duration: 600, seed: 7 });
const firstLine = [];
const windows = [];
try {
  await new Promise((r) => setTimeout(r, 2_500)); // heartbeats of every worker have gone out
  const watches = quick ? 2 : 10;
  for (let i = 0; i < watches; i++) {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [qtopBin, '-b', sim.broker, '--json', '--watch', '--interval', '5'],
      {
        env: cleanEnv(),
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const line = await new Promise((resolve, reject) => {
      let text = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk) => {
        text += chunk;
        const nl = text.indexOf('\n');
        if (nl !== -1) resolve(text.slice(0, nl));
      });
      child.once('exit', (code) =>
        reject(new Error(`qtop --json --watch exited (${code}) before its first line`)),
      );
    });
    firstLine.push(performance.now() - started);
    const snap = JSON.parse(line);
    windows.push(snap.meta.windowMs);
    if (snap.workers.length !== 20)
      report.note(`  run ${i + 1}: first line shows ${snap.workers.length} workers`);
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGINT');
    });
  }
} finally {
  await sim.stop();
}
const first = median(firstLine);
const inside = median(windows);
report.figure(
  '`qtop --json --watch`: spawn to first JSON line, 20 simulated workers, 20 queues',
  `${summary(firstLine)}; of which collection (meta.windowMs: connect, subscribe, first sample of every source, inspect rounds) median ${fmt(inside)} ms`,
  '',
  `process start + module loading ~${fmt(first - inside)} ms`,
);
report.note(
  "the TUI's time to first frame is not measured here (it needs a terminal); bench/screen-cost.mjs measures its frames",
);
