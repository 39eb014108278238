/**
 * `qtop revoke --filter '…'` and `qtop retry --filter '…'`: the bulk action's record run from the
 * command line. A bad filter exits 2 before anything connects; nothing matching exits 6; without
 * `--confirm N` (N = the count) nothing is written and the refusal says what would happen;
 * `--dry-run` prints the plan (schema/bulk-plan.schema.json) on stdout and writes nothing.
 * Progress goes to stderr, one line per batch.
 */
import type { Command } from 'commander';
import { bulkDialogLines, bulkTasks } from '../../src/control/actions/bulk.js';
import { type BulkPlan, type BulkVerb, planJson } from '../../src/control/bulk-plan.js';
import type { Signal } from '../../src/control/controls.js';
import { parseTaskFilter } from '../../src/store/task-query-parse.js';
import type { CliIo } from '../shared/io.js';
import { UsageError } from '../shared/usage-error.js';
import { startAction } from './cli-kit.js';
import { outcome } from './outcome.js';

export interface BulkFlags {
  filter: string;
  confirm?: string;
  dryRun?: boolean;
  signal?: Signal;
  /** A usage error the caller found in the other flags: refused (exit 2) before connecting. */
  conflict?: string;
}

/** Run `verb` over every task `flags.filter` matches; see the module comment. */
export function startBulk(
  io: CliIo,
  cmd: Command,
  verb: BulkVerb,
  ids: string[],
  flags: BulkFlags,
): Promise<void> {
  let plan: BulkPlan | null = null;
  const out = flags.dryRun ? { ...io, stdout: io.stderr } : io;
  return startAction(
    out,
    cmd,
    bulkTasks,
    () => {
      if (flags.conflict) throw new UsageError(flags.conflict);
      if (ids.length) throw new UsageError('give task ids or --filter, not both');
      const parsed = parseTaskFilter(flags.filter);
      if (!parsed.ok) throw new UsageError(parsed.error);
      if (parsed.filter.source === '')
        throw new UsageError('--filter needs a query: an empty one would match every task');
      if (flags.confirm !== undefined && !/^\d+$/.test(flags.confirm))
        throw new UsageError(`--confirm takes the count of matching tasks, got '${flags.confirm}'`);
      return {
        plan: { verb, query: parsed.filter.source, tasks: [], excluded: [], incomplete: null },
        signal: flags.signal,
        onProgress: (done: number, total: number) => io.stderr.write(`qtop: ${verb} ${done}/${total}\n`),
      };
    },
    {
      prepare: async ({ broker, backend, wire, config }, signal) => {
        const parsed = parseTaskFilter(flags.filter);
        if (!parsed.ok) throw new UsageError(parsed.error);
        const { findBulk } = await import('./bulk-find.js');
        const found = await findBulk(
          { broker, backend, wire, model: config.model },
          verb,
          parsed.filter,
          signal,
        );
        plan = found.plan;
        return found.lookup;
      },
      confirm: async (_env, params) => {
        const found = plan!;
        params.plan = found;
        const n = found.tasks.length;
        if (flags.dryRun) {
          io.stdout.write(`${JSON.stringify(planJson(found))}\n`);
          return outcome(
            n === 0 ? 'not-found' : 'done',
            `dry run: ${n} task${n === 1 ? '' : 's'} to ${verb}; nothing was written`,
          );
        }
        if (n === 0) {
          const excluded = found.excluded.length
            ? ` (${found.excluded.length} matched but are excluded)`
            : '';
          return outcome('not-found', `no task to ${verb} matches ${found.query}${excluded}`, [], {
            plan: planJson(found),
          });
        }
        if (flags.confirm === String(n)) return null;
        return outcome(
          'refused',
          `refused: nothing was done. ${bulkDialogLines(found).join(' ')} Type the count to confirm: --confirm ${n}`,
          [],
          { plan: planJson(found) },
        );
      },
    },
  );
}
