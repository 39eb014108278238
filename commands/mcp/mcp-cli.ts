/**
 * The `qtop mcp` subcommand: flags and help. The MCP SDK, zod, ioredis and the collector load only
 * when it runs (dynamic import), so every other command starts as fast as without it.
 */
import type { Command } from 'commander';
import { type GlobalFlags, resolveConfig } from '../config/config.js';
import type { CliIo } from '../shared/io.js';
import { runSubcommand } from '../shared/subcommand-run.js';

interface McpFlags {
  allowWrites?: boolean;
}

const help = `
Serves the Model Context Protocol on stdin/stdout for an assistant (Claude Desktop, VS Code, ...).
Read-only tools give the data of qtop --json in small pages: snapshot_summary, list_queues,
list_workers, get_task, list_failures, list_hints, list_findings, search_queue, command_log.
With --allow-writes, write tools are added (revoke_task, terminate_task, retry_task, pool_grow,
pool_shrink, purge_queue): each returns its plan unless called with confirm, and every write is
logged (command_log, and one line on stderr). Passwords never appear in answers; --hide-args and
--read-only hold as everywhere. docs/mcp.md has client configuration.

Examples:
  qtop mcp -b redis://10.0.0.5:6379/0
  qtop --profile prod --hide-args mcp
  qtop --profile staging mcp --allow-writes`;

/** Add `qtop mcp` to `program`; global flags are read with `optsWithGlobals()`. */
export function registerMcpCommand(program: Command, io: CliIo): void {
  program
    .command('mcp')
    .description('serve MCP over stdio for assistants (read-only unless --allow-writes)')
    .option('--allow-writes', 'add the write tools (each still needs confirm)')
    .addHelpText('after', help)
    .action(async (_flags: McpFlags, command: Command) => {
      const flags = command.optsWithGlobals<GlobalFlags & McpFlags>();
      await runSubcommand(io, async () => {
        const config = resolveConfig(flags, io.env);
        const { runMcp } = await import('./mcp-run.js');
        await runMcp(config, io, { allowWrites: flags.allowWrites === true });
      });
    });
}
