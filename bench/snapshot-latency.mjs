#!/usr/bin/env node
// Snapshot latency: wall time (spawn to exit) of `qtop --json` on a real 3-worker Celery 5.2
// cluster, against `python3 -m celery -A qtop_test_app inspect stats` and `inspect active` on the
// same cluster in the same run, runs interleaved so load on the machine hits all three alike.
// Four app.sleepy tasks keep `active` non-empty. Each qtop snapshot is checked: three workers with
// their `stats` (pool size) and the running tasks, or the run does not count.
//
// Usage: node bench/snapshot-latency.mjs [--quick] [--runs N]
import { execFile } from 'node:child_process';
import { parseArgs } from 'node:util';
import { CELERY_APP_DIR, celeryEnv, startCeleryCluster } from './sim/celery-cluster.mjs';
import { median, quantile } from './sim/proc.mjs';
import { cleanEnv, fmt, PYTHON, qtopBin, requireBuild, startReport, times } from './sim/report.mjs';

requireBuild();
const { values } = parseArgs({ options: { quick: { type: 'boolean' }, runs: { type: 'string' } } });
const quick = values.quick === true;
const runs = Number(values.runs ?? (quick ? 2 : 10));
const report = startReport('snapshot latency: qtop --json vs celery inspect, real 3-worker cluster', {
  python: true,
  celery: true,
});

function timed(file, args, options) {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(file, args, { maxBuffer: 64 << 20, timeout: 60_000, ...options }, (error, stdout, stderr) => {
      resolve({ ms: performance.now() - started, code: error ? (error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

const cluster = await startCeleryCluster({ workers: 3, concurrency: 2 });
const results = { qtop: [], stats: [], active: [] };
try {
  await cluster.sendTasks('app.sleepy', [120], 4);
  report.note(`cluster: ${cluster.hostnames.join(', ')} on ${cluster.brokerUrl}; 4 x app.sleepy(120) sent`);
  const qtop = () =>
    timed(process.execPath, [qtopBin, '-b', cluster.brokerUrl, '--json'], { env: cleanEnv() });
  const inspect = (what) =>
    timed(PYTHON, ['-m', 'celery', '-A', 'qtop_test_app', '-b', cluster.brokerUrl, 'inspect', what], {
      cwd: CELERY_APP_DIR,
      env: celeryEnv(cluster.brokerUrl),
    });
  // One warm-up of each (file cache, the sleepy tasks starting), not counted.
  await qtop();
  await inspect('stats');
  for (let i = 0; i < runs; i++) {
    const q = await qtop();
    let complete = false;
    try {
      const snap = JSON.parse(q.stdout);
      const withStats = snap.workers.filter((w) => w.poolMax !== null).length;
      const busy = snap.workers.reduce((n, w) => n + (w.activeCount ?? 0), 0);
      complete = q.code === 0 && withStats === 3 && busy === 4;
      if (!complete)
        report.note(`  qtop run ${i + 1}: exit ${q.code}, ${withStats} workers with stats, ${busy} active`);
    } catch {
      report.note(`  qtop run ${i + 1}: exit ${q.code}, no JSON: ${q.stderr.trim().split('\n')[0]}`);
    }
    if (complete) results.qtop.push(q.ms);
    for (const what of ['stats', 'active']) {
      const r = await inspect(what);
      const answered = (r.stdout.match(/^->\s+bench\d@/gm) ?? []).length;
      if (r.code === 0 && answered === 3) results[what].push(r.ms);
      else report.note(`  celery inspect ${what} run ${i + 1}: exit ${r.code}, ${answered} replies`);
    }
  }
} finally {
  await cluster.stop();
}

const summary = (list) =>
  list.length
    ? `median ${fmt(median(list))} ms (min ${fmt(Math.min(...list))}, p90 ${fmt(quantile(list, 0.9))}, n=${list.length})`
    : 'no complete run';
const q = median(results.qtop);
const s = median(results.stats);
const a = median(results.active);
report.note(`qtop --json: ${summary(results.qtop)}`);
report.note(`celery inspect stats: ${summary(results.stats)}`);
report.note(`celery inspect active: ${summary(results.active)}`);
report.figure(
  '`qtop --json` wall time, 3 real workers (stats, active, reserved, scheduled, queues, results)',
  summary(results.qtop),
  '< 400 ms; <= 1/4 of the Celery CLI',
  `${times(400 / q)} under 400 ms; ${fmt((q / s) * 100)}% of inspect stats, ${fmt((q / a) * 100)}% of inspect active`,
);
report.figure(
  '`python3 -m celery inspect stats` wall time, same cluster',
  summary(results.stats),
  'peer',
  `qtop is ${times(s / q)} faster`,
);
report.figure(
  '`python3 -m celery inspect active` wall time, same cluster',
  summary(results.active),
  'peer',
  `qtop is ${times(a / q)} faster`,
);
if (results.qtop.length < runs) process.exitCode = 1;
