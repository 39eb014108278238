/**
 * What every control subcommand shares: the `--json` option and help footer (global options, exit
 * codes), the repeatable `--worker` option, number parsing, and `start`, which turns bad arguments
 * into exit 2 before anything connects and otherwise hands over to `runControl`.
 */
import type { Command } from 'commander';
import { exitCodes } from '../../src/base/exit-codes.js';
import type { ControlAction } from '../../src/control/action.js';
import type { ControlOutcome, Destination } from '../../src/control/controls.js';
import type { CliIo } from '../shared/io.js';
import { UsageError } from '../shared/usage-error.js';
import type { ControlRunEnv, ControlRunSpec } from './cli-run.js';
import { outcome } from './outcome.js';
import { printOutcome } from './print.js';

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

/** What a parsed subcommand runs against the controls. */
export type ControlRunner = (env: ControlRunEnv) => Promise<ControlOutcome>;

/**
 * Run a subcommand: `build` parses the arguments (a UsageError is printed and exits 2 before anything
 * connects) and returns the action.
 */
export async function start(
  io: CliIo,
  cmd: Command,
  spec: ControlRunSpec,
  build: () => ControlRunner,
): Promise<void> {
  const flags = cmd.optsWithGlobals();
  let action: ControlRunner;
  try {
    action = build();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    printOutcome(io, spec.command, outcome('refused', error.message), flags.json === true, (t) => t);
    io.setExitCode(exitCodes.usage);
    return;
  }
  // Loaded only when a subcommand runs, so `qtop --help` loads no Redis client (see cli.ts).
  const { runControl } = await import('./cli-run.js');
  await runControl(io, flags, spec, action);
}

/** How a control subcommand runs its action: what to read first, and the CLI's typed confirmation. */
export interface ActionRun<P> {
  prepare?: ControlRunSpec['prepare'];
  shutdownWaitMs?: number;
  /**
   * For the typed confirmation rules: the refusal when `--confirm` does not match (it says what
   * would happen), else null. Reads the cluster when the refusal should count what is there.
   */
  confirm?: (env: ControlRunEnv, params: P) => Promise<ControlOutcome | null>;
}

/**
 * Run a control action's record from a subcommand: `parse` turns the arguments into the record's
 * params (a UsageError exits 2 before anything connects); the write is the record's `run`, and the
 * log and `--json` name it by the record's `log`.
 */
export function startAction<P>(
  io: CliIo,
  cmd: Command,
  // biome-ignore lint/suspicious/noExplicitAny: the seed type of a record's screen prompt plays no part here
  action: ControlAction<P, any>,
  parse: () => P,
  run: ActionRun<P> = {},
): Promise<void> {
  const spec: ControlRunSpec = {
    command: action.log,
    write: action.writes,
    prepare: run.prepare,
    shutdownWaitMs: run.shutdownWaitMs,
  };
  return start(io, cmd, spec, () => {
    const params = parse();
    return async (env) => (await run.confirm?.(env, params)) ?? action.run(env.controls, params);
  });
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
