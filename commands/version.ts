import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * qtop's version from its package.json. Read at run time (not imported) so the same code
 * works from `commands/` under vitest and from `dist/commands/` once built.
 */
export function readVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'qtop' && pkg.version) return pkg.version;
    }
    dir = path.dirname(dir);
  }
  return '0.0.0-unknown';
}
