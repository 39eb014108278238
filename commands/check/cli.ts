/**
 * The `qtop check` subcommand: flags and help. Following the monitoring-plugin guidelines, bad
 * arguments are UNKNOWN (exit 3) with the reason on the status line, not commander's exit 2,
 * which Nagios and Icinga would show as a CRITICAL the cluster did not earn.
 */
import { type Command, Option } from 'commander';
import { hintsDefaults } from '../../src/hints/maths/defaults.js';
import { type GlobalFlags, resolveConfig } from '../config/config.js';
import { loadFileLayer } from '../config/profiles.js';
import { parseDuration } from '../shared/duration.js';
import type { CliIo } from '../shared/io.js';
import { quietLibraryConsole } from '../shared/quiet-console.js';
import { UsageError } from '../shared/usage-error.js';
import { formatStatusLine } from './format.js';
import { resolveThresholds } from './thresholds.js';

interface CheckFlags {
  window?: string;
  target?: string;
  waitTarget?: string;
  json?: boolean;
  all?: boolean;
  [threshold: string]: unknown;
}

const help = `
Judges one snapshot and prints one Nagios/Icinga plugin line:
  QTOP OK|WARNING|CRITICAL|UNKNOWN - summary | 'backlog_celery'=12;100;1000;0; ...
Exit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (Redis unreachable or refused, bad arguments,
or partial data that would otherwise be OK). A threshold is reached at or above its value.
Defaults: a queue with messages and no consumer is CRITICAL, one lost worker is CRITICAL; the
others alert only when set. The same keys go in the profile: [profiles.NAME.check] warn_backlog
= 100, queue_backlog = { celery = "100:1000" }, crit_age = "30m" (flags win).
"Slots needed" comes from the hints (qtop hints) and needs rates: give it --window 10s or more.

Examples:
  qtop check --warn-backlog 100 --crit-backlog 1000 --warn-age 5m --crit-age 30m
  qtop check --queue-backlog celery=100:1000 --queue-backlog emails=:50 --crit-lost 1
  qtop check --warn-failure-rate 0.1 --crit-failure-rate 0.5 --min-finished 20
  qtop --profile prod check --window 15s --crit-slots 4 --json | jq .check.problems`;

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function seconds(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = parseDuration(value);
  if (!parsed.ok) throw new UsageError(`${flag} ${parsed.reason}`);
  return parsed.sec;
}

/** Add `qtop check` to `program`; global flags (and `--profile`) are read with `optsWithGlobals()`. */
export function registerCheckCommand(program: Command, io: CliIo): void {
  const command = program
    .command('check')
    .description('monitoring plugin: judge thresholds on one snapshot (Nagios/Icinga output and exit codes)');
  for (const [name, what] of [
    ['backlog', 'ready messages in a queue, N'],
    ['age', 'age of the oldest waiting message, DURATION'],
    ['lost', 'lost workers, N (default crit 1)'],
    ['failure-rate', 'failed/finished of a task name, 0..1'],
    ['slots', 'slots a queue needs on top of its current ones, N'],
  ]) {
    command
      .option(`--warn-${name} <v>`, `warning at ${what}`)
      .option(`--crit-${name} <v>`, `critical at ${what}`);
  }
  command
    .option('--queue-backlog <queue=w:c>', 'per-queue backlog thresholds (repeatable)', collect)
    .option('--queue-age <queue=w:c>', 'per-queue age thresholds, e.g. emails=1m:5m (repeatable)', collect)
    .addOption(
      new Option(
        '--on-no-consumer <level>',
        'level of a queue with messages and no consumer (default critical)',
      ).choices(['ok', 'warning', 'critical']),
    )
    .option('--min-finished <n>', 'judge a failure rate only after this many finished (default 5)')
    .option('--window <duration>', 'collect this long before judging (default 3s)')
    .option('--target <duration>', 'drain target of the slots hint (default 5m)')
    .option('--wait-target <duration>', 'wait target of the slots hint (default 30s)')
    .option('--json', 'print a JSON document instead of the status line')
    .option('--all', 'every profile of the config file at once: the worst state, then one line each')
    .addHelpText('after', help)
    // commander's own errors (unknown flag, bad choice) are UNKNOWN too, with a status line.
    .exitOverride((error) => {
      if (error.exitCode !== 0) {
        io.stdout.write(formatStatusLine('unknown', error.message.replace(/^error: /, '')));
        io.setExitCode(3);
      } else io.setExitCode(0);
      throw error;
    })
    .action(async (_flags: CheckFlags, cmd: Command) => {
      const flags = cmd.optsWithGlobals<GlobalFlags & CheckFlags>();
      const restoreConsole = quietLibraryConsole(io.stderr, io.env);
      const { reportUnknown, runCheck } = await import('./run.js');
      try {
        if (flags.all) {
          if (flags.json) throw new UsageError('check --all prints lines; qtop --json --all gives JSON');
          const { runCheckAll } = await import('./check-all.js');
          await runCheckAll(flags, io, {
            windowMs: Math.round(seconds('--window', flags.window, 3) * 1000),
            targetSec: seconds('--target', flags.target, hintsDefaults.targetSec),
            waitTargetSec: seconds('--wait-target', flags.waitTarget, hintsDefaults.waitTargetSec),
          });
          return;
        }
        const layer = loadFileLayer(flags, io.env);
        const config = resolveConfig(flags, io.env, layer);
        const table = layer.profile?.check;
        const file =
          table && layer.file && layer.profile
            ? { path: layer.file.path, profile: layer.profile.name, table }
            : null;
        const thresholds = resolveThresholds(flags, file);
        await runCheck(config, io, thresholds, {
          windowMs: Math.round(seconds('--window', flags.window, 3) * 1000),
          targetSec: seconds('--target', flags.target, hintsDefaults.targetSec),
          waitTargetSec: seconds('--wait-target', flags.waitTarget, hintsDefaults.waitTargetSec),
          json: flags.json === true,
        });
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        io.stderr.write(`qtop: ${error.message}\n`);
        reportUnknown(io, error.message, flags.json === true);
      } finally {
        restoreConsole();
      }
    });
}
