/**
 * qtop's MCP write tools, registered only with `qtop mcp --allow-writes`. Each goes through the same
 * `Controls` as the live screen and the CLI (so the write gate, `--read-only` and the NOPERM probe
 * hold), answers with the plan alone unless called with `confirm: true` (purge: the queue's name),
 * and records what it sent in the command log.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ControlAction } from '../../src/control/action.js';
import { purge } from '../../src/control/actions/queues.js';
import { retry, revoke, terminate } from '../../src/control/actions/tasks.js';
import { poolGrow, poolShrink } from '../../src/control/actions/workers.js';
import { type ControlOutcome, signals } from '../../src/control/controls.js';
import { selectWorkers } from '../../src/store/select-workers.js';
import type { McpContext } from './mcp-context.js';
import { respond, ToolInputError } from './mcp-output.js';
import { writeShape } from './mcp-schemas.js';

const ids = z.array(z.string().min(1).max(200)).min(1).max(100).describe('task ids');
const confirm = z.boolean().optional().describe('true to do it; without it only the plan is returned');
const destructive = { readOnlyHint: false, destructiveHint: true, openWorldHint: false } as const;

/** Where qtop last saw each task, for the plan: "abc… (STARTED on w1@vm)". */
function whereTasks(ctx: McpContext, taskIds: string[]): string {
  const model = ctx.store.getModel();
  return taskIds
    .map((id) => {
      const t = model.tasks.get(id);
      if (!t) return `${id} (not held by qtop: workers will still remember the revoke)`;
      return `${id} (${t.name ?? 'unknown task'}, ${t.state}${t.worker ? ` on ${t.worker}` : ''})`;
    })
    .join(', ');
}

/** The full node name for `worker` (`w1` is enough when one up worker is `w1@…`). */
function resolveWorker(ctx: McpContext, worker: string): string {
  const names = selectWorkers(ctx.store.getModel(), ctx.clock.now()).map((w) => w.hostname);
  if (names.includes(worker)) return worker;
  const short = names.filter((name) => name.startsWith(`${worker}@`));
  if (short.length === 1) return short[0]!;
  throw new ToolInputError(
    `no single worker named '${worker}': known workers are ${names.join(', ') || 'none'} (list_workers)`,
  );
}

function outcomeOut(outcome: ControlOutcome) {
  return {
    ok: outcome.ok,
    kind: outcome.kind ?? (outcome.ok ? 'done' : 'error'),
    summary: outcome.summary,
    replies: outcome.replies.map((r) => ({ ...r })),
    ...(outcome.details ? { details: outcome.details } : {}),
  };
}

/**
 * Plan, or do and log: the shape of every write tool. The write is the control-action record's
 * (src/control/actions), logged under its label, as the screen and the CLI do.
 */
async function planOrDo<P>(
  ctx: McpContext,
  confirmed: boolean,
  plan: string,
  how: string,
  // biome-ignore lint/suspicious/noExplicitAny: a record's screen prompt seed plays no part here
  action: ControlAction<P, any>,
  params: P,
) {
  if (!confirmed) return { executed: false, plan: `${plan} Nothing was sent: ${how}.`, outcome: null };
  const outcome = await action.run(ctx.controls, params);
  ctx.log.record({ at: ctx.clock.now(), command: action.log, target: action.describe(params), outcome });
  return { executed: true, plan, outcome: outcomeOut(outcome) };
}

const again = 'call again with confirm: true to do it';

/** Register the write tools on `server` (only with --allow-writes). */
export function registerWriteTools(server: McpServer, ctx: McpContext): void {
  const config = <S extends z.ZodRawShape>(title: string, description: string, inputSchema: S) => ({
    title,
    description: `${description} Without confirm it only returns the plan; every write is in command_log.`,
    inputSchema,
    outputSchema: writeShape,
    annotations: destructive,
  });

  server.registerTool(
    'revoke_task',
    config(
      'Revoke tasks',
      'Revoke tasks on every worker: queued copies are discarded when a worker takes them; running ones go on (terminate_task stops them).',
      { ids, confirm },
    ),
    async (args) =>
      respond(ctx, () =>
        planOrDo(
          ctx,
          args.confirm === true,
          `Revoke on every worker: ${whereTasks(ctx, args.ids)}.`,
          again,
          revoke,
          { taskIds: args.ids, name: null, state: null },
        ),
      ),
  );

  server.registerTool(
    'terminate_task',
    config(
      'Terminate running tasks',
      'Revoke tasks and signal the pool process running each (Celery revoke --terminate).',
      {
        ids,
        signal: z.enum(signals).optional().describe('default TERM'),
        confirm,
      },
    ),
    async (args) => {
      const signal = args.signal ?? 'TERM';
      return respond(ctx, () =>
        planOrDo(
          ctx,
          args.confirm === true,
          `Revoke and send SIG${signal} to the process running: ${whereTasks(ctx, args.ids)}.`,
          again,
          terminate,
          { taskIds: args.ids, name: null, signal },
        ),
      );
    },
  );

  server.registerTool(
    'retry_task',
    config(
      'Retry tasks',
      'Publish each task again under a new id with its exact original call; refused per task when the call cannot be reproduced exactly.',
      {
        ids,
        queue: z.string().min(1).optional().describe('send to this queue instead of the original one'),
        confirm,
      },
    ),
    async (args) =>
      respond(ctx, () =>
        planOrDo(
          ctx,
          args.confirm === true,
          `Publish again under new ids${args.queue ? ` to queue ${args.queue}` : ''}: ${whereTasks(ctx, args.ids)}.`,
          again,
          retry,
          { taskIds: args.ids, name: null, queue: args.queue },
        ),
      ),
  );

  for (const grow of [true, false]) {
    const verb = grow ? 'grow' : 'shrink';
    server.registerTool(
      `pool_${verb}`,
      config(
        `Pool ${verb}`,
        `${grow ? 'Add' : 'Remove'} pool processes of one worker (Celery pool_${verb}; it does not outlive a restart).`,
        {
          worker: z.string().min(1).describe('node name, e.g. w1@host (w1 when unambiguous)'),
          n: z.number().int().min(1).max(64),
          confirm,
        },
      ),
      async (args) =>
        respond(ctx, () => {
          const worker = resolveWorker(ctx, args.worker);
          const row = selectWorkers(ctx.store.getModel(), ctx.clock.now()).find((w) => w.hostname === worker);
          const now = row?.poolMax ?? null;
          const plan = `${grow ? 'Grow' : 'Shrink'} the pool of ${worker} by ${args.n}${now !== null ? ` (${now} processes now)` : ''}.`;
          return planOrDo(ctx, args.confirm === true, plan, again, grow ? poolGrow : poolShrink, {
            worker,
            n: args.n,
          });
        }),
    );
  }

  server.registerTool(
    'purge_queue',
    config(
      'Purge a queue',
      'Delete every ready message of one queue (all its priority lists; not reserved messages, not its binding).',
      {
        queue: z.string().min(1),
        confirm: z.string().optional().describe('the queue name again, typed exactly, to do it'),
      },
    ),
    async (args) =>
      respond(ctx, () => {
        const queue = ctx.store.getModel().queues.get(args.queue);
        const plan = `Delete the ${queue ? queue.total : 'unknown number of'} ready messages of queue ${args.queue}.`;
        const how =
          args.confirm === undefined
            ? `call again with confirm: "${args.queue}" to do it`
            : `confirm must be the queue name "${args.queue}" exactly`;
        return planOrDo(ctx, args.confirm === args.queue, plan, how, purge, {
          queue: args.queue,
          ready: queue?.total ?? 0,
        });
      }),
  );
}
