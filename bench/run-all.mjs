#!/usr/bin/env node
// Run every benchmark, one after another (they share the machine's two cores, so never at the
// same time), echo their output, and end with one Markdown table of all figures for
// docs/measurements.md. Exits non-zero when a benchmark failed.
//
// Usage: node bench/run-all.mjs [--quick] [--only name,name]
//   --quick  small sizes, a few seconds each: proves the scripts work (CI), measures nothing
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { requireBuild } from './sim/report.mjs';

requireBuild();
const { values } = parseArgs({ options: { quick: { type: 'boolean' }, only: { type: 'string' } } });
const quick = values.quick === true;
const here = import.meta.dirname;
export const benchmarks = [
  'event-ingest',
  'memory',
  'task-memory',
  'snapshot-latency',
  'startup',
  'redis-load',
  'screen-cost',
  'key-latency',
  'replay-seek',
].filter((name) => fs.existsSync(path.join(here, `${name}.mjs`)));
const only = values.only ? new Set(values.only.split(',')) : null;

const rows = [];
const failures = [];
for (const name of benchmarks) {
  if (only && !only.has(name)) continue;
  const args = [path.join(here, `${name}.mjs`), ...(quick ? ['--quick'] : [])];
  const started = Date.now();
  console.log(`\n## ${name}`);
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let rest = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      rest += chunk;
      const lines = rest.split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('| ')) rows.push(line);
    });
    const onSignal = () => child.kill('SIGTERM');
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    child.once('exit', (exitCode, signal) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(exitCode ?? (signal ? 128 : 1));
    });
  });
  console.log(`# ${name}: exit ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (code !== 0) failures.push(`${name} (exit ${code})`);
}

console.log('\n## all figures\n');
console.log('| date | machine | command | figure | value | target | ratio |');
console.log('|---|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
if (failures.length > 0) {
  console.error(`\nbench: failed: ${failures.join(', ')}`);
  process.exitCode = 1;
}
