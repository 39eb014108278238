import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CELERY_APP_DIR, celeryEnv, PYTHON } from './celery-worker.js';
import { onProcessEnd } from './process-end.js';
import { type CeleryVersion, requireSharedSite } from './shared-trees.js';
import { logPath, settleLog } from './test-logs.js';

/**
 * A real `celery beat` of the test beat app (demo/celery_app/qtop_beat_app.py), with
 * RedBeat 2.4.2 from the shared tree or Celery's file scheduler. Runs as
 * `PYTHONPATH=<celery 5.6 site if 5.6>:<redbeat site>:<app dir> /usr/bin/python3 -m celery -A
 * qtop_beat_app beat`, in its own process group so a stop takes everything with it.
 */
export interface BeatOptions {
  brokerUrl: string;
  celery: CeleryVersion;
  scheduler: 'redbeat' | 'file';
  /** `redbeat_lock_timeout` seconds. */
  lockTimeoutSec?: number;
  intervalSec?: number;
  /** Extra env (e.g. QTOP_SEND_SENT_EVENT=1 so beat's sends publish task-sent). */
  env?: Record<string, string>;
}

export interface Beat {
  pid: number;
  logFile: string;
  exited: Promise<number | null>;
  /** Signal the beat process only (SIGTERM: clean stop releasing the lock; SIGKILL: crash). */
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL of the group after 10 s; idempotent. */
  stop(): Promise<void>;
}

const running = new Set<number>();
onProcessEnd(() => {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {}
  }
});

/** The RedBeat site, or null (the caller's test then does not run: see requireSharedSite). */
export function redbeatSite(): string | null {
  return requireSharedSite('redbeat');
}

/** Start beat and resolve once its log says the scheduler started (and, for RedBeat, got the lock). */
export async function startBeat(opts: BeatOptions): Promise<Beat> {
  const site = redbeatSite();
  if (!site) throw new Error('RedBeat tree missing');
  const env = celeryEnv(opts.brokerUrl, undefined, opts.env, opts.celery);
  const parts = env.PYTHONPATH!.split(path.delimiter);
  parts.splice(parts.length - 1, 0, site); // <celery 5.6>:<redbeat>:<app dir>
  env.PYTHONPATH = parts.join(path.delimiter);
  env.QTOP_BEAT_SCHEDULER = opts.scheduler;
  if (opts.lockTimeoutSec !== undefined) env.QTOP_REDBEAT_LOCK_TIMEOUT = String(opts.lockTimeoutSec);
  if (opts.intervalSec !== undefined) env.QTOP_BEAT_INTERVAL = String(opts.intervalSec);
  const port = new URL(opts.brokerUrl).port;
  const logFile = logPath(`celery-beat-${opts.scheduler}-${port}.log`);
  const args = ['-m', 'celery', '-A', 'qtop_beat_app', '-b', opts.brokerUrl, 'beat', '--loglevel', 'DEBUG'];
  if (opts.scheduler === 'file') args.push('-s', path.join(path.dirname(logFile), `beat-schedule-${port}`));
  const fd = fs.openSync(logFile, 'a');
  fs.writeSync(fd, `$ PYTHONPATH=${env.PYTHONPATH} ${PYTHON} ${args.join(' ')}\n`);
  let child: ChildProcess;
  try {
    child = spawn(PYTHON, args, { cwd: CELERY_APP_DIR, env, stdio: ['ignore', fd, fd], detached: true });
  } finally {
    fs.closeSync(fd);
  }
  child.on('error', () => {});
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not spawn celery beat');
  running.add(pid);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => running.delete(pid));
  const ready = opts.scheduler === 'redbeat' ? /beat: Acquired lock/ : /beat: Starting/;
  const deadline = Date.now() + 30_000;
  let done = false;
  void exited.then(() => {
    done = true;
  });
  while (!ready.test(fs.readFileSync(logFile, 'utf8'))) {
    if (done || Date.now() > deadline) {
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');
      throw new Error(`celery beat did not start:\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  let stopping: Promise<void> | undefined;
  return {
    pid,
    logFile,
    exited,
    kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        const timer = setTimeout(() => {
          try {
            process.kill(-pid, 'SIGKILL');
          } catch {}
        }, 10_000);
        await exited;
        clearTimeout(timer);
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {}
        running.delete(pid);
        settleLog(logFile);
      })();
      return stopping;
    },
  };
}
