/**
 * The processes and the temporary directory `qtop demo` owns. Every child runs in a process
 * group of its own (`detached`), so stopping it also ends whatever it forked (Celery's pool
 * children), and a Ctrl-C typed in the terminal reaches qtop alone, which then stops them in
 * order. A synchronous `exit` hook SIGKILLs what is left, so even a crash leaves nothing behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { answersPing, freePort, throwawayRedisArgs } from '../shared/local-redis.js';

/** A child started by `DemoProcs.spawn`, leader of its own process group. */
export interface DemoChild {
  /** What it is, for messages: `redis-server`, `celery worker w1`. */
  label: string;
  pid: number;
  child: ChildProcess;
  /** Resolves once the leader has exited. */
  exited: Promise<void>;
}

/** Owner of the demo's children and of its temporary directory. */
export interface DemoProcs {
  /** The demo's own directory under the system temp dir: Redis's dir, the worker logs. */
  dir: string;
  /** Spawn `command` in a new process group, output appended to `logFile` (inside `dir`). */
  spawn(
    label: string,
    command: string,
    args: string[],
    opts: { env?: NodeJS.ProcessEnv; cwd?: string; logFile?: string },
  ): DemoChild;
  /**
   * Stop the children, newest first (workers before the Redis they talk to): SIGTERM, then
   * SIGKILL of the whole group after `graceMs`; then remove `dir`. Idempotent.
   */
  stopAll(graceMs?: number): Promise<void>;
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is empty already
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function stopOne(entry: DemoChild, graceMs: number): Promise<void> {
  if (entry.child.exitCode === null && entry.child.signalCode === null) {
    killGroup(entry.pid, 'SIGTERM');
    const timer = setTimeout(() => killGroup(entry.pid, 'SIGKILL'), graceMs);
    await entry.exited;
    clearTimeout(timer);
  }
  // The leader may be gone while pool children it forked still hold connections.
  killGroup(entry.pid, 'SIGKILL');
  const deadline = Date.now() + 5_000;
  while (groupAlive(entry.pid) && Date.now() < deadline) await sleep(25);
}

/** Create the demo's temporary directory and the registry of its children. */
export function createDemoProcs(): DemoProcs {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtop-demo-'));
  const children: DemoChild[] = [];
  const onExit = () => {
    for (const entry of children) killGroup(entry.pid, 'SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', onExit);
  let stopping: Promise<void> | undefined;
  return {
    dir,
    spawn(label, command, args, opts) {
      const fd = fs.openSync(opts.logFile ?? path.join(dir, 'output.log'), 'a');
      let child: ChildProcess;
      try {
        child = spawn(command, args, {
          cwd: opts.cwd ?? dir,
          env: opts.env ?? process.env,
          stdio: ['ignore', fd, fd],
          detached: true,
        });
      } finally {
        fs.closeSync(fd); // the child holds its own copy
      }
      child.on('error', () => {}); // a failed spawn shows up as the missing pid below
      if (child.pid === undefined) throw new Error(`could not start ${command} (${label})`);
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const entry = { label, pid: child.pid, child, exited };
      children.push(entry);
      return entry;
    },
    stopAll(graceMs = 3_000) {
      stopping ??= (async () => {
        const workers = children.filter((entry) => entry.label !== 'redis-server');
        await Promise.all(workers.map((entry) => stopOne(entry, graceMs)));
        for (const entry of children.filter((c) => c.label === 'redis-server')) await stopOne(entry, graceMs);
        fs.rmSync(dir, { recursive: true, force: true });
        process.off('exit', onExit);
      })();
      return stopping;
    },
  };
}

/** The demo's Redis: where it listens and which process it is. */
export interface DemoRedis {
  port: number;
  pid: number;
  url: string;
}

/**
 * Start a private redis-server on a free port with no persistence and `procs.dir` as its
 * directory, and resolve once it answers PING. Retries on another port if the one picked was
 * taken in between (the race every free-port pick has).
 */
export async function startDemoRedis(procs: DemoProcs): Promise<DemoRedis> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const args = throwawayRedisArgs(port, procs.dir, '');
    const entry = procs.spawn('redis-server', 'redis-server', args, {
      logFile: path.join(procs.dir, 'redis.log'),
    });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && entry.child.exitCode === null) {
      if (await answersPing(port)) return { port, pid: entry.pid, url: `redis://127.0.0.1:${port}/0` };
      await sleep(25);
    }
    killGroup(entry.pid, 'SIGKILL');
    await entry.exited;
  }
  throw new Error(`redis-server did not start\n${logTail(path.join(procs.dir, 'redis.log'))}`);
}

/** The last lines of a child's log, quoted in a failure message (the log goes with the temp dir). */
export function logTail(file: string, lines = 20): string {
  try {
    const text = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    return text.slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
