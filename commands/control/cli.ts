/**
 * The control subcommands, named as a Celery user expects (`celery control revoke`, `celery inspect
 * stats`, `celery purge`). Each calls the same `createControls` action the TUI's keys call; these
 * files only parse arguments, require confirmation flags, and say whether the command writes.
 */
import type { Command } from 'commander';
import type { CliIo } from '../shared/io.js';
import { registerBeatCommands } from './cli-beat.js';
import { registerQueueCommands } from './cli-queues.js';
import { registerTaskCommands } from './cli-tasks.js';
import { registerWorkerCommands } from './cli-workers.js';

/**
 * Add every control subcommand to `program`. Global options stay defined on the program, and each
 * action reads them with `optsWithGlobals()`, so `qtop -b URL revoke ID` and `qtop revoke ID -b URL`
 * both work (commander recognises program options after a subcommand unless positional options are on).
 */
export function registerControlCommands(program: Command, io: CliIo): void {
  registerTaskCommands(program, io);
  registerWorkerCommands(program, io);
  registerQueueCommands(program, io);
  registerBeatCommands(program, io);
  program.addHelpText('after', CONTROL_HELP);
}

const CONTROL_HELP = `
Control (each subcommand has --help with examples, and --json):
  qtop revoke ID --terminate      qtop retry ID | --failed NAME    qtop purge QUEUE --confirm QUEUE
  qtop pool WORKER grow 2         qtop autoscale WORKER 10 2       qtop rate-limit TASK 10/m
  qtop consumer add QUEUE -w W    qtop queue pause QUEUE           qtop message move Q ID --to Q2
  qtop events on                  qtop ping                        qtop inspect stats
  qtop shutdown WORKER --confirm WORKER   qtop beat run|enable|disable ENTRY
Control exit codes add 6 (task, worker, queue or task name not found) and 130 (interrupted).`;
