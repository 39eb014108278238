/**
 * The `qtop hints` subcommand: flags and help only. The run itself (Redis, store, selectors) is
 * imported when the command runs, so `qtop --help` stays fast and loads no ioredis.
 */

import type { Command } from 'commander';
import { hintsDefaults } from '../../src/hints/maths/defaults.js';
import { type GlobalFlags, resolveConfig } from '../config/config.js';
import { parseDuration } from '../shared/duration.js';
import type { CliIo } from '../shared/io.js';
import { runSubcommand } from '../shared/subcommand-run.js';
import { UsageError } from '../shared/usage-error.js';

interface HintsFlags {
  target?: string;
  waitTarget?: string;
  window?: string;
  json?: boolean;
}

const help = `
Each queue gets a forecast ("clears in ~35 m", "will not drain (growing 12/s)", "stalled",
"idle") from its arrival rate λ, the service rate per slot μ of its task mix, the slots c of
the workers consuming it and its backlog B (ready + reserved); with the slots that drain B
within --target (⌈(λ + B/T)/μ⌉) and that keep the M/M/c queue wait under --wait-target.
Rates need samples: qtop collects for --window first (default 10s; longer is steadier).
Health findings name their evidence and the fix. docs/hints.md explains every number.
Global options (-b URL, --visibility-timeout S for the redelivery findings, ...): qtop --help.

Examples:
  qtop hints
  qtop hints --target 2m --wait-target 10s --window 30s
  qtop hints --json | jq '.hints.queues[] | {queue, addSlots, forecast: .forecast.text}'`;

function seconds(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = parseDuration(value);
  if (!parsed.ok) throw new UsageError(`${flag} ${parsed.reason}`);
  return parsed.sec;
}

/** Add `qtop hints` to `program`; global flags are read with `optsWithGlobals()`. */
export function registerHintsCommand(program: Command, io: CliIo): void {
  program
    .command('hints')
    .description('scaling hints (slots to drain each queue in time) and health findings')
    .option('--target <duration>', 'drain each backlog within this long (default 5m)')
    .option('--wait-target <duration>', 'keep the steady-state queue wait under this (default 30s)')
    .option('--window <duration>', 'collect this long before answering (default 10s)')
    .option('--json', 'print a qtop/1 hints document instead of text')
    .addHelpText('after', help)
    .action(async (_flags: HintsFlags, command: Command) => {
      const flags = command.optsWithGlobals<GlobalFlags & HintsFlags>();
      await runSubcommand(io, async () => {
        const config = resolveConfig(flags, io.env);
        const options = {
          targetSec: seconds('--target', flags.target, hintsDefaults.targetSec),
          waitTargetSec: seconds('--wait-target', flags.waitTarget, hintsDefaults.waitTargetSec),
          windowMs: Math.round(seconds('--window', flags.window, hintsDefaults.windowSec) * 1000),
          json: flags.json === true,
        };
        const { runHints } = await import('./run.js');
        await runHints(config, io, options);
      });
    });
}
