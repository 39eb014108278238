import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  fileCycles,
  folderCycles,
  importsOf,
  readTree,
  type SourceTree,
  writesOutsideControl,
} from './architecture/import-graph.js';

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

  it('has no import cycle between files', () => {
    expect(fileCycles(readTree(root, ['src', 'views', 'commands']))).toEqual([]);
  });

  it('has no cycle between sibling folders, or between a folder and its root files', () => {
    expect(folderCycles(readTree(root, ['src', 'views', 'commands']))).toEqual([]);
  });

  it('writes to task queues, bindings, beat entries or workers only from commands/control/', () => {
    expect(writesOutsideControl(readTree(root, ['src', 'views', 'commands']))).toEqual([]);
  });
});

describe('architecture rules catch what breaks them', () => {
  const tree = (files: Record<string, string>): SourceTree => new Map(Object.entries(files));

  it('a file cycle', () => {
    const t = tree({
      'src/a.ts': "import { b } from './b.js';",
      'src/b.ts': "import type { A } from './a.js';",
      'src/c.ts': "import { a } from './a.js';",
    });
    expect(fileCycles(t)).toEqual([['src/a.ts', 'src/b.ts']]);
  });

  it('a cycle between sibling folders', () => {
    const t = tree({
      'src/store/x.ts': "import { h } from '../hints/h.js';",
      'src/hints/h.ts': "import { y } from '../store/y.js';",
      'src/store/y.ts': '',
    });
    expect(folderCycles(t)).toEqual([['src/hints/', 'src/store/']]);
  });

  it("a cycle between a folder's root files and its subfolder", () => {
    const t = tree({
      'views/keymap.ts': "import { p } from './panels/p.js';",
      'views/panels/p.ts': "import { k } from '../theme.js';",
      'views/theme.ts': '',
    });
    expect(folderCycles(t)).toEqual([['views/*', 'views/panels/']]);
  });

  it('a Redis write outside commands/control/, and none for look-alikes', () => {
    const t = tree({
      'views/bad.ts': 'await redis.lpush(key, body); await broker.publish(channel, text);',
      'src/sources/ok.ts': 'seen.set(id, 1); await fs.rename(a, b); // redis.lpush( in a comment',
      'commands/control/retry.ts': 'await broker.lpush(key, body);',
    });
    expect(writesOutsideControl(t)).toEqual(['views/bad.ts: lpush, publish']);
  });
});
