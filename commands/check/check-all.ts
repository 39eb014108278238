/**
 * `qtop check --all`: the check on every profile of the config file at once. The first line is
 * the worst state across profiles (what Nagios/Icinga reads), then one line per profile; the
 * exit code is the worst state's. A profile that cannot be reached is UNKNOWN for itself and
 * never holds the others back: each is cut off after its window + `--timeout` + 1 s.
 */

import { clean } from '../../src/output/sanitize.js';
import { worstState } from '../../src/snapshot/all-rows.js';
import { profileConfigs } from '../all/all-collect.js';
import { capturedIo } from '../all/captured-io.js';
import type { GlobalFlags } from '../config/config.js';
import { loadFileLayer } from '../config/profiles.js';
import type { CliIo } from '../shared/io.js';
import { UsageError } from '../shared/usage-error.js';
import { type Status, statusExit } from './eval.js';
import { formatStatusLine } from './format.js';
import { type CheckDocument, type CheckRunOptions, runCheck } from './run.js';
import { type RawChecks, resolveThresholds } from './thresholds.js';

/** One profile's outcome. */
export interface ProfileCheck {
  name: string;
  status: Status;
  summary: string;
}

/** The lines `qtop check --all` prints for `results` (in file order), and the exit code. */
export function formatCheckAll(results: ProfileCheck[]): { text: string; exitCode: number } {
  const worst = worstState(results.map((r) => r.status));
  const count = (s: Status) => results.filter((r) => r.status === s).length;
  const tally = (['critical', 'unknown', 'warning', 'ok'] as const)
    .filter((s) => count(s) > 0)
    .map((s) => `${count(s)} ${s}`)
    .join(', ');
  const head = formatStatusLine(worst, `${results.length} clusters: ${tally}`);
  const lines = results.map(
    (r) => `${clean(r.name)}: ${r.status.toUpperCase()} - ${clean(r.summary.replace(/[\r\n]+/g, ' '), '')}\n`,
  );
  return { text: head + lines.join(''), exitCode: statusExit[worst] };
}

async function checkProfile(
  name: string,
  flags: GlobalFlags & RawChecks,
  env: NodeJS.ProcessEnv,
  options: Omit<CheckRunOptions, 'json'>,
): Promise<ProfileCheck> {
  const configs = profileConfigs({ ...flags }, env).find((p) => p.name === name);
  if (!configs?.config) return { name, status: 'unknown', summary: configs?.error ?? 'no such profile' };
  const layer = loadFileLayer({ ...flags, profile: name }, env);
  const table = layer.profile?.check;
  const file = table && layer.file ? { path: layer.file.path, profile: name, table } : null;
  const thresholds = resolveThresholds(flags, file);
  const captured = capturedIo(env);
  const limitMs = options.windowMs + configs.config.timeoutMs + 1_000;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), limitMs);
  });
  const run = runCheck(configs.config, captured.io, thresholds, { ...options, json: true }).then(
    () => 'done' as const,
  );
  const outcome = await Promise.race([run, late]).finally(() => clearTimeout(timer));
  if (outcome === 'late') {
    run.catch(() => {});
    return { name, status: 'unknown', summary: `no answer within ${limitMs / 1000} s` };
  }
  const doc = JSON.parse(captured.stdout().trim().split('\n')[0] ?? '{}') as CheckDocument;
  return { name, status: doc.check.status, summary: doc.check.summary };
}

/** Run the check on every profile concurrently and print the group result. */
export async function runCheckAll(
  flags: GlobalFlags & RawChecks,
  io: CliIo,
  options: Omit<CheckRunOptions, 'json'>,
): Promise<void> {
  const names = profileConfigs(flags, io.env).map((p) => p.name);
  const results = await Promise.all(
    names.map((name) =>
      checkProfile(name, flags, io.env, options).catch((error: unknown) => {
        if (!(error instanceof UsageError)) throw error;
        return { name, status: 'unknown' as Status, summary: error.message };
      }),
    ),
  );
  const { text, exitCode } = formatCheckAll(results);
  io.stdout.write(text);
  io.setExitCode(exitCode);
}
