// How every benchmark prints: a header naming the date, the machine, the software and the exact
// command, then one Markdown table row per figure, ready to paste into
// docs/measurements.md: | date | machine | command | figure | value | target | ratio |. Lines that are not figures
// start with '#', so `grep '^|'` extracts the table.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const qtopBin = path.join(repoRoot, 'dist/commands/main.js');
export const PYTHON = '/usr/bin/python3';

function version(command, args, pattern) {
  const out = spawnSync(command, args, { encoding: 'utf8' });
  const text = `${out.stdout ?? ''}${out.stderr ?? ''}`;
  return pattern.exec(text)?.[1] ?? 'unknown';
}

function cpuModel() {
  try {
    const info = fs.readFileSync('/proc/cpuinfo', 'utf8');
    return /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown CPU';
  } catch {
    return os.cpus()[0]?.model ?? 'unknown CPU';
  }
}

/** `nproc` as the shell reports it (cgroup/affinity aware), falling back to os.availableParallelism. */
export function nproc() {
  const out = spawnSync('nproc', [], { encoding: 'utf8' });
  const n = Number(out.stdout?.trim());
  return Number.isInteger(n) && n > 0 ? n : os.availableParallelism();
}

/** The environment without CELERY_* / QTOP_* settings of the caller's shell, for qtop children. */
export function cleanEnv(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^(CELERY_|QTOP_)/.test(key)) env[key] = value;
  return { ...env, ...extra };
}

let cachedMachine = null;
/** One short machine description for the table's machine column. */
export function machine() {
  cachedMachine ??= `${nproc()} cores, node ${process.version.slice(1)}`;
  return cachedMachine;
}

/** Exit with a clear message when `dist/` is missing: every benchmark drives the built code. */
export function requireBuild() {
  if (!fs.existsSync(qtopBin)) {
    console.error(`qtop bench: ${qtopBin} is missing; run \`npm run build\` first`);
    process.exit(2);
  }
}

/**
 * Print the header and return a reporter. `extra` lists more software to name (`python`,
 * `celery`). The command is the one the user typed, relative to the repository.
 */
export function startReport(title, { python = false, celery = false } = {}) {
  const date = new Date().toISOString();
  const script = path.relative(repoRoot, process.argv[1] ?? '');
  const command = ['node', script, ...process.argv.slice(2)].join(' ');
  const software = [
    `node ${process.version.slice(1)}`,
    `redis-server ${version('redis-server', ['--version'], /v=([\d.]+)/)}`,
  ];
  if (python) software.push(`Python ${version(PYTHON, ['--version'], /Python ([\d.]+)/)}`);
  if (celery) {
    software.push(
      `Celery ${version(PYTHON, ['-c', 'import celery; print(celery.__version__)'], /([\d.]+)/)}`,
    );
  }
  console.log(`# ${title}`);
  console.log(`# date: ${date}`);
  console.log(
    `# machine: nproc ${nproc()}, ${cpuModel()}, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, ` +
      `${os.type()} ${os.release()}, load average ${os
        .loadavg()
        .map((v) => v.toFixed(2))
        .join(' ')}`,
  );
  console.log(`# software: ${software.join(', ')}`);
  console.log(`# command: ${command}`);
  const day = date.slice(0, 10);
  let rows = 0;
  return {
    command,
    note(text) {
      console.log(`# ${text}`);
    },
    /** One figure row. `ratio` is free text ("2.1x the target", "14x the Python engine"). */
    figure(figure, value, target = '', ratio = '') {
      rows += 1;
      const cells = [day, machine(), `\`${command}\``, figure, value, target, ratio];
      console.log(`| ${cells.map((c) => String(c).replaceAll('|', '\\|')).join(' | ')} |`);
    },
    get rows() {
      return rows;
    },
  };
}

/** 123456.7 -> '123,457' */
export function fmt(n, digits = 0) {
  if (!Number.isFinite(n)) return String(n);
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A ratio as '12.3x' (one decimal below 100). */
export function times(n) {
  if (!Number.isFinite(n)) return 'n/a';
  return n >= 100 ? `${fmt(n)}x` : `${n.toFixed(1)}x`;
}
