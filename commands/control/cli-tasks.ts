/**
 * `qtop revoke` and `qtop retry`: the task subcommands. Bulk retry (`--failed NAME`) first reads the
 * result backend into a model (only `result_extended` meta names its task) and is confirmed with
 * `--confirm N` (the count) or `--confirm NAME`; `--dry-run` prints the plan and writes nothing.
 */
import { type Command, Option } from 'commander';
import {
  retry,
  retryFailed,
  revoke,
  revokeFinishedLoss,
  terminate,
} from '../../src/control/actions/tasks.js';
import { type Signal, signals } from '../../src/control/controls.js';
import type { CliIo } from '../shared/io.js';
import { UsageError } from '../shared/usage-error.js';
import { startBulk } from './cli-bulk.js';
import { confirmRefusal, controlCommand, startAction } from './cli-kit.js';
import { exchangeTypeOption, exchangeTypesOf } from './cli-routing.js';
import { outcome } from './outcome.js';

/** Add `revoke` and `retry` to `program`. */
export function registerTaskCommands(program: Command, io: CliIo): void {
  controlCommand(program, 'revoke', 'revoke tasks on every worker; --terminate also stops running ones', [
    'qtop revoke 1fd839f2-9c3e-4f5e-8a51-2b1f0c7d9e11   discard it when a worker would run it',
    'qtop revoke ID1 ID2 --terminate                    also signal the process running it (TERM)',
    'qtop revoke ID --terminate --signal KILL',
    'qtop revoke ID --force                             also when its result says it finished',
    "qtop revoke --filter 'name:shop.charge state:PENDING'   count the matching tasks, ask for --confirm",
    "qtop revoke --filter 'name:shop.charge' --confirm 50    revoke all 50 (waiting ones included)",
    "qtop revoke --filter '…' --dry-run                      print the plan as JSON, write nothing",
    'An id no worker holds is still revoked (workers remember it until restart); qtop warns.',
    `A finished task is refused unless --force: ${revokeFinishedLoss}.`,
    'The filter language is docs/filter.md; waiting messages are PENDING, prefetched ones RECEIVED.',
  ])
    .argument('[task-id...]', 'task ids')
    .option('--terminate', 'signal the pool process running the task (REVOKED "terminated")')
    .addOption(new Option('--signal <signal>', 'with --terminate: the signal').choices([...signals]))
    .option('--force', 'revoke tasks whose result meta says they finished (see below what that costs)')
    .option('--filter <query>', 'every task the query matches (docs/filter.md), waiting ones included')
    .option('--confirm <n>', 'with --filter: how many tasks match, to confirm')
    .option('--dry-run', 'with --filter: print the plan as JSON, write nothing')
    .action(
      (
        ids: string[],
        opts: {
          terminate?: boolean;
          signal?: Signal;
          force?: boolean;
          filter?: string;
          confirm?: string;
          dryRun?: boolean;
        },
        cmd: Command,
      ) => {
        if (opts.filter !== undefined)
          return startBulk(io, cmd, opts.terminate ? 'terminate' : 'revoke', ids, {
            ...opts,
            filter: opts.filter,
          });
        if (opts.terminate)
          return startAction(io, cmd, terminate, () => {
            if (opts.force) throw new UsageError('--force goes without --terminate');
            return { taskIds: ids, name: null, signal: opts.signal ?? 'TERM' };
          });
        return startAction(io, cmd, revoke, () => {
          if (ids.length === 0) throw new UsageError('give task ids, or --filter QUERY');
          if (opts.signal !== undefined) throw new UsageError('--signal goes with --terminate');
          if (opts.confirm || opts.dryRun) throw new UsageError('--confirm and --dry-run go with --filter');
          return { taskIds: ids, name: null, state: null, force: opts.force === true };
        });
      },
    );

  const retryCommand = controlCommand(
    program,
    'retry',
    'publish failed, revoked or lost tasks again, each under a new id',
    [
      'qtop retry 1fd839f2-9c3e-4f5e-8a51-2b1f0c7d9e11',
      'qtop retry ID --queue other                    send the new task to another queue',
      'qtop retry --failed app.boom                    count failed app.boom tasks, ask for --confirm',
      'qtop retry --failed app.boom --confirm 12       (the count; --confirm app.boom works too)',
      'qtop retry --failed app.boom --dry-run          print the plan as JSON, write nothing',
      "qtop retry --filter 'state:FAILURE exception:TimeoutError' --confirm 7",
      'qtop retry ID --remove-original               the original still waits: retry and remove it atomically',
      'The call comes from the queued message, result_extended meta, or (live screen) event reprs;',
      'qtop refuses when it cannot be exact (truncated repr, pickle): set result_extended=True.',
      "It goes where kombu routes the original's exchange and routing key (docs/control.md).",
    ],
  )
    .argument('[task-id...]', 'task ids')
    .option('--failed <task-name>', 'every FAILURE task of this name in the result backend')
    .option('--filter <query>', 'every finished task the query matches (docs/filter.md)')
    .option('--queue <queue>', 'publish to this queue instead of the original one')
    .option('--confirm <n-or-name>', 'with --failed: how many tasks (or the task name), to confirm')
    .option('--dry-run', 'with --failed: print what would be retried, write nothing')
    .option('--remove-original', 'when the original message still waits, remove it in the same atomic step');
  exchangeTypeOption(retryCommand).action(
    (
      ids: string[],
      opts: {
        failed?: string;
        filter?: string;
        queue?: string;
        confirm?: string;
        dryRun?: boolean;
        removeOriginal?: boolean;
        exchangeType?: string[];
      },
      cmd: Command,
    ) => {
      if (opts.filter !== undefined) {
        const conflict =
          opts.failed || opts.queue || opts.removeOriginal || opts.exchangeType
            ? '--filter goes without --failed, --queue, --remove-original and --exchange-type'
            : undefined;
        return startBulk(io, cmd, 'retry', ids, { ...opts, filter: opts.filter, conflict });
      }
      const bulk = opts.failed;
      const queue = opts.queue;
      if (!bulk) {
        return startAction(io, cmd, retry, () => {
          if (ids.length === 0) throw new UsageError('give task ids, or --failed NAME');
          if (opts.dryRun || opts.confirm) throw new UsageError('--confirm and --dry-run go with --failed');
          const exchangeTypes = exchangeTypesOf(opts.exchangeType);
          return {
            taskIds: ids,
            name: null,
            queue,
            ...(opts.removeOriginal ? { removeOriginal: true } : {}),
            ...(exchangeTypes ? { exchangeTypes } : {}),
          };
        });
      }
      return startAction(
        io,
        cmd,
        retryFailed,
        () => {
          if (ids.length) throw new UsageError('give task ids or --failed NAME, not both');
          if (opts.removeOriginal) throw new UsageError('--remove-original goes with task ids');
          const exchangeTypes = exchangeTypesOf(opts.exchangeType);
          return { name: bulk, queue, count: 0, groups: [], ...(exchangeTypes ? { exchangeTypes } : {}) };
        },
        {
          prepare: async ({ backend, config }, signal) =>
            (await import('./retry.js')).lookupFromResults(backend, config.model, signal),
          confirm: async ({ lookup }) => {
            const failed = lookup.failedTaskIds?.(bulk) ?? [];
            const what = `this would retry ${failed.length} failed ${bulk} task${failed.length === 1 ? '' : 's'}`;
            if (opts.dryRun)
              return outcome('done', `dry run: ${what}; nothing was written`, [], {
                plan: { action: retryFailed.id, taskName: bulk, count: failed.length, taskIds: failed },
              });
            if (failed.length === 0 || opts.confirm === bulk || opts.confirm === String(failed.length))
              return null;
            return confirmRefusal(what, String(failed.length));
          },
        },
      );
    },
  );
}
