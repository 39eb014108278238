import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../commands/shared/local-redis.js';
import { onProcessEnd } from './process-end.js';
import { logPath, settleLog } from './test-logs.js';
import { waitFor } from './wait-for.js';

const running = new Set<ChildProcess>();
onProcessEnd(() => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
});

export interface SentinelOptions {
  masterName: string;
  masterPort: number;
  /** The master's `requirepass` (`sentinel auth-pass`). */
  masterPassword?: string;
  /** The sentinel's own `requirepass`. */
  password?: string;
}

/** A real `redis-sentinel` (Debian package redis-sentinel) watching one master. */
export interface Sentinel {
  port: number;
  /** A client of this sentinel (authenticated); disconnected by `stop()`. */
  client: Redis;
  /** `SENTINEL GET-MASTER-ADDR-BY-NAME` as `host:port`. */
  masterAddress(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Start a sentinel on a free port with a config file of its own (Sentinel rewrites it) and wait
 * until it reports the master. `down-after-milliseconds` is 1 s so failovers happen within a test.
 */
export async function startSentinel(opts: SentinelOptions): Promise<Sentinel> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `qtop-sentinel-${port}-`));
  const logFile = logPath(`sentinel-${port}.log`);
  const lines = [
    `port ${port}`,
    'bind 127.0.0.1',
    `dir ${dir}`,
    `logfile ${logFile}`,
    `sentinel monitor ${opts.masterName} 127.0.0.1 ${opts.masterPort} 1`,
    `sentinel down-after-milliseconds ${opts.masterName} 1000`,
    `sentinel failover-timeout ${opts.masterName} 5000`,
  ];
  if (opts.masterPassword) lines.push(`sentinel auth-pass ${opts.masterName} ${opts.masterPassword}`);
  if (opts.password) lines.push(`requirepass ${opts.password}`);
  const config = path.join(dir, 'sentinel.conf');
  fs.writeFileSync(config, `${lines.join('\n')}\n`);
  const child = spawn('redis-sentinel', [config], { stdio: 'ignore' });
  running.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      resolve();
    }),
  );
  const client = new Redis({ port, host: '127.0.0.1', password: opts.password, lazyConnect: true });
  client.on('error', () => {});
  const sentinel: Sentinel = {
    port,
    client,
    async masterAddress() {
      const [host, masterPort] = (await client.call(
        'SENTINEL',
        'GET-MASTER-ADDR-BY-NAME',
        opts.masterName,
      )) as [string, string];
      return `${host}:${masterPort}`;
    },
    async stop() {
      client.disconnect();
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
      settleLog(logFile);
    },
  };
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`redis-sentinel exited with ${child.exitCode}`);
        if (client.status === 'wait' || client.status === 'end') await client.connect();
        return (await sentinel.masterAddress()) === `127.0.0.1:${opts.masterPort}`;
      },
      10_000,
      `redis-sentinel on port ${port}`,
    );
  } catch (error) {
    await sentinel.stop();
    throw error;
  }
  return sentinel;
}
