import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { onProcessEnd } from './process-end.js';

/** The built executable: tests run qtop as a user does (`npm test` builds first). */
export const qtopBin = path.resolve(process.cwd(), 'dist/commands/main.js');

function ensureBuilt(): void {
  if (!fs.existsSync(qtopBin)) throw new Error(`${qtopBin} is missing: run npm run build first`);
}

const running = new Set<ChildProcess>();
onProcessEnd(() => {
  for (const child of running) child.kill('SIGKILL');
});

/** A clean environment: no CELERY_* / QTOP_* from the developer's shell leaks into a test. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(CELERY_|QTOP_)/.test(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

export interface QtopRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Run `qtop args…` to completion (killed after `timeoutMs`). */
export function runQtop(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 20_000,
): Promise<QtopRun> {
  ensureBuilt();
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [qtopBin, ...args], {
      env: cleanEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    // Decode as a stream: a multi-byte character split across two chunks must not become U+FFFD.
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** A long-running qtop (e.g. `--json --watch`) whose stdout lines are collected as they come. */
export interface QtopProcess {
  pid: number;
  lines: string[];
  stderr(): string;
  /** Resolves with the first line (parsed) for which `match` is true, or rejects after `timeoutMs`. */
  waitForLine<T = unknown>(match: (value: T) => boolean, timeoutMs: number): Promise<T>;
  /** Send `signal` and wait for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Send `signal` without waiting (SIGSTOP/SIGCONT to freeze qtop's event loop). */
  signal(signal: NodeJS.Signals): void;
  /** The exit code once qtop has exited by itself. */
  exited: Promise<number | null>;
}

export function spawnQtop(args: string[], env: Record<string, string> = {}): QtopProcess {
  ensureBuilt();
  const child = spawn(process.execPath, [qtopBin, ...args], {
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    partial += d;
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts.filter((line) => line !== ''));
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  return {
    pid: child.pid ?? 0,
    lines,
    exited,
    signal(signal) {
      if (child.exitCode === null) child.kill(signal);
    },
    stderr: () => stderr,
    async waitForLine<T>(match: (value: T) => boolean, timeoutMs: number): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      let seen = 0;
      while (Date.now() < deadline) {
        for (; seen < lines.length; seen++) {
          let value: T;
          try {
            value = JSON.parse(lines[seen]!) as T;
          } catch {
            throw new Error(`qtop printed a line that is not JSON: ${lines[seen]!.slice(0, 300)}`);
          }
          if (match(value)) return value;
        }
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(
        `no matching line within ${timeoutMs} ms (${lines.length} lines; stderr: ${stderr.slice(-500)})`,
      );
    },
    async stop(signal = 'SIGINT') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
