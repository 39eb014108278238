import fs from 'node:fs';
import path from 'node:path';
import { afterEach } from 'vitest';

/**
 * Where helpers write the logs of the processes they start. A log is deleted when its
 * process stops unless a test in the file failed, so failures keep their evidence.
 */
export const logRoot = path.resolve(process.cwd(), '.qtop-test-logs');

let failed = false;

/** Registered by helpers that start processes; marks the file as failed when any test fails. */
export function trackFailures(): void {
  afterEach((context) => {
    if (context.task.result?.state === 'fail') failed = true;
  });
}

export function hasFailures(): boolean {
  return failed;
}

export function logPath(name: string): string {
  fs.mkdirSync(logRoot, { recursive: true });
  return path.join(logRoot, name);
}

/** Remove a log unless a test failed (then say where it is). */
export function settleLog(file: string): void {
  if (failed) {
    process.stderr.write(`kept log: ${file}\n`);
    return;
  }
  fs.rmSync(file, { force: true });
}
