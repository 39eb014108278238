/**
 * What `qtop demo` needs from the machine and where its parts are: redis-server on PATH, Debian's
 * Celery 5.2 under /usr/bin/python3, and the demo's Celery app (demo/celery_app) and simulator
 * (sim/), both shipped in the package (`files` in package.json).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { findPackage } from '../shared/package-root.js';

/**
 * The only interpreter with Celery 5.2 (python3-celery). The `python3` first on PATH may be
 * another one without it, so never rely on PATH.
 */
export const DEMO_PYTHON = '/usr/bin/python3';

/** The one line that installs everything a real demo needs on Debian. */
export const INSTALL_HINT = 'apt-get install redis-server python3-celery python3-redis';

/** The package root (see commands/shared/package-root.ts); throws when it cannot be found. */
export function packageRoot(): string {
  const found = findPackage();
  if (!found) throw new Error('cannot find the qtop package root (package.json)');
  return found.root;
}

/** The Celery app the demo workers run (qtop_test_app.py); the interop tests run it too. */
export function demoAppDir(root = packageRoot()): string {
  return path.join(root, 'demo', 'celery_app');
}

/** The wire-level simulator behind `--simulated`. */
export function simulatorPath(root = packageRoot()): string {
  return path.join(root, 'sim', 'simulator.mjs');
}

/**
 * The files of the package the requested mode loads, checked before anything starts: a package
 * built or packed without them must say which file is missing, not fail later in Python.
 */
export function demoFiles(simulated: boolean, root = packageRoot()): string[] {
  if (simulated) return [simulatorPath(root), path.join(root, 'sim', 'cluster.mjs')];
  const app = demoAppDir(root);
  return [path.join(app, 'qtop_test_app.py'), path.join(app, 'send_tasks.py')];
}

/** The message for the first of `files` that does not exist, or null when all do. */
export function missingFileMessage(files: string[], exists = fs.existsSync): string | null {
  const missing = files.find((file) => !exists(file));
  if (missing === undefined) return null;
  return (
    `qtop demo needs ${missing}, which is missing from this qtop package: ` +
    'reinstall qtop (npm pack ships demo/ and sim/), or run it from a clone after npm run build'
  );
}

/** `command` found as an executable file in one of `pathVar`'s directories. */
export function onPath(command: string, pathVar: string | undefined): boolean {
  for (const dir of (pathVar ?? '').split(path.delimiter)) {
    if (!dir) continue;
    try {
      fs.accessSync(path.join(dir, command), fs.constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/** What is missing for a real demo (`celery`) and for a simulated one (`redisServer`). */
export interface DemoPrereqs {
  redisServer: boolean;
  /** python3-celery and python3-redis importable by `python`. */
  celery: boolean;
}

/** Probe the machine; `python` and `pathVar` are parameters so tests can make parts missing. */
export function checkPrereqs(pathVar: string | undefined, python = DEMO_PYTHON): DemoPrereqs {
  // Before anything is started, so a Ctrl-C here (which ends qtop and the probe) leaves nothing.
  const probe = spawnSync(python, ['-c', 'import celery, redis'], { stdio: 'ignore', timeout: 20_000 });
  return { redisServer: onPath('redis-server', pathVar), celery: probe.status === 0 };
}

/**
 * The message for what is missing, or null when the requested mode can run. It names the exact
 * package line, and `--simulated` when only Celery is missing (the simulator needs Redis alone).
 */
export function missingMessage(prereqs: DemoPrereqs, simulated: boolean): string | null {
  if (!prereqs.redisServer) {
    return simulated
      ? 'qtop demo --simulated needs redis-server, which is not on PATH: apt-get install redis-server'
      : `qtop demo needs redis-server, which is not on PATH: ${INSTALL_HINT}`;
  }
  if (!simulated && !prereqs.celery) {
    return (
      `qtop demo needs Celery 5 and redis-py under ${DEMO_PYTHON}: ${INSTALL_HINT}\n` +
      'qtop demo --simulated runs a wire-level simulated cluster instead (needs redis-server only)'
    );
  }
  return null;
}
