/**
 * The demo's real Celery 5.2 workers: three nodes of the test app with task events on, so the
 * screen has something of every kind to show. Each runs in its own process group (demo-procs).
 */
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { mailboxBindingKey, nodeOfMailboxMember } from '../../src/celery/names.js';
import { defaultWireOptions } from '../../src/celery/options.js';
import { DEMO_PYTHON, demoAppDir } from './env.js';
import { type DemoChild, type DemoProcs, logTail } from './procs.js';

/** One demo worker: node name, the queues it consumes and its pool size. */
export interface DemoWorkerSpec {
  name: string;
  queues: string[];
  concurrency: number;
}

/**
 * `celery` and `mail` share two workers; `reports` gets one slow slot, so its backlog builds;
 * `parked` (see demo-traffic) has no consumer at all.
 */
export const demoWorkers: readonly DemoWorkerSpec[] = [
  { name: 'alpha', queues: ['celery', 'mail'], concurrency: 2 },
  { name: 'bravo', queues: ['celery'], concurrency: 2 },
  { name: 'charlie', queues: ['reports'], concurrency: 1 },
];

/** A started worker. */
export interface DemoWorker extends DemoChild {
  hostname: string;
  logFile: string;
}

/**
 * The app's environment: the caller's minus anything that would change how Python or the app
 * behaves (a developer's own PYTHONPATH or QTOP_* settings), plus the broker.
 */
function workerEnv(brokerUrl: string, appDir: string, tmpDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(PYTHON|QTOP_|CELERY_)/.test(key)) env[key] = value;
  }
  return Object.assign(env, {
    PYTHONPATH: appDir,
    PYTHONDONTWRITEBYTECODE: '1', // no __pycache__ inside the source tree
    QTOP_BROKER_URL: brokerUrl,
    TMPDIR: tmpDir, // the pool's pymp-* dirs go with the demo's dir, even after a SIGKILL
  });
}

/** Spawn the demo workers (not waiting for them); `-b` puts the broker URL in `ps` output. */
export function spawnDemoWorkers(procs: DemoProcs, brokerUrl: string): DemoWorker[] {
  const appDir = demoAppDir();
  const env = workerEnv(brokerUrl, appDir, procs.dir);
  return demoWorkers.map((spec) => {
    const args = ['-m', 'celery', '-A', 'qtop_test_app', '-b', brokerUrl, 'worker', '-E'];
    args.push(
      '-n',
      `${spec.name}@%h`,
      '-Q',
      spec.queues.join(','),
      '--concurrency',
      String(spec.concurrency),
    );
    args.push('--loglevel', 'INFO', '--without-mingle');
    const logFile = path.join(procs.dir, `celery-${spec.name}.log`);
    const child = procs.spawn(`celery worker ${spec.name}`, DEMO_PYTHON, args, { env, cwd: appDir, logFile });
    // Celery's %h is socket.gethostname(), as is os.hostname().
    return { ...child, hostname: `${spec.name}@${os.hostname()}`, logFile };
  });
}

/**
 * Resolve once every worker has declared its pidbox binding (its control loop is up), so the
 * screen opens on a cluster that answers. Rejects with the log tail when one exits, or after
 * `timeoutMs`.
 */
export async function waitWorkersReady(
  brokerUrl: string,
  workers: DemoWorker[],
  timeoutMs = 40_000,
): Promise<void> {
  const redis = new Redis(brokerUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => {}); // surfaces as rejected commands, retried below
  const wire = defaultWireOptions;
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      const dead = workers.find((w) => w.child.exitCode !== null || w.child.signalCode !== null);
      if (dead) throw new Error(`celery worker ${dead.hostname} exited at start:\n${logTail(dead.logFile)}`);
      try {
        if (redis.status === 'wait') await redis.connect();
        const members = await redis.smembers(mailboxBindingKey(wire));
        const nodes = new Set(members.map((m) => nodeOfMailboxMember(wire, m)));
        if (workers.every((w) => nodes.has(w.hostname))) return;
      } catch {
        // Redis busy or reconnecting: try again
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const late = workers[0];
    throw new Error(
      `celery workers not ready after ${timeoutMs / 1000} s${late ? `:\n${logTail(late.logFile)}` : ''}`,
    );
  } finally {
    redis.disconnect();
  }
}
