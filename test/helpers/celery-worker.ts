import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { onProcessEnd } from './process-end.js';
import { type RedisServer, type RedisServerOptions, startRedis } from './redis-server.js';
import { type CeleryVersion, celeryPythonPath } from './shared-trees.js';
import { logPath, settleLog } from './test-logs.js';

/**
 * The only interpreter with Celery 5.2 installed (Debian's python3-celery). The `python3` first on
 * PATH is another interpreter without it, so never rely on PATH.
 */
export const PYTHON = '/usr/bin/python3';

/** Directory of the test Celery app (`qtop_test_app.py`) and its producer CLI (`send_tasks.py`). */
export const CELERY_APP_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../demo/celery_app',
);

/** kombu's separator inside binding members (`\x06\x16`, ACK SYN). */
export const KOMBU_SEP = '\x06\x16';

/** How long `startWorker` waits for a worker to answer before giving up. */
const READY_TIMEOUT_MS = 30_000;

export interface WorkerOptions {
  brokerUrl: string;
  /** Result backend URL; defaults to the broker URL (the app's own default). */
  backendUrl?: string;
  /** Node name without host, e.g. 'w1'; the worker runs as `-n {name}@%h`. */
  name: string;
  /** `-Q`; default: the app's default queue `celery`. */
  queues?: string[];
  /** `--concurrency`. */
  concurrency?: number;
  /** `-E`: send task events. Worker events (online/heartbeat/offline) are sent either way. */
  events?: boolean;
  pool?: 'prefork' | 'solo' | 'threads';
  /** `--autoscale max,min` (Celery's order, despite what its 5.2 help text says). */
  autoscale?: [max: number, min: number];
  /** `--prefetch-multiplier`. */
  prefetchMultiplier?: number;
  /**
   * Extra environment, mostly the app's `QTOP_*` switches (see qtop_test_app.py). If it sets
   * `QTOP_GLOBAL_KEYPREFIX`, readiness detection uses the prefixed key and channel names too.
   */
  env?: Record<string, string>;
  /** Appended to the worker command line, e.g. `['--without-mingle']`. */
  extraArgs?: string[];
  /** Which Celery runs it: Debian's 5.2.6 (default) or the 5.6.3 tree (test/helpers/shared-trees.ts). */
  celery?: CeleryVersion;
}

/** A running Celery worker started by `startWorker`. */
export interface Worker {
  /** Full node name, `{name}@{host}`, as it appears in events, replies and the pidbox binding. */
  hostname: string;
  name: string;
  /** PID of the worker's main process; it also leads the process group its pool children are in. */
  pid: number;
  brokerUrl: string;
  /** Combined stdout/stderr; deleted by `stop()` unless a test in the file failed. */
  logFile: string;
  /** Milliseconds from spawn until the worker answered a control `ping`. */
  startupMs: number;
  /** Resolves with the exit code (or null when a signal ended it) once the main process has exited. */
  exited: Promise<number | null>;
  /**
   * Warm shutdown (SIGTERM), then SIGKILL of the whole process group after `timeoutMs`
   * (default 15 s) for tasks that would not finish. Idempotent; always reaps stray pool children.
   */
  stop(timeoutMs?: number): Promise<void>;
  /**
   * Send `signal` (default SIGKILL) to the main process only, so Celery sees exactly the signal a
   * test means (SIGTERM warm, SIGQUIT cold, SIGKILL crash). Pool children a crash leaves behind
   * are reaped by `stop()`/`stopAll()`.
   */
  kill(signal?: NodeJS.Signals): void;
}

const running = new Set<Worker>();
const groupLeaders = new Set<number>();

// Workers run in their own process group (detached) so that stop() can reap pool children too.
// The flip side is that nothing kills them if the test process dies, which is how Vitest ends its
// forks (SIGTERM, measured: a worker left running by a test outlived the run, since 'exit' is not
// emitted on a signal death). So kill them on exit and on the signals that end a test process.
onProcessEnd(() => {
  for (const pid of groupLeaders) killGroup(pid, 'SIGKILL');
});

/**
 * Start a real Celery worker (5.2, or 5.6 with `celery: '5.6'`) of the test app and resolve once it is ready: it answered a
 * control `ping` addressed to it. Rejects after 30 s, or as soon as the worker exits, with the
 * tail of its log. The worker is tracked so `stopAll()` (and, failing that, process exit) ends it.
 */
