/**
 * The qtop package root (the first parent directory holding qtop's package.json), found at run
 * time so the same code works from `commands/` under vitest, from `dist/commands/` once built,
 * and from an installed package.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The root and its package.json, or null when no qtop package.json is above this file. */
export function findPackage(): { root: string; version: string | null } | null {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'qtop') return { root: dir, version: pkg.version ?? null };
    }
    dir = path.dirname(dir);
  }
  return null;
}
