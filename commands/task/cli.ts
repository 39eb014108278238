/**
 * The `qtop task ID` subcommand: flags and help only; the run is imported when it runs, so
 * `qtop --help` stays fast and loads no ioredis.
 */
import type { Command } from 'commander';
import { type GlobalFlags, resolveConfig } from '../config/config.js';
import { parseDuration } from '../shared/duration.js';
import type { CliIo } from '../shared/io.js';
import { runSubcommand } from '../shared/subcommand-run.js';
import { UsageError } from '../shared/usage-error.js';

interface TaskFlags {
  json?: boolean;
  window?: string;
  maxResults?: string;
}

const help = `
Prints what qtop holds about one task (the detail the screen shows) and its workflow: the
chain, group or chord it belongs to as a tree from its root, each member with its state,
runtime and worker, the wall time and the critical path. Works from any member, also after the
workflow finished, from the result metas Redis keeps (result_extended gives names and workers)
and from the messages still waiting. Members qtop has only heard of are shown as not seen.
Exit 6 when nothing names the id. Read-only. docs/workflows.md explains the tree.

Examples:
  qtop task 6f1c…
  qtop task 6f1c… --json | jq '.family.criticalPath'`;

/** Add `qtop task` to `program`; global flags are read with `optsWithGlobals()`. */
export function registerTaskCommand(program: Command, io: CliIo): void {
  program
    .command('task')
    .description("one task's detail and its workflow tree (chain, group, chord); read-only")
    .argument('<id>', 'task id (any member of the workflow)')
    .option('--json', 'print a qtop-task/1 document instead of text')
    .option('--window <duration>', 'collect queues, events and workers this long first (default 2s)')
    .option('--max-results <n>', 'most result metas read to find the family (default 200000)')
    .addHelpText('after', help)
    .action(async (id: string, _flags: TaskFlags, command: Command) => {
      const flags = command.optsWithGlobals<GlobalFlags & TaskFlags>();
      await runSubcommand(io, async () => {
        const config = resolveConfig(flags, io.env);
        let windowMs = 2_000;
        if (flags.window !== undefined) {
          const parsed = parseDuration(flags.window);
          if (!parsed.ok) throw new UsageError(`--window ${parsed.reason}`);
          windowMs = Math.max(200, Math.round(parsed.sec * 1000));
        }
        const maxResults = flags.maxResults === undefined ? 200_000 : Number(flags.maxResults);
        if (!Number.isInteger(maxResults) || maxResults < 1)
          throw new UsageError('--max-results must be a whole number above 0');
        if (id.trim() === '') throw new UsageError('task id is empty');
        const { runTask } = await import('./run.js');
        await runTask(config, io, { id: id.trim(), json: flags.json === true, windowMs, maxResults });
      });
    });
}
