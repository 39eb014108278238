import fs from 'node:fs';
import path from 'node:path';

/**
 * The import graph of the product code, read from the source text, and the rules the design
 * keeps (docs/design.md): no file cycles, no cycles between sibling folders or between a
 * folder's root files and its subfolders, and Redis writes only in commands/control/. Pure
 * over a map of path → text, so the rules are tested on small fixture trees that break them.
 */
export type SourceTree = Map<string, string>;

/** The .ts/.tsx files under `dirs` of the checkout at `root`, as a tree. */
export function readTree(root: string, dirs: string[]): SourceTree {
  const tree: SourceTree = new Map();
  for (const dir of dirs) {
    const full = path.join(root, dir);
    if (!fs.existsSync(full)) continue;
    for (const entry of fs.readdirSync(full, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !/\.(ts|tsx)$/.test(entry.name)) continue;
      const rel = path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
      tree.set(rel, fs.readFileSync(path.join(root, rel), 'utf8'));
    }
  }
  return tree;
}

/** Module specifiers of static imports, dynamic imports and re-exports. */
export function importsOf(text: string): string[] {
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

/** The tree file a relative specifier names (`./x.js` → `dir/x.ts` or `.tsx`), or null. */
export function resolve(tree: SourceTree, from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  for (const candidate of [base, base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx')]) {
    if (tree.has(candidate)) return candidate;
  }
  return null;
}

/** file → the tree files it imports. */
export function edgesOf(tree: SourceTree): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const [file, text] of tree) {
    const out = new Set<string>();
    for (const spec of importsOf(text)) {
      const target = resolve(tree, file, spec);
      if (target && target !== file) out.add(target);
    }
    edges.set(file, out);
  }
  return edges;
}

/** Strongly connected components with more than one node (Tarjan), each sorted. */
export function cycles(edges: Map<string, Set<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return found;
}

/** Cycles between single files. */
export function fileCycles(tree: SourceTree): string[][] {
  return cycles(edgesOf(tree));
}

/**
 * Cycles between rooms: inside each folder, its subfolders (with everything below them) and its
 * own root files (as one room, `dir/*`) are the rooms; an import from one room into another is
 * an arrow. A cycle means two parts of a folder need each other.
 */
export function folderCycles(tree: SourceTree): string[][] {
  const edges = edgesOf(tree);
  const folders = new Set<string>();
  for (const file of tree.keys()) {
    const parts = file.split('/');
    for (let i = 0; i < parts.length - 1; i++) folders.add(parts.slice(0, i).join('/'));
  }
  const found: string[][] = [];
  for (const folder of folders) {
    const prefix = folder === '' ? '' : `${folder}/`;
    const roomOf = (file: string): string | null => {
      if (!file.startsWith(prefix)) return null;
      const rest = file.slice(prefix.length).split('/');
      return rest.length === 1 ? `${prefix}*` : `${prefix}${rest[0]}/`;
    };
    const rooms = new Map<string, Set<string>>();
    for (const [file, targets] of edges) {
      const from = roomOf(file);
      if (from === null) continue;
      if (!rooms.has(from)) rooms.set(from, new Set());
      for (const target of targets) {
        const to = roomOf(target);
        if (to !== null && to !== from) rooms.get(from)!.add(to);
      }
    }
    found.push(...cycles(rooms));
  }
  return found;
}

/**
 * Redis commands that change a queue, a binding set, a beat entry or what workers do (a publish
 * reaches workers' pidbox or a fanout), and the pops that would consume a queue.
 */
const writeCall = new RegExp(
  [
    // Names only Redis clients have.
    String.raw`\.(lpush|rpush|lpushx|rpushx|linsert|lset|lrem|ltrim|lpop|rpop|blpop|brpop|rpoplpush|brpoplpush|lmove|blmove|sadd|srem|smove|spop|zadd|zrem|zincrby|hset|hsetnx|hmset|hdel|hincrby|setex|psetex|getset|getdel|unlink|pexpire|flushdb|flushall|evalsha)\(`,
    // Names other objects have too (Map.set, fs.rename): only on a Redis-looking receiver.
    String.raw`\b(?:redis|broker|backend|client|pipe\w*|multi|tx|publisher)\.(set|del|expire|persist|rename|renamenx|publish|eval)\(`,
  ].join('|'),
  'gi',
);

/** Where a write may stand: the control folder, the pidbox round's own reply binding and list, demo traffic. */
export const writeAllowed = ['commands/control/', 'src/sources/pidbox-round.ts', 'commands/demo/'];

/** Files outside the allowed places that call a Redis write command, with the commands. */
export function writesOutsideControl(tree: SourceTree, allowed = writeAllowed): string[] {
  const bad: string[] = [];
  for (const [file, text] of tree) {
    if (allowed.some((place) => (place.endsWith('/') ? file.startsWith(place) : file === place))) continue;
    const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    const calls = [...new Set([...code.matchAll(writeCall)].map((m) => (m[1] ?? m[2])!.toLowerCase()))];
    if (calls.length > 0) bad.push(`${file}: ${calls.join(', ')}`);
  }
  return bad;
}
