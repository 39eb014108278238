#!/usr/bin/env node
// Summarise a V8 CPU profile (`node --cpu-prof`): the functions with the most self time, and the
// share of time under a few entry points. Usage: node bench/profile-summary.mjs FILE.cpuprofile [N]
import fs from 'node:fs';
import path from 'node:path';

const file = process.argv[2];
const top = Number(process.argv[3] ?? 25);
if (!file) {
  console.error('usage: node bench/profile-summary.mjs FILE.cpuprofile [N]');
  process.exit(2);
}
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map();
const counts = new Map();
for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
const total = profile.samples.length;
const where = (frame) => {
  const url = frame.url ? path.relative(process.cwd(), frame.url.replace(/^file:\/\//, '')) : '';
  return `${frame.functionName || '(anonymous)'} ${url ? `${url}:${frame.lineNumber + 1}` : ''}`.trim();
};
for (const [id, n] of counts) {
  const key = where(byId.get(id).callFrame);
  self.set(key, (self.get(key) ?? 0) + n);
}
// Inclusive time per file (a rough "which layer" view).
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const byFile = new Map();
for (const [id, n] of counts) {
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const url = byId.get(cur).callFrame.url;
    const key = url
      ? path.relative(process.cwd(), url.replace(/^file:\/\//, ''))
      : byId.get(cur).callFrame.functionName;
    if (!key || seen.has(key)) continue;
    seen.add(key);
    byFile.set(key, (byFile.get(key) ?? 0) + n);
  }
}
const pct = (n) => `${((n / total) * 100).toFixed(1).padStart(5)}%`;
console.log(`# ${file}: ${total} samples, ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s`);
console.log('# self time');
for (const [key, n] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(n)}  ${key}`);
console.log('# inclusive time by file');
for (const [key, n] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`${pct(n)}  ${key}`);
// Self time by layer: qtop's selectors (dist/src), its views (dist/views), each package.
const byLayer = new Map();
for (const [id, n] of counts) {
  const { url, functionName } = byId.get(id).callFrame;
  const rel = url ? path.relative(process.cwd(), url.replace(/^file:\/\//, '')) : '';
  const layer = rel.startsWith('node_modules/')
    ? rel
        .split('/')
        .slice(0, rel.startsWith('node_modules/@') ? 3 : 2)
        .join('/')
    : rel.startsWith('dist/')
      ? rel
          .split('/')
          .slice(0, rel.startsWith('dist/src/') ? 3 : 2)
          .join('/')
      : rel || functionName || '(other)';
  byLayer.set(layer, (byLayer.get(layer) ?? 0) + n);
}
console.log('# self time by layer');
for (const [key, n] of [...byLayer].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`${pct(n)}  ${key}`);
