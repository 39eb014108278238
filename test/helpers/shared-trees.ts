import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The runtimes the repo does not carry: Celery 5.6.3 (with kombu 5.6.2, redis-py 6.4.0) and
 * RedBeat 2.4.2 as plain source trees for Debian's Python. Tests find them through an env var,
 * defaulting to the `../shared/` trees beside the checkout. Where one is absent the tests that
 * need it say so and do not run; CI sets QTOP_REQUIRE_SHARED=1, which makes an absent tree fail.
 */
export type SharedTree = 'celery56' | 'redbeat';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const trees: Record<SharedTree, { env: string; fallback: string; probe: string }> = {
  celery56: { env: 'QTOP_CELERY56_SITE', fallback: '../shared/celery-5.6/site', probe: 'celery/__init__.py' },
  redbeat: {
    env: 'QTOP_REDBEAT_SITE',
    fallback: '../shared/redbeat-2.4.2/site',
    probe: 'redbeat/__init__.py',
  },
};

/** The tree's `site` directory (goes on PYTHONPATH), or null when it is not there. */
export function sharedSite(tree: SharedTree): string | null {
  const spec = trees[tree];
  const dir = path.resolve(repoRoot, process.env[spec.env] || spec.fallback);
  return fs.existsSync(path.join(dir, spec.probe)) ? dir : null;
}

/** What a test says instead of running when the tree is absent. */
export function notRunMessage(tree: SharedTree): string {
  const spec = trees[tree];
  return `not run: set ${spec.env} to the site/ directory of the tree (default ${spec.fallback})`;
}

/** Whether CI asked for every shared tree to be present. */
export function sharedRequired(): boolean {
  return process.env.QTOP_REQUIRE_SHARED === '1';
}

/**
 * The site of `tree` for a test file that needs it: present → the path; absent → null after
 * printing the "not run" line, or an error when CI requires the trees.
 */
export function requireSharedSite(tree: SharedTree): string | null {
  const site = sharedSite(tree);
  if (site) return site;
  if (sharedRequired()) throw new Error(`QTOP_REQUIRE_SHARED=1 but ${notRunMessage(tree).slice(9)}`);
  console.log(notRunMessage(tree));
  return null;
}

/** The Celery versions the interop harness can run workers of. */
export type CeleryVersion = '5.2' | '5.6';

/**
 * The Celery versions to run a versioned interop test on: 5.2 (Debian's, always) and 5.6 when its
 * tree is present. Absent, the file says "not run" for its 5.6 leg; with QTOP_REQUIRE_SHARED=1 it
 * throws instead, so CI cannot pass on 5.2 alone.
 */
export function celeryVersions(): CeleryVersion[] {
  return requireSharedSite('celery56') ? ['5.2', '5.6'] : ['5.2'];
}

/** PYTHONPATH entries that select `version` (Debian's 5.2 needs none). */
export function celeryPythonPath(version: CeleryVersion): string[] {
  if (version === '5.2') return [];
  const site = sharedSite('celery56');
  if (!site) throw new Error(`Celery 5.6 requested but ${notRunMessage('celery56').slice(9)}`);
  return [site];
}
