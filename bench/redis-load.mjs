#!/usr/bin/env node
// qtop's own load on Redis at its default cadence, by queue count: a private redis-server,
// N queues declared the way kombu declares them (binding + real task messages on two priority
// lists), `qtop --json --watch` running for a while, and Redis's INFO commandstats before
// and after. The same window is measured once without qtop first, so qtop's share of redis-server
// CPU is the difference (the server's own cron costs ~0.2% of a core when idle).
// Prints one line per queue count, then the figure rows.
// Usage: node bench/redis-load.mjs [--quick] [seconds] [N...]   (default: 20 s; 10, 1000, 5000 queues)
import { spawn, spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { queueListKey } from '../dist/src/celery/names.js';
import { wireOptions } from '../dist/src/celery/options.js';
import { encodeTaskMessage } from '../dist/src/celery/task-encode.js';
import { cpuSeconds, sleep, startRedisServer } from './sim/proc.mjs';
import { cleanEnv, fmt, qtopBin, requireBuild, startReport, times } from './sim/report.mjs';

requireBuild();
const quick = process.argv.includes('--quick');
const positional = process.argv.slice(2).filter((a) => a !== '--quick');
const seconds = Number(positional[0] ?? (quick ? 1 : 20));
const counts = positional.slice(1).map(Number);
const queueCounts = counts.length > 0 ? counts : quick ? [10, 1000] : [10, 1000, 5000];
const sep = '\x06\x16';
const report = startReport("Redis cost: qtop's own load on redis-server at default cadence");

function cli(port, ...args) {
  const out = spawnSync('redis-cli', ['-p', String(port), ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return out.stdout;
}

/** Sum of calls and usec over every command, from INFO commandstats. */
function commandStats(port) {
  let calls = 0;
  let usec = 0;
  for (const line of cli(port, 'INFO', 'commandstats').split('\n')) {
    const match = /^cmdstat_[^:]+:calls=(\d+),usec=(\d+)/.exec(line);
    if (match) {
      calls += Number(match[1]);
      usec += Number(match[2]);
    }
  }
  return { calls, usec };
}

async function window(port, pid) {
  const before = commandStats(port);
  const cpuBefore = cpuSeconds(pid);
  const start = Date.now();
  await sleep(seconds * 1000);
  const after = commandStats(port);
  const cpuAfter = cpuSeconds(pid);
  const elapsed = (Date.now() - start) / 1000;
  return {
    elapsed,
    perSec: (after.calls - before.calls) / elapsed,
    inCommands: (after.usec - before.usec) / 1e6 / elapsed,
    serverCpu: (cpuAfter - cpuBefore) / elapsed,
  };
}

async function measure(queues) {
  const server = await startRedisServer();
  const redis = new Redis({ port: server.port, lazyConnect: true });
  await redis.connect();
  try {
    const opts = wireOptions();
    const pipe = redis.pipeline();
    for (let q = 0; q < queues; q++) {
      const name = `q${q}`;
      pipe.sadd(`_kombu.binding.${name}`, `${name}${sep}${sep}${name}`);
      for (const priority of [0, 0, 0, 9]) {
        const task = encodeTaskMessage(
          { name: 'app.add', args: [q, priority], kwargs: {}, queue: name, priority },
          opts,
        );
        pipe.lpush(queueListKey(opts, name, priority === 9 ? 9 : 0), task.value.raw);
      }
    }
    await pipe.exec();
    const idle = await window(server.port, server.pid); // the same window without qtop
    const watcher = spawn(
      process.execPath,
      [qtopBin, '-b', server.url(0), '--json', '--watch', '--interval', '5'],
      { stdio: ['ignore', 'ignore', 'inherit'], env: cleanEnv() },
    );
    try {
      await sleep(2_000); // let start-up (connect, first sample) pass
      const w = await window(server.port, server.pid);
      const share = Math.max(0, w.serverCpu - idle.serverCpu);
      console.log(
        `${queues} queues: ${w.perSec.toFixed(0)} commands/s; redis-server CPU ${(w.serverCpu * 100).toFixed(1)}% of one core ` +
          `(${(w.inCommands * 100).toFixed(2)}% inside commands; ${(idle.serverCpu * 100).toFixed(1)}% without qtop) over ${w.elapsed.toFixed(0)} s`,
      );
      return { queues, ...w, idleCpu: idle.serverCpu, share };
    } finally {
      watcher.kill('SIGINT');
      await new Promise((resolve) => watcher.once('exit', resolve));
    }
  } finally {
    redis.disconnect();
    await server.stop();
  }
}

const rows = [];
for (const n of queueCounts) rows.push(await measure(n));
for (const r of rows) {
  const target = r.queues === 1000 ? '< 1% of one core at 1,000 queues' : '';
  const ratio =
    r.queues === 1000
      ? `${times(0.01 / Math.max(r.share, 1e-4))} under the target`
      : `${fmt(r.perSec / r.queues, 1)} commands per queue per second`;
  report.figure(
    `qtop's Redis cost, ${fmt(r.queues)} queues (default cadence)`,
    `${fmt(r.perSec)} commands/s; redis-server CPU ${(r.serverCpu * 100).toFixed(1)}% of one core, ` +
      `${(r.share * 100).toFixed(1)}% more than without qtop (${(r.inCommands * 100).toFixed(2)}% inside commands)`,
    target,
    ratio,
  );
}
