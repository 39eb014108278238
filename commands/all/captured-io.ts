/**
 * A CliIo that keeps what a command wrote, so one run per profile can go on side by side and
 * the caller decides what reaches the terminal (`qtop --all`, `qtop check --all`).
 */
import { PassThrough } from 'node:stream';
import type { CliIo } from '../shared/io.js';

export interface CapturedIo {
  io: CliIo;
  stdout(): string;
  stderr(): string;
  exitCode(): number | null;
}

/** Capture stdout, stderr and the exit code; `env` is the caller's. */
export function capturedIo(env: NodeJS.ProcessEnv): CapturedIo {
  let out = '';
  let err = '';
  let code: number | null = null;
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (chunk) => {
    out += chunk;
  });
  stderr.on('data', (chunk) => {
    err += chunk;
  });
  return {
    io: {
      stdout,
      stderr,
      env,
      setExitCode: (c) => {
        code = c;
      },
    },
    stdout: () => out,
    stderr: () => err,
    exitCode: () => code,
  };
}
