/** `qtop beat run|enable|disable ENTRY`: the RedBeat writes (src/control/actions/beat.ts). */
import { Argument, type Command } from 'commander';
import { beatRunNow, beatToggle } from '../../src/control/actions/beat.js';
import type { CliIo } from '../shared/io.js';
import { UsageError } from '../shared/usage-error.js';
import { controlCommand, startAction } from './cli-kit.js';

/** Add `beat` to `program`. */
export function registerBeatCommands(program: Command, io: CliIo): void {
  controlCommand(program, 'beat', 'run a RedBeat entry now, or enable or disable it', [
    'qtop beat run nightly-report              publish its task now, as beat would',
    'qtop beat run nightly-report --queue urgent',
    'qtop beat disable nightly-report          beat skips it until it is enabled again',
    'Entries are RedBeat keys (redbeat:<name>); qtop --json lists them under beat.entries.',
  ])
    .addArgument(new Argument('<action>', 'run, enable or disable').choices(['run', 'enable', 'disable']))
    .argument('<entry>', 'RedBeat entry name')
    .option('--queue <queue>', 'with run: publish to this queue instead of the entry’s own routing')
    .action((action: string, entry: string, opts: { queue?: string }, cmd: Command) =>
      action === 'run'
        ? startAction(io, cmd, beatRunNow, () => ({ entry, task: null, queue: opts.queue }))
        : startAction(io, cmd, beatToggle, () => {
            if (opts.queue) throw new UsageError('--queue goes with run');
            return { entry, enabled: action === 'enable' };
          }),
    );
}
