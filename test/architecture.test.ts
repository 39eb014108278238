import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The import rules of the design (docs/design.md): data flows one way, views get control
// injected, and only the I/O rooms of src/ may talk to Redis.
const root = process.cwd();

function sourceFiles(dir: string): string[] {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  return fs
    .readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx)$/.test(entry.name))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
}

/** Module specifiers of static imports, dynamic imports and re-exports. */
function importsOf(text: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\bimport\s+(?:type\s+)?[^'"]*?\bfrom\s+['"]([^'"]+)['"]/g,
    /\bimport\s+['"]([^'"]+)['"]/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\bexport\s+(?:type\s+)?(?:\*|\{[^}]*\})\s+from\s+['"]([^'"]+)['"]/g,
  ];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) found.push(match[1]!);
  return found;
}

function topRoom(file: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const target = path.relative(root, path.resolve(root, path.dirname(file), specifier));
  return target.split(path.sep)[0] ?? null;
}

function violations(dirs: string[], rule: (file: string, specifier: string) => string | null): string[] {
  const out: string[] = [];
  for (const dir of dirs) {
    for (const file of sourceFiles(dir)) {
      for (const specifier of importsOf(fs.readFileSync(path.join(root, file), 'utf8'))) {
        const problem = rule(file, specifier);
        if (problem) out.push(`${file}: ${problem}`);
      }
    }
  }
  return out;
}

describe('architecture', () => {
  it('finds imports of every form (the checker itself works)', () => {
    const text =
      `import a from './a.js';\nimport type { B } from "../b.js";\nimport './c.js';\n` +
      `const d = await import('./d.js');\nexport * from './e.js';\nexport { f } from './f.js';`;
    expect(importsOf(text)).toEqual(['./a.js', '../b.js', './c.js', './d.js', './e.js', './f.js']);
  });

  it('src/ imports neither views/ nor commands/', () => {
    const bad = violations(['src'], (file, spec) => {
      const room = topRoom(file, spec);
      return room === 'views' || room === 'commands' ? `imports ${spec}` : null;
    });
    expect(bad).toEqual([]);
  });

  it('views/ never imports commands/ (control arrives injected)', () => {
    const bad = violations(['views'], (file, spec) =>
      topRoom(file, spec) === 'commands' ? `imports ${spec}` : null,
    );
    expect(bad).toEqual([]);
  });

  it('only src/redis and src/sources import ioredis inside src/', () => {
    const bad = violations(['src'], (file, spec) => {
      const allowed =
        file.startsWith(`src${path.sep}redis${path.sep}`) ||
        file.startsWith(`src${path.sep}sources${path.sep}`);
      return spec === 'ioredis' && !allowed ? 'imports ioredis' : null;
    });
    expect(bad).toEqual([]);
  });

  it('src/ loads no UI or CLI framework', () => {
    const bad = violations(['src'], (_file, spec) =>
      ['ink', 'react', 'commander'].includes(spec) ? `imports ${spec}` : null,
    );
    expect(bad).toEqual([]);
  });

  it('views/ never imports ioredis', () => {
    const bad = violations(['views'], (_file, spec) => (spec === 'ioredis' ? 'imports ioredis' : null));
    expect(bad).toEqual([]);
  });
});
