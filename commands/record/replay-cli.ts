/**
 * The `qtop replay` subcommand: flags and help only. The run (the file, the playback, Ink) is
 * imported when the command runs, so `qtop --help` stays fast.
 */
import type { Command } from 'commander';
import { exitCodes } from '../../src/base/exit-codes.js';
import { speedRange } from '../../src/record/speed.js';
import type { GlobalFlags } from '../config/config.js';
import type { CliIo } from '../shared/io.js';
import { UsageError } from '../shared/usage-error.js';

interface ReplayFlags {
  speed?: string;
  at?: string;
}

const help = `
Opens the live screen on a recording made with qtop record: every panel, detail view, filter and
sort works as on a live cluster, at the recording's time. Time runs at --speed times real time
from --at (default: the start). Space pauses and resumes, Left/Right seek 10 s, [ and ] seek
1 min, < and > halve and double the speed. The header shows REPLAY, the recorded time, the speed
and whether it is paused. Control actions are disabled: there is no cluster behind a recording.
--at takes start, end, +90s (from the start), -30s (before the end) or an ISO time.

Examples:
  qtop replay incident.ndjson
  qtop replay incident.ndjson --speed 10 --at +5m
  qtop replay incident.ndjson --at 2026-11-24T03:12:00Z --speed 0.5`;

/** The `--speed` value, within the playback's range. */
export function parseSpeed(value: string | undefined): number {
  if (value === undefined) return 1;
  const speed = Number(value.trim().replace(/x$/i, ''));
  if (!Number.isFinite(speed) || speed < speedRange.min || speed > speedRange.max)
    throw new UsageError(
      `--speed must be a number from ${speedRange.min} to ${speedRange.max}, got '${value}'`,
    );
  return speed;
}

/** Add `qtop replay` to `program`; `--label` and `--hide-args` come from the global flags. */
export function registerReplayCommand(program: Command, io: CliIo): void {
  program
    .command('replay')
    .description('play a recording (qtop record) back on the live screen, with pause, seek and speed')
    .argument('<file>', 'a recording made by qtop record')
    .option('--speed <n>', 'times real time, e.g. 10 or 0.5 (default 1)')
    .option('--at <time>', 'where to begin: start, end, +90s, -30s or an ISO time (default start)')
    .addHelpText('after', help)
    .action(async (file: string, _flags: ReplayFlags, command: Command) => {
      const flags = command.optsWithGlobals<GlobalFlags & ReplayFlags>();
      try {
        const speed = parseSpeed(flags.speed);
        if (!io.stdout.isTTY)
          throw new UsageError(
            `stdout is not a terminal: use qtop --json --replay ${file} --at TIME for scripts and pipes`,
          );
        const { runReplayTui } = await import('./replay-tui.js');
        await runReplayTui(
          { file, speed, at: flags.at, label: flags.label, hideArgs: flags.hideArgs === true },
          io,
        );
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        io.stderr.write(`qtop: ${error.message}\n`);
        io.setExitCode(exitCodes.usage);
      }
    });
}
