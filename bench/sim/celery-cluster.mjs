// A real Celery 5.2 cluster for benchmarks: a private redis-server and N workers of the test app
// (demo/celery_app, /usr/bin/python3 -m celery), each ready once it answered a pidbox
// ping addressed to it (the same readiness rule as test/helpers/celery-worker.ts). Every process is
// tracked and killed on exit, also on Ctrl-C.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { systemClock } from '../../dist/src/base/clock.js';
import { wireOptions } from '../../dist/src/celery/options.js';
import { pidboxRound } from '../../dist/src/sources/pidbox-round.js';
import { sleep, startRedisServer, stopChild, track } from './proc.mjs';
import { PYTHON, repoRoot } from './report.mjs';

export const CELERY_APP_DIR = path.join(repoRoot, 'demo/celery_app');
const SEP = '\x06\x16';

export function celeryEnv(brokerUrl) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(PYTHON|QTOP_|CELERY_)/.test(key)) env[key] = value;
  }
  return {
    ...env,
    PYTHONPATH: CELERY_APP_DIR,
    PYTHONDONTWRITEBYTECODE: '1',
    QTOP_BROKER_URL: brokerUrl,
  };
}

/** Whether `hostname` answers a pidbox ping: qtop's own round (dist/), so the bench keeps no copy of it. */
async function ping(redis, replies, hostname) {
  const round = await pidboxRound(
    redis,
    replies,
    wireOptions(),
    { method: 'ping', destination: [hostname] },
    { timeoutMs: 500 },
    systemClock,
  );
  return round.replies.some((reply) => reply.node === hostname);
}

/**
 * Start redis-server and `workers` Celery workers (`-E`, prefork, `concurrency` slots each) on db 0.
 * Returns `{brokerUrl, hostnames, sendTasks(name, args, count), stop()}`.
 */
export async function startCeleryCluster({ workers = 3, concurrency = 2 } = {}) {
  const server = await startRedisServer();
  const brokerUrl = server.url(0);
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtop-bench-celery-'));
  const children = [];
  const hostnames = [];
  for (let i = 1; i <= workers; i++) {
    const hostname = `bench${i}@${os.hostname()}`;
    hostnames.push(hostname);
    const log = fs.openSync(path.join(logDir, `w${i}.log`), 'a');
    const args = ['-m', 'celery', '-A', 'qtop_test_app', '-b', brokerUrl, 'worker'];
    args.push('-n', `bench${i}@%h`, '-E', '--concurrency', String(concurrency), '--loglevel', 'WARNING');
    children.push(
      track(PYTHON, args, {
        cwd: CELERY_APP_DIR,
        env: celeryEnv(brokerUrl),
        stdio: ['ignore', log, log],
        group: true,
      }),
    );
    fs.closeSync(log);
  }
  const stop = async () => {
    await Promise.all(children.map((child) => stopChild(child, 'SIGTERM', 10_000)));
    await server.stop();
    fs.rmSync(logDir, { recursive: true, force: true });
  };
  const redis = new Redis(brokerUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const replies = new Redis(brokerUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  replies.on('error', () => {});
  try {
    await redis.connect();
    await replies.connect();
    const deadline = Date.now() + 60_000;
    const ready = new Set();
    while (ready.size < workers) {
      if (Date.now() > deadline) throw new Error(`Celery workers not ready after 60 s (logs in ${logDir})`);
      const dead = children.find((child) => child.exitCode !== null);
      if (dead) throw new Error(`a Celery worker exited (${dead.exitCode}); logs in ${logDir}`);
      const members = new Set(await redis.smembers('_kombu.binding.celery.pidbox'));
      for (const hostname of hostnames) {
        if (ready.has(hostname) || !members.has(`${SEP}${SEP}${hostname}.celery.pidbox`)) continue;
        if (await ping(redis, replies, hostname)) ready.add(hostname);
      }
      if (ready.size < workers) await sleep(100);
    }
  } catch (error) {
    redis.disconnect();
    replies.disconnect();
    await stop();
    throw error;
  }
  redis.disconnect();
  replies.disconnect();

  return {
    brokerUrl,
    hostnames,
    /** Send `count` tasks through Celery's own producer (send_tasks.py). */
    sendTasks(name, args, count = 1) {
      const argv = [
        path.join(CELERY_APP_DIR, 'send_tasks.py'),
        name,
        JSON.stringify(args),
        '--count',
        String(count),
      ];
      return new Promise((resolve, reject) => {
        execFile(
          PYTHON,
          argv,
          { cwd: CELERY_APP_DIR, env: celeryEnv(brokerUrl), timeout: 60_000 },
          (error, stdout) => (error ? reject(error) : resolve(stdout.split('\n').filter(Boolean))),
        );
      });
    },
    stop,
  };
}
