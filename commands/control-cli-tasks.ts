/**
 * `qtop revoke` and `qtop retry`: the task subcommands. Bulk retry (`--failed NAME`) first reads the
 * result backend into a model (only `result_extended` meta names its task) and needs `--confirm NAME`.
 */
import { type Command, Option } from 'commander';
import type { Signal } from '../src/control.js';
import { UsageError } from './config.js';
import { confirmRefusal, controlCommand, start } from './control-cli-kit.js';
import type { ControlRunSpec } from './control-run.js';
import type { CliIo } from './io.js';
import { SIGNALS } from './revoke.js';

/** Add `revoke` and `retry` to `program`. */
export function registerTaskCommands(program: Command, io: CliIo): void {
  controlCommand(program, 'revoke', 'revoke tasks on every worker; --terminate also stops running ones', [
    'qtop revoke 1fd839f2-9c3e-4f5e-8a51-2b1f0c7d9e11   discard it when a worker would run it',
    'qtop revoke ID1 ID2 --terminate                    also signal the process running it (TERM)',
    'qtop revoke ID --terminate --signal KILL',
    'An id no worker holds is still revoked (workers remember it until restart); qtop warns.',
  ])
    .argument('<task-id...>', 'task ids')
    .option('--terminate', 'signal the pool process running the task (REVOKED "terminated")')
    .addOption(new Option('--signal <signal>', 'with --terminate: the signal').choices([...SIGNALS]))
    .action((ids: string[], opts: { terminate?: boolean; signal?: Signal }, cmd: Command) =>
      start(io, cmd, { command: 'revoke', write: true }, () => {
        if (opts.signal !== undefined && !opts.terminate)
          throw new UsageError('--signal goes with --terminate');
        return ({ controls }) => controls.revoke(ids, { terminate: opts.terminate, signal: opts.signal });
      }),
    );

  controlCommand(program, 'retry', 'publish failed, revoked or lost tasks again, each under a new id', [
    'qtop retry 1fd839f2-9c3e-4f5e-8a51-2b1f0c7d9e11',
    'qtop retry ID --queue other                    send the new task to another queue',
    'qtop retry --failed app.boom                    count failed app.boom tasks, ask for --confirm',
    'qtop retry --failed app.boom --confirm app.boom',
    'The call comes from the queued message, result_extended meta, or (live screen) event reprs;',
    'qtop refuses when it cannot be exact (truncated repr, pickle): set result_extended=True.',
  ])
    .argument('[task-id...]', 'task ids')
    .option('--failed <task-name>', 'every FAILURE task of this name in the result backend')
    .option('--queue <queue>', 'publish to this queue instead of the original one')
    .option('--confirm <task-name>', 'with --failed: the task name again, to confirm the bulk retry')
    .action((ids: string[], opts: { failed?: string; queue?: string; confirm?: string }, cmd: Command) => {
      const bulk = opts.failed;
      const spec: ControlRunSpec = { command: 'retry', write: true };
      if (bulk) {
        spec.prepare = async ({ backend, config }, signal) =>
          (await import('./retry.js')).lookupFromResults(backend, config.model, signal);
      }
      return start(io, cmd, spec, () => {
        if (bulk && ids.length) throw new UsageError('give task ids or --failed NAME, not both');
        if (!bulk && ids.length === 0) throw new UsageError('give task ids, or --failed NAME');
        const options = opts.queue ? { queue: opts.queue } : {};
        if (!bulk) return ({ controls }) => controls.retry(ids, options);
        return async ({ controls, lookup }) => {
          const count = lookup.failedTaskIds?.(bulk).length ?? 0;
          if (count > 0 && opts.confirm !== bulk) {
            return confirmRefusal(
              `this would retry ${count} failed ${bulk} task${count === 1 ? '' : 's'}`,
              bulk,
            );
          }
          return controls.retryFailed(bulk, options);
        };
      });
    });
}
