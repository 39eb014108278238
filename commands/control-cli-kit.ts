/**
 * What every control subcommand shares: the `--json` option and help footer (global options, exit
 * codes), the repeatable `--worker` option, number parsing, and `start`, which turns bad arguments
 * into exit 2 before anything connects and otherwise hands over to `runControl`.
 */
import type { Command } from 'commander';
import type { ControlOutcome, Destination } from '../src/control.js';
import { exitCodes } from '../src/exit-codes.js';
import { UsageError } from './config.js';
import { outcome } from './control-outcome.js';
import { printOutcome } from './control-print.js';
import type { ControlRunEnv, ControlRunSpec } from './control-run.js';
import type { CliIo } from './io.js';

const GLOBAL_NOTE =
  'Global options (-b/--broker URL, --backend URL, --timeout S, --read-only, --keyprefix ...) go\n' +
  'before or after the subcommand; qtop --help lists them.';

/** The exit code table as help text (src/exit-codes.ts, commands/control-outcome.ts). */
export const EXIT_NOTE =
  'Exit codes: 0 done; 1 internal error; 2 usage or refused (--read-only, missing --confirm, a retry\n' +
  'that cannot be exact); 3 cannot connect; 4 auth refused or no write permission (ACL); 5 partial\n' +
  '(a worker replied with an error or not at all); 6 not found (task, worker, queue or task name);\n' +
  '130 interrupted.';

/** A subcommand with `--json` and the shared help footer. */
export function controlCommand(
  program: Command,
  spec: string,
  description: string,
  examples: string[],
): Command {
  return program
    .command(spec)
    .description(description)
    .option('--json', 'print the outcome as one JSON object (schema qtop-control/1)')
    .addHelpText(
      'after',
      `\nExamples:\n${examples.map((e) => `  ${e}`).join('\n')}\n\n${GLOBAL_NOTE}\n${EXIT_NOTE}`,
    );
}

/** Add the repeatable `-w/--worker` option. */
export function workerOption(cmd: Command, what = 'only this worker'): Command {
  return cmd.option(
    '-w, --worker <name>',
    `${what} (repeat or comma-separate; w1 matches w1@host)`,
    (value: string, previous: string[] = []) => [...previous, ...value.split(',').filter(Boolean)],
  );
}

/** `--worker` values as a destination: every worker when none was given. */
export function destination(workers: string[] | undefined): Destination {
  return workers?.length ? workers : 'all';
}

/** The action a parsed subcommand runs against the controls. */
export type ControlAction = (env: ControlRunEnv) => Promise<ControlOutcome>;

/**
 * Run a subcommand: `build` parses the arguments (a UsageError is printed and exits 2 before anything
 * connects) and returns the action.
 */
export async function start(
  io: CliIo,
  cmd: Command,
  spec: ControlRunSpec,
  build: () => ControlAction,
): Promise<void> {
  const flags = cmd.optsWithGlobals();
  let action: ControlAction;
  try {
    action = build();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    printOutcome(io, spec.command, outcome('refused', error.message), flags.json === true, (t) => t);
    io.setExitCode(exitCodes.usage);
    return;
  }
  // Loaded only when a subcommand runs, so `qtop --help` loads no Redis client (see cli.ts).
  const { runControl } = await import('./control-run.js');
  await runControl(io, flags, spec, action);
}

/** A whole number >= `min`, or a UsageError naming the argument. */
export function wholeNumber(name: string, value: string, min: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`${name} must be a whole number >= ${min}, got '${value}'`);
  }
  return n;
}

/** Seconds > 0, or null for `none`; a UsageError otherwise. */
export function secondsOrNone(name: string, value: string): number | null {
  if (value === 'none') return null;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`${name} must be seconds > 0 or 'none', got '${value}'`);
  return n;
}

/** A refusal asking for `--confirm NAME`, with what would happen. */
export function confirmRefusal(what: string, name: string): ControlOutcome {
  return outcome(
    'refused',
    `refused: ${what}; nothing was done. Type the name to confirm: --confirm ${name}`,
  );
}
