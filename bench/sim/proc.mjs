// Process helpers shared by the benchmarks: child tracking (nothing is left behind, also on
// Ctrl-C and SIGTERM), CPU and memory of a pid from /proc, a private redis-server on a free port,
// and small statistics. Linux only (reads /proc), like the machines the figures come from.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { answersPing, freePort, throwawayRedisArgs } from '../../dist/commands/shared/local-redis.js';

/** Every child a benchmark started, killed (its whole process group when detached) at exit. */
const children = new Set();

function killChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    if (child.qtopGroup) process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    // already gone
  }
}

function killAll() {
  for (const child of children) killChild(child);
  children.clear();
}

process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    killAll();
    process.exit(128 + (os.constants.signals[signal] ?? 1));
  });
}

/**
 * `spawn` that registers the child for cleanup. `group: true` starts it in its own process group
 * (Celery workers fork pool children; the group is killed as one).
 */
export function track(command, args, options = {}) {
  const { group = false, ...rest } = options;
  const child = spawn(command, args, { ...rest, detached: group });
  child.qtopGroup = group;
  children.add(child);
  child.once('exit', () => {
    if (!group) children.delete(child);
  });
  child.on('error', () => {});
  return child;
}

/** Kill a tracked child (SIGKILL unless `signal` is given) and wait until it has exited. */
export async function stopChild(child, signal = 'SIGKILL', graceMs = 5_000) {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      if (child.qtopGroup && signal === 'SIGKILL') process.kill(-child.pid, 'SIGKILL');
      else child.kill(signal);
    } catch {
      // gone already
    }
    const timer = setTimeout(() => killChild(child), graceMs);
    await exited;
    clearTimeout(timer);
  }
  if (child.qtopGroup) {
    try {
      process.kill(-child.pid, 'SIGKILL'); // pool children left by a crash
    } catch {
      // group empty
    }
  }
  children.delete(child);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** utime + stime of `pid` in seconds (clock ticks of 1/100 s). */
export function cpuSeconds(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Resident set size and its peak (VmHWM) of `pid`, in MB. */
export function memoryMb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/**
 * A private redis-server: free port, no persistence, a temporary directory, killed by `stop()`
 * (and at exit). `args` are extra server arguments.
 */
export async function startRedisServer(args = []) {
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtop-bench-redis-'));
    const child = track('redis-server', [...throwawayRedisArgs(port, dir, ''), ...args], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    let up = false;
    while (Date.now() < deadline && child.exitCode === null) {
      if (await answersPing(port)) {
        up = true;
        break;
      }
      await sleep(25);
    }
    const server = {
      port,
      pid: child.pid,
      url: (db = 0) => `redis://127.0.0.1:${port}/${db}`,
      async stop() {
        await stopChild(child);
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
    if (up) return server;
    await server.stop();
    lastError = new Error(`redis-server did not come up on port ${port}`);
  }
  throw lastError;
}

export function median(values) {
  return quantile(values, 0.5);
}

/** Linear-interpolated quantile of `values` (not modified). */
export function quantile(values, q) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Read a child's stdout line by line; `onLine` gets each complete line. */
export function onLines(stream, onLine) {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    rest += chunk;
    let nl = rest.indexOf('\n');
    while (nl !== -1) {
      onLine(rest.slice(0, nl));
      rest = rest.slice(nl + 1);
      nl = rest.indexOf('\n');
    }
  });
}
