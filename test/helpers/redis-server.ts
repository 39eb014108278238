import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, throwawayRedisArgs } from '../../commands/shared/local-redis.js';
import { onProcessEnd } from './process-end.js';
import { logPath, settleLog } from './test-logs.js';

const running = new Set<ChildProcess>();
onProcessEnd(() => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
});

export interface RedisServerOptions {
  /** `requirepass`; the server then answers NOAUTH until AUTH. */
  password?: string;
  /** Extra `redis-server` arguments, e.g. `['--client-output-buffer-limit', 'pubsub 1mb 0 0']`. */
  args?: string[];
  /** A fixed port instead of a free one: to start a server again where its clients expect it. */
  port?: number;
}

/** A private redis-server for one test file: a free port, no persistence, killed by `stop()`. */
export interface RedisServer {
  port: number;
  host: string;
  /** `redis://[:password@]127.0.0.1:port/db`. */
  url(db?: number): string;
  logFile: string;
  /** Freeze (SIGSTOP) and thaw (SIGCONT) the server: its sockets stay open but nothing answers. */
  pause(): void;
  resume(): void;
  /** SIGKILL, like a crash: clients see their connections drop. */
  stop(): Promise<void>;
}

/** Start redis-server on a free port and wait until it answers PING. */
export async function startRedis(options: RedisServerOptions = {}): Promise<RedisServer> {
  if (options.port !== undefined) return launch(options.port, options);
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      return await launch(port, options);
    } catch (error) {
      lastError = error; // most likely someone took the port between probe and bind
    }
  }
  throw lastError;
}

async function launch(port: number, options: RedisServerOptions): Promise<RedisServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `qtop-redis-${port}-`));
  const logFile = logPath(`redis-${port}.log`);
  const args = [...throwawayRedisArgs(port, dir, logFile), '--daemonize', 'no'];
  if (options.password) args.push('--requirepass', options.password);
  args.push(...(options.args ?? []));
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  running.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      resolve();
    }),
  );
  await waitReady(port, child);
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
  return {
    port,
    host: '127.0.0.1',
    url: (db = 0) => `redis://${auth}127.0.0.1:${port}/${db}`,
    logFile,
    pause: () => child.kill('SIGSTOP'),
    resume: () => child.kill('SIGCONT'),
    async stop() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
      settleLog(logFile);
    },
  };
}

async function waitReady(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`redis-server exited with ${child.exitCode} on port ${port}`);
    if (await answersPing(port)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server on port ${port} did not answer within 10 s`);
}

/** True once the server replies to PING (NOAUTH also proves it is up). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setTimeout(500);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(/^(\+PONG|-NOAUTH)/.test(data.toString()));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
