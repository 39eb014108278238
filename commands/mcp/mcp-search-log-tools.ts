/**
 * The two read tools that are not snapshot selectors: the queue search (a bounded read-only scan of
 * one queue's waiting messages, the live screen's `/` on a queue) and this server's command log.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { PeekedMessage } from '../../src/store/actions.js';
import { withoutLinks } from '../../src/store/select-queues.js';
import type { McpContext } from './mcp-context.js';
import { page, respond } from './mcp-output.js';
import { logEntrySchema, pageInput, pageShape, searchShape } from './mcp-schemas.js';

const iso = (ms: number) => new Date(ms).toISOString();
const readOnly = { readOnlyHint: true, openWorldHint: false } as const;

/** A waiting message as `--json` shows it in `queues[].peek`, without the call under --hide-args. */
export function messageOut(message: PeekedMessage, hideArgs: boolean) {
  // The workflow links a peek carries are not part of the message shape: `get_task` gives the family.
  const shown = withoutLinks(message);
  if (!hideArgs) return shown;
  return { ...shown, args: null, kwargs: null, argsRepr: null, kwargsRepr: null };
}

/** Register `search_queue` and `command_log` on `server`. */
export function registerSearchLogTools(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'search_queue',
    {
      title: 'Search a queue',
      description:
        "Find waiting messages in one queue whose task name, id, args or kwargs contain `text` (case-insensitive), in execution order: the live screen's queue search. A bounded read-only scan (at most 200 matches).",
      inputSchema: {
        queue: z.string().min(1).describe('queue name, as list_queues gives it'),
        text: z.string().min(1).max(200),
        ...pageInput,
      },
      outputSchema: searchShape,
      annotations: readOnly,
    },
    async (args) =>
      respond(ctx, async () => {
        const found = await ctx.searchQueue(args.queue, args.text);
        const { items, ...rest } = page(found.matches, args.limit, args.cursor);
        return {
          queue: args.queue,
          status: found.status,
          scanned: found.scanned,
          queueLength: found.total,
          mayHaveSkipped: found.mayHaveSkipped,
          matches: items.map((m) => messageOut(m, ctx.hideArgs)),
          ...rest,
        };
      }),
  );

  server.registerTool(
    'command_log',
    {
      title: 'Command log',
      description:
        'Every write this qtop mcp server sent (with --allow-writes), newest first, with its outcome.',
      inputSchema: pageInput,
      outputSchema: { entries: z.array(logEntrySchema), ...pageShape },
      annotations: readOnly,
    },
    async (args) =>
      respond(ctx, () => {
        const { items, ...rest } = page([...ctx.log.entries()].reverse(), args.limit, args.cursor);
        const entries = items.map((e) => ({
          at: iso(e.at),
          command: e.command,
          target: e.target,
          ok: e.outcome.ok,
          kind: e.outcome.kind ?? (e.outcome.ok ? 'done' : 'error'),
          summary: e.outcome.summary,
        }));
        return { entries, ...rest };
      }),
  );
}
