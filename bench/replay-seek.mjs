#!/usr/bin/env node
// Replay cost: how long `qtop replay` and `qtop --json --replay` take to load a recording and to
// rebuild its store, which is what every backward seek does (reducers update the model in place,
// so going back means dispatching from the start again). The input is a real recording made with
// `qtop record` (--file), or one recorded here from a simulated cluster (bench/sim/cluster.mjs);
// it is then repeated, with times and task ids shifted per copy, up to --actions actions, so the
// figures are for a file of that size whatever the cluster behind it.
//
// Usage: node bench/replay-seek.mjs [--quick] [--file REC] [--actions N]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startSimulator } from '../sim/cluster.mjs';
import { median } from './sim/proc.mjs';
import { cleanEnv, fmt, qtopBin, repoRoot, requireBuild, startReport } from './sim/report.mjs';

requireBuild();
const { values } = parseArgs({
  options: { quick: { type: 'boolean' }, file: { type: 'string' }, actions: { type: 'string' } },
});
const quick = values.quick === true;
const target = Number(values.actions ?? (quick ? 5_000 : 100_000));
const report = startReport(`replay: load and rebuild a ${fmt(target)}-action recording`);
const dist = (file) => path.join(repoRoot, 'dist/src/record', file);
const { loadRecording } = await import(dist('reader.js'));
const { createCursor, createTimeline, storeAt } = await import(dist('replay.js'));

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtop-bench-replay-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

/** A recording of a simulated cluster, made by the built `qtop record`. */
async function recordSimulated(seconds) {
  const sim = await startSimulator({ workers: 20, queues: 10, rate: 100, duration: seconds + 30, seed: 7 });
  const file = path.join(dir, 'simulated.ndjson');
  try {
    await new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [qtopBin, 'record', file, '-b', sim.broker, '--duration', `${seconds}s`],
        {
          env: cleanEnv(),
          stdio: ['ignore', 'ignore', 'inherit'],
        },
      );
      child.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`qtop record exited ${code}`)),
      );
    });
  } finally {
    await sim.stop();
  }
  return file;
}

/** `base` repeated, times and task ids shifted per copy, up to `count` actions. */
function amplify(base, count) {
  const [header, ...lines] = fs.readFileSync(base, 'utf8').split('\n').filter(Boolean);
  const at = (line) => Number(/"at":(\d+)/.exec(line)?.[1]);
  const span = Math.max(...lines.map(at)) - Date.parse(JSON.parse(header).startedAt) + 1_000;
  const out = [header];
  for (let copy = 0; out.length <= count; copy++) {
    const shift = copy * span;
    const id = copy.toString(16).padStart(8, '0');
    for (const line of lines) {
      if (out.length > count) break;
      out.push(
        copy === 0
          ? line
          : line
              .replace(/"at":(\d+)/g, (_, n) => `"at":${Number(n) + shift}`)
              .replace(
                /"(timestamp|deliveredAt)":(\d+(?:\.\d+)?)/g,
                (_, k, n) => `"${k}":${Number(n) + shift / 1000}`,
              )
              .replace(/\b[0-9a-f]{8}(-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/g, `${id}$1`),
      );
    }
  }
  const file = path.join(dir, 'amplified.ndjson');
  fs.writeFileSync(file, `${out.join('\n')}\n`);
  return { file, copies: Math.ceil(count / lines.length), baseActions: lines.length };
}

const base = values.file ?? (await recordSimulated(quick ? 4 : 20));
const { file, copies, baseActions } = amplify(base, target);
const size = fs.statSync(file).size;
report.note(
  `input: ${values.file ?? 'a simulated cluster (20 workers, 10 queues, 100 tasks/s)'}, ${fmt(baseActions)} actions, repeated ${copies}x`,
);

const timed = (fn) => {
  const started = performance.now();
  const value = fn();
  return { ms: performance.now() - started, value };
};
const runs = quick ? 1 : 5;

const loads = [];
let timeline;
for (let i = 0; i < runs; i++) {
  const started = performance.now();
  timeline = createTimeline(await loadRecording(fs.createReadStream(file)));
  loads.push(performance.now() - started);
}
const rss = process.memoryUsage().rss;
const minutes = (timeline.endAt - timeline.startAt) / 60_000;
report.figure(
  'load and index (read, JSON.parse, validate)',
  `${fmt(median(loads))} ms for ${fmt(timeline.actions.length)} actions, ${fmt(size / 2 ** 20, 1)} MB (${fmt(minutes, 1)} min recorded); RSS ${fmt(rss / 2 ** 20)} MB`,
);

const builds = Array.from({ length: runs }, () => timed(() => storeAt(timeline, timeline.endAt)).ms);
const perAction = (median(builds) * 1000) / timeline.actions.length;
report.figure(
  'full rebuild (every backward seek near the end)',
  `${fmt(median(builds))} ms (${fmt(perAction, 1)} µs per action, ${fmt(timeline.actions.length / (median(builds) / 1000))} actions/s)`,
);

const cursor = createCursor(timeline);
cursor.seek(timeline.endAt - 20_000);
const forward = timed(() => cursor.seek(timeline.endAt - 10_000)).ms;
const back = timed(() => cursor.seek(timeline.endAt - 20_000)).ms;
report.figure('seek +10 s near the end / -10 s near the end', `${fmt(forward, 2)} ms / ${fmt(back)} ms`);

const cli = [];
for (let i = 0; i < runs; i++) {
  const started = performance.now();
  const out = spawnSync(process.execPath, [qtopBin, '--json', '--replay', file, '--at', 'end'], {
    env: cleanEnv(),
    maxBuffer: 256 * 2 ** 20,
  });
  if (out.status !== 0) throw new Error(`qtop --json --replay exited ${out.status}: ${out.stderr}`);
  cli.push(performance.now() - started);
}
report.figure('`qtop --json --replay FILE --at end` wall time', `${fmt(median(cli))} ms`);
