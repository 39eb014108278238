/**
 * Celery's own producer with the options the wire-read tests need (test/fixtures/wire_reads/
 * produce.py), and the environment that loads wire_reads_config.py into the test app (the result
 * backend's `global_keyprefix`, which qtop_test_app.py has no switch for).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CELERY_APP_DIR, celeryEnv, PYTHON } from './celery-worker.js';
import { type CeleryVersion, celeryPythonPath } from './shared-trees.js';

const WIRE_DIR = fileURLToPath(new URL('../fixtures/wire_reads/', import.meta.url));

/** Environment that also loads wire_reads_config.py (CELERY_CONFIG_MODULE) for the app. */
export function wireEnv(version: CeleryVersion, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PYTHONPATH: [...celeryPythonPath(version), CELERY_APP_DIR, WIRE_DIR].join(path.delimiter),
    CELERY_CONFIG_MODULE: 'wire_reads_config',
    QTOP_RESULT_EXTENDED: '1',
    ...extra,
  };
}

/** One task through produce.py (Celery's own producer); resolves with its id. */
export function produce(
  brokerUrl: string,
  version: CeleryVersion,
  task: string,
  args: unknown[] | string,
  flags: string[],
  env: Record<string, string> = {},
): Promise<string> {
  const argv = [
    path.join(WIRE_DIR, 'produce.py'),
    task,
    typeof args === 'string' ? args : JSON.stringify(args),
    ...flags,
  ];
  const fullEnv = celeryEnv(brokerUrl, undefined, wireEnv(version, env), version);
  return new Promise((resolve, reject) => {
    execFile(PYTHON, argv, { cwd: WIRE_DIR, env: fullEnv, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`produce.py failed: ${error.message}\n${stderr}`));
      else resolve(stdout.trim());
    });
  });
}