export async function startWorker(opts: WorkerOptions): Promise<Worker> {
  const broker = new URL(opts.brokerUrl);
  const db = Number(broker.pathname.replace(/^\//, '') || '0');
  const hostname = `${opts.name}@${os.hostname()}`; // Celery's %h is socket.gethostname(), as is os.hostname()
  const logFile = logPath(`celery-${opts.name}-${broker.port}.log`);

  // `-b` duplicates QTOP_BROKER_URL on purpose: `ps` then shows which cluster a worker belongs
  // to, so a test can look for its own leftovers without seeing another file's workers.
  const args = ['-m', 'celery', '-A', 'qtop_test_app', '-b', opts.brokerUrl, 'worker'];
  args.push('-n', `${opts.name}@%h`, '--loglevel', 'INFO');
  if (opts.queues?.length) args.push('-Q', opts.queues.join(','));
  if (opts.concurrency !== undefined) args.push('--concurrency', String(opts.concurrency));
  if (opts.events) args.push('-E');
  if (opts.pool) args.push('--pool', opts.pool);
  if (opts.autoscale) args.push('--autoscale', `${opts.autoscale[0]},${opts.autoscale[1]}`);
  if (opts.prefetchMultiplier !== undefined) {
    args.push('--prefetch-multiplier', String(opts.prefetchMultiplier));
  }
  args.push(...(opts.extraArgs ?? []));

  const env = celeryEnv(opts.brokerUrl, opts.backendUrl, opts.env, opts.celery);
  const fd = fs.openSync(logFile, 'a'); // a restarted worker keeps its earlier run's log (if kept)
  fs.writeSync(fd, `$ ${PYTHON} ${args.join(' ')}\n`);
  const started = Date.now();
  let child: ChildProcess;
  try {
    child = spawn(PYTHON, args, { cwd: CELERY_APP_DIR, env, stdio: ['ignore', fd, fd], detached: true });
  } finally {
    fs.closeSync(fd); // the child holds its own copy
  }
  child.on('error', () => {}); // a failed spawn shows up as the missing pid just below
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not spawn ${PYTHON} for worker ${hostname}`);
  groupLeaders.add(pid);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  let stopping: Promise<void> | undefined;
  const worker: Worker = {
    hostname,
    name: opts.name,
    pid,
    brokerUrl: opts.brokerUrl,
    logFile,
    startupMs: 0,
    exited,
    kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    stop(timeoutMs = 15_000) {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), timeoutMs);
          await exited;
          clearTimeout(timer);
        }
        // A graceful exit has already joined the pool; after a crash or a timeout its children
        // may still be around, holding broker connections that would confuse later checks.
        killGroup(pid, 'SIGKILL');
        await waitGroupGone(pid);
        groupLeaders.delete(pid);
        running.delete(worker);
        settleLog(logFile);
      })();
      return stopping;
    },
  };
  running.add(worker);

  try {
    // A worker whose accept_content lacks json never answers a JSON ping: its log's "ready." has to do.
    const accept = (opts.env?.QTOP_ACCEPT_CONTENT ?? 'json').split(',');
    const sep = opts.env?.QTOP_SEP || KOMBU_SEP; // the app's transport `sep` switch
    await waitReady(worker, db, opts.env?.QTOP_GLOBAL_KEYPREFIX ?? '', child, !accept.includes('json'), sep);
  } catch (error) {
    await worker.stop(2_000);
    throw error;
  }
  worker.startupMs = Date.now() - started;
  return worker;
}

/** Stop every worker `startWorker` started and that is not stopped yet; meant for `afterAll`. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((worker) => worker.stop()));
}

/**
 * Readiness = the worker answered a `ping` addressed to it (destination = its node name).
 *
 * Why not something cheaper:
 * - `worker-online` is published by the Heart bootstep, which starts before Control and Tasks
 *   (measured: it arrives a few ms before the binding), so control commands sent right after it
 *   can go unheard. It would also need a subscription opened before the spawn.
 * - The pidbox binding (`_kombu.binding.celery.pidbox`) is added when the Control bootstep
 *   declares the mailbox, but kombu only issues the PSUBSCRIBE on `/{db}.celery.pidbox` when the
 *   event loop next polls. A broadcast published in between is lost for that worker. Measured:
 *   in 1 of 9 starts the binding was there and the first ping still went unanswered, which
 *   would make `inspect`-style tests flaky.
 * A ping reply proves the event loop is running with the mailbox subscribed, and therefore also
 * consuming its task queues. It costs one round trip once the binding is there, so we poll the
 * binding first (cheap, every 50 ms) and only then ping, instead of flooding pings during boot.
 */
async function waitReady(
  worker: Worker,
  db: number,
  prefix: string,
  child: ChildProcess,
  byLog = false,
  sep = KOMBU_SEP,
): Promise<void> {
  const redis = new Redis(worker.brokerUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => {}); // connection errors surface as rejected commands, retried below
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const bindingKey = `${prefix}_kombu.binding.celery.pidbox`;
  const member = `${sep}${sep}${worker.hostname}.celery.pidbox`;
  let lastError: unknown;
  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `celery worker ${worker.hostname} exited (${child.exitCode ?? child.signalCode}) before it was ready\n` +
            logTail(worker.logFile),
        );
      }
      try {
        if (redis.status === 'wait') await redis.connect();
        if (
          (await redis.sismember(bindingKey, member)) === 1 &&
          (byLog
            ? fs.readFileSync(worker.logFile, 'utf8').includes(`${worker.hostname} ready.`)
            : await ping(redis, db, prefix, worker.hostname, 500, sep))
        ) {
          return;
        }
      } catch (error) {
        lastError = error;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const cause = lastError === undefined ? '' : ` (last error: ${String(lastError)})`;
    throw new Error(
      `celery worker ${worker.hostname} not ready after ${READY_TIMEOUT_MS / 1000} s${cause}\n` +
        logTail(worker.logFile),
    );
  } finally {
    redis.disconnect();
  }
}

/**
 * One pidbox `ping` round to `hostname` (wire doc section 7), waiting `timeoutMs` for the reply.
 * Written out here rather than imported from src/ so the harness does not depend on the code it
 * is used to test.
 */
async function ping(
  redis: Redis,
  db: number,
  prefix: string,
  hostname: string,
  timeoutMs = 500,
  sep = KOMBU_SEP,
): Promise<boolean> {
  const oid = randomUUID();
  const ticket = randomUUID();
  const replyBindingKey = `${prefix}_kombu.binding.reply.celery.pidbox`;
  const replyBinding = `${oid}${sep}${sep}${oid}.reply.celery.pidbox`;
  const replyQueue = `${prefix}${oid}.reply.celery.pidbox`;
  const body = {
    method: 'ping',
    arguments: {},
    destination: [hostname],
    pattern: null,
    matcher: null,
    ticket,
    reply_to: { exchange: 'reply.celery.pidbox', routing_key: oid },
  };
  const envelope = {
    body: Buffer.from(JSON.stringify(body)).toString('base64'),
    'content-encoding': 'utf-8',
    'content-type': 'application/json',
    headers: { clock: 1, expires: Date.now() / 1000 + timeoutMs / 1000 },
    properties: {
      delivery_mode: 2,
      delivery_info: { exchange: 'celery.pidbox', routing_key: '' },
      priority: 0,
      body_encoding: 'base64',
      delivery_tag: randomUUID(),
    },
  };
  // Without the reply binding the worker drops its reply silently (wire doc 7.2).
  await redis.sadd(replyBindingKey, replyBinding);
  try {
    await redis.publish(`${prefix}/${db}.celery.pidbox`, JSON.stringify(envelope));
    const popped = await redis.brpop(replyQueue, timeoutMs / 1000);
    if (!popped) return false;
    const reply = JSON.parse(popped[1]) as {
      body: string;
      headers?: { ticket?: string };
      'content-type'?: string;
    };
    if (reply.headers?.ticket !== ticket) return false;
    // task_serializer='pickle' workers reply in pickle: the ticket alone proves it answered.
    if (reply['content-type'] === 'application/x-python-serialize') return true;
    const answer = JSON.parse(Buffer.from(reply.body, 'base64').toString('utf8')) as Record<string, unknown>;
    return JSON.stringify(answer[hostname]) === JSON.stringify({ ok: 'pong' });
  } finally {
    // Leave the broker as a real client would after its round: no stray reply binding or queue
    // for qtop's own queue-discovery tests to trip over.
    await redis.srem(replyBindingKey, replyBinding);
    await redis.del(replyQueue);
  }
}

/**
 * Environment for the app's processes: the caller's environment minus anything that could make
 * Python or the app behave differently from the test's intent (a developer's own PYTHONPATH or
 * QTOP_* settings), plus the broker settings.
 *
 * No C_FORCE_ROOT: the tests run as root, but with JSON-only content Celery 5.2 just warns about
 * it; it refuses only when pickle is accepted. Leaving it unset keeps that guard meaningful.
 */
export function celeryEnv(
  brokerUrl: string,
  backendUrl: string | undefined,
  extra?: Record<string, string>,
  celery: CeleryVersion = '5.2',
) {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(PYTHON|QTOP_)/.test(key)) env[key] = value;
  }
  Object.assign(env, {
    PYTHONPATH: [...celeryPythonPath(celery), CELERY_APP_DIR].join(path.delimiter),
    PYTHONDONTWRITEBYTECODE: '1', // no __pycache__ inside the source tree
    PYTHONUNBUFFERED: '1', // the log file shows what happened right up to a crash
    QTOP_BROKER_URL: brokerUrl,
  });
  if (backendUrl) env.QTOP_RESULT_BACKEND = backendUrl;
  return Object.assign(env, extra);
}

export interface SendTasksOptions {
  queue?: string;
  /** How many identical tasks to send (default 1). */
  count?: number;
  countdown?: number;
  priority?: number;
  kwargs?: Record<string, unknown>;
  /** The app's `QTOP_*` switches; use the workers' values so key prefixes and events agree. */
  env?: Record<string, string>;
  /** Whose producer sends them: Debian's Celery 5.2.6 (default) or the 5.6.3 tree. */
  celery?: CeleryVersion;
}

/**
 * Send `count` tasks through Celery's own producer (send_tasks.py) and resolve with their ids in
 * sending order. Use it when a test needs messages exactly as Python writes them, rather than as
 * qtop writes them.
 */
export function sendTasks(
  brokerUrl: string,
  taskName: string,
  args: unknown[],
  opts: SendTasksOptions = {},
): Promise<string[]> {
  const argv = [path.join(CELERY_APP_DIR, 'send_tasks.py'), taskName, JSON.stringify(args)];
  if (opts.queue !== undefined) argv.push('--queue', opts.queue);
  if (opts.count !== undefined) argv.push('--count', String(opts.count));
  if (opts.countdown !== undefined) argv.push('--countdown', String(opts.countdown));
  if (opts.priority !== undefined) argv.push('--priority', String(opts.priority));
  if (opts.kwargs !== undefined) argv.push('--kwargs', JSON.stringify(opts.kwargs));
  const env = celeryEnv(brokerUrl, undefined, opts.env, opts.celery);
  return new Promise((resolve, reject) => {
    execFile(PYTHON, argv, { cwd: CELERY_APP_DIR, env, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`send_tasks.py ${taskName} failed: ${error.message}\n${stderr}`));
        return;
      }
      resolve(stdout.split('\n').filter((line) => line.trim() !== ''));
    });
  });
}

export interface ClusterOptions {
  /** One entry per worker, started in parallel; the broker URL comes from the cluster. */
  workers: Array<Omit<WorkerOptions, 'brokerUrl'>>;
  /** Broker (and backend) database number; default 0. */
  db?: number;
  redis?: RedisServerOptions;
  /** `QTOP_*` switches given to every worker and to `cluster.sendTasks`; a worker's own env wins. */
  env?: Record<string, string>;
  /** Celery of every worker and of `cluster.sendTasks` (default 5.2); a worker's own `celery` wins. */
  celery?: CeleryVersion;
}

/** A private redis-server with Celery workers on it, from `startCluster`. */
export interface Cluster {
  redis: RedisServer;
  brokerUrl: string;
  workers: Worker[];
  /** The Celery version the cluster's workers and producer run by default. */
  celery: CeleryVersion;
  /** `sendTasks` against this cluster's broker with the cluster's env. */
  sendTasks(taskName: string, args: unknown[], opts?: SendTasksOptions): Promise<string[]>;
  /** Stop the workers (warm), then Redis. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Start a redis-server and the given workers on it, and resolve once all are ready. If any part
 * fails to start, whatever did start is stopped before the error propagates, so a broken setup
 * in `beforeAll` leaves no processes behind.
 */
export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const redis = await startRedis(opts.redis);
  const brokerUrl = redis.url(opts.db ?? 0);
  const results = await Promise.allSettled(
    opts.workers.map((w) =>
      startWorker({ celery: opts.celery, ...w, brokerUrl, env: { ...opts.env, ...w.env } }),
    ),
  );
  const workers = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await Promise.all(workers.map((w) => w.stop()));
      await redis.stop();
    })();
    return stopping;
  };
  const failure = results.find((r) => r.status === 'rejected');
  if (failure) {
    await stop();
    throw failure.reason;
  }
  return {
    redis,
    brokerUrl,
    workers,
    celery: opts.celery ?? '5.2',
    sendTasks: (taskName, args, sendOpts = {}) =>
      sendTasks(brokerUrl, taskName, args, {
        celery: opts.celery,
        ...sendOpts,
        env: { ...opts.env, ...sendOpts.env },
      }),
    stop,
  };
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already empty
  }
}

/** Wait (briefly) until no process of the group is left, so callers can assert a clean table. */
async function waitGroupGone(pid: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    try {
      process.kill(-pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function logTail(file: string, lines = 40): string {
  try {
    const text = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    return `--- last ${Math.min(lines, text.length)} lines of ${file} ---\n${text.slice(-lines).join('\n')}`;
  } catch (error) {
    return `(no log: ${String(error)})`;
  }
}
