/**
 * qtop's read-only MCP tools: the data of `qtop --json` (same selectors, so the answers agree with
 * the screen and the JSON), cut into small pages an assistant can ask for one at a time. With
 * `--hide-args`, args, kwargs, results and tracebacks are left out here as they are there.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { selectHints } from '../../src/hints/select/select-hints.js';
import { selectFailureGroups } from '../../src/store/select-failures.js';
import { selectEventsStatus, selectSources, selectTotals } from '../../src/store/select-meta.js';
import { selectQueues } from '../../src/store/select-queues.js';
import { selectTaskDetail } from '../../src/store/select-task-detail.js';
import { selectWorkers } from '../../src/store/select-workers.js';
import type { McpContext } from './mcp-context.js';
import { clip, page, respond } from './mcp-output.js';
import {
  failureSchema,
  findingSchema,
  pageInput,
  pageShape,
  queueHintSchema,
  queueSchema,
  summaryShape,
  taskShape,
  workerSchema,
} from './mcp-schemas.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const isoSec = (sec: number | null) => (sec === null ? null : new Date(sec * 1000).toISOString());
const readOnly = { readOnlyHint: true, openWorldHint: false } as const;

/** Register the read tools on `server`. */
export function registerReadTools(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'snapshot_summary',
    {
      title: 'Cluster summary',
      description:
        'Start here: connection and source health, whether task events arrive, totals (workers up/lost, ready, reserved, active, failed in the last minute) and how many queues, workers, failure groups and findings the other tools list.',
      outputSchema: summaryShape,
      annotations: readOnly,
    },
    async () =>
      respond(ctx, async () => {
        await ctx.ready();
        const model = ctx.store.getModel();
        const now = ctx.clock.now();
        const events = selectEventsStatus(model, now);
        const findings = selectHints(model, now, ctx.hintOptions).findings;
        return {
          generatedAt: iso(now),
          broker: ctx.broker,
          label: ctx.label,
          readOnly: ctx.readOnly,
          hideArgs: ctx.hideArgs,
          writesAllowed: ctx.writesAllowed(),
          events: {
            taskEvents: events.taskEvents,
            workersWithTaskEvents: events.workersWithTaskEvents.length,
            tasksMissedByEvents: events.tasksMissedByEvents,
          },
          sources: selectSources(model, now).map((s) => ({
            source: s.source,
            state: s.ok ? 'ok' : s.lastError !== null ? 'failed' : 'idle',
            lastOkAgeSec: s.lastOkAgeSec,
            lastError: s.lastError,
            openGapSec: s.openGapSec,
            gaps: s.gaps.length,
          })),
          totals: selectTotals(model, now),
          counts: {
            queues: model.queues.size,
            workers: model.workers.size,
            tasksHeld: model.tasks.size,
            failureGroups: selectFailureGroups(model, now).length,
            findings: findings.length,
            criticalFindings: findings.filter((f) => f.severity === 'critical').length,
          },
        };
      }),
  );

  server.registerTool(
    'list_queues',
    {
      title: 'Queues',
      description:
        'Queues by name: ready messages (every priority list), reserved, in/out rates, backlog trend, oldest wait, consumers. Use search_queue to look inside one.',
      inputSchema: {
        ...pageInput,
        name: z.string().optional().describe('only queues whose name contains this'),
      },
      outputSchema: { queues: z.array(queueSchema), ...pageShape },
      annotations: readOnly,
    },
    async (args) =>
      respond(ctx, async () => {
        await ctx.ready();
        const rows = selectQueues(ctx.store.getModel(), ctx.clock.now()).filter(
          (q) => args.name === undefined || q.name.includes(args.name),
        );
        const { items, ...rest } = page(rows, args.limit, args.cursor);
        const queues = items.map(({ backlogHistory: _h, peek: _p, exchanges: _e, sampledAt, ...q }) => ({
          ...q,
          sampledAt: iso(sampledAt),
        }));
        return { queues, ...rest };
      }),
  );

  server.registerTool(
    'list_workers',
    {
      title: 'Workers',
      description:
        'Workers by node name: state (online, offline, lost, pidbox-only), heartbeat age, pool size and busy slots, prefetch, processed, queues, version, whether they send task events.',
      inputSchema: {
        ...pageInput,
        state: z
          .enum(['online', 'offline', 'lost', 'pidbox-only'])
          .optional()
          .describe('only workers in this state'),
      },
      outputSchema: { workers: z.array(workerSchema), ...pageShape },
      annotations: readOnly,
    },
    async (args) =>
      respond(ctx, async () => {
        await ctx.ready();
        const rows = selectWorkers(ctx.store.getModel(), ctx.clock.now()).filter(
          (w) => args.state === undefined || w.state === args.state,
        );
        const { items, ...rest } = page(rows, args.limit, args.cursor);
        const workers = items.map((w) => ({
          hostname: w.hostname,
          state: w.state,
          heartbeatAgeSec: w.heartbeatAgeSec,
          poolMax: w.poolMax,
          busy: w.busy,
          prefetchCount: w.prefetchCount,
          processed: w.processed,
          loadavg: w.loadavg,
          queues: w.queues,
          swVer: w.swVer,
          eventsEnabled: w.eventsEnabled,
          activeCount: w.activeCount,
          reservedCount: w.reservedCount,
          scheduledCount: w.scheduledCount,
          registeredCount: w.registered?.length ?? null,
          uptime: w.uptime,
          pid: w.pid,
          silentRounds: w.silentRounds,
        }));
        return { workers, ...rest };
      }),
  );

  server.registerTool(
    'get_task',
    {
      title: 'Task by id',
      description:
        'Everything qtop holds about one task: state, worker, queue, args, result, exception and traceback, timeline, and its family (root, parent, group, children, retry links) with which of those qtop holds.',
      inputSchema: { id: z.string().min(1).max(200).describe('the task id (a UUID)') },
      outputSchema: taskShape,
      annotations: readOnly,
    },
    async (args) =>
      respond(ctx, async () => {
        await ctx.ready();
        const model = ctx.store.getModel();
        const t = selectTaskDetail(model, args.id, ctx.clock.now());
        if (t === null) return { found: false, task: null, family: null };
        const hide = ctx.hideArgs;
        return {
          found: true,
          task: {
            id: t.id,
            name: t.name,
            state: t.state,
            worker: t.worker,
            queue: t.queue,
            args: hide ? null : t.args,
            kwargs: hide ? null : t.kwargs,
            argsRepr: hide ? null : clip(t.argsRepr, 2_000),
            kwargsRepr: hide ? null : clip(t.kwargsRepr, 2_000),
            result: hide ? null : clip(t.result, 2_000),
            exception: t.exception,
            traceback: hide ? null : clip(t.traceback, 8_000),
            runtime: t.runtime,
            retries: t.retries,
            eta: t.eta,
            expires: t.expires,
            sentAt: isoSec(t.sentAt),
            receivedAt: isoSec(t.receivedAt),
            startedAt: isoSec(t.startedAt),
            finishedAt: isoSec(t.finishedAt),
            terminated: t.terminated,
            expired: t.expired,
            origins: t.origins,
            timeline: t.timeline
              .slice(-50)
              .map((e) => ({ type: e.type, at: isoSec(e.timestamp), hostname: e.hostname })),
            note: t.note,
          },
          family: {
            rootId: t.rootId,
            parentId: t.parentId,
            groupId: t.groupId,
            children: t.children.slice(0, 100),
            retryOf: t.retryOf,
            retriedAs: t.retriedAs,
            held: {
              root: t.rootId !== null && model.tasks.has(t.rootId),
              parent: t.parentId !== null && model.tasks.has(t.parentId),
              children: t.children.filter((id) => model.tasks.has(id)).length,
            },
          },
        };
      }),
  );

  server.registerTool(
    'list_failures',
    {
      title: 'Failures grouped',
      description:
        'Failed tasks qtop holds, grouped by task name and exception type, most recent first: count, first and last seen, an example with its traceback, and task ids.',
      inputSchema: { ...pageInput, name: z.string().optional().describe('only this task name') },
      outputSchema: { failures: z.array(failureSchema), ...pageShape },
      annotations: readOnly,
    },
    async (args) =>
      respond(ctx, async () => {
        await ctx.ready();
        const groups = selectFailureGroups(ctx.store.getModel(), ctx.clock.now()).filter(
          (g) => args.name === undefined || g.name === args.name,
        );
        const { items, ...rest } = page(groups, args.limit, args.cursor);
        const failures = items.map((g) => ({
          name: g.name,
          excType: g.excType,
          retrying: g.retrying,
          count: g.count,
          firstSeenAt: isoSec(g.firstSeen),
          lastSeenAt: isoSec(g.lastSeen),
          exampleId: g.exampleId,
          exampleException: g.exampleException,
          exampleTraceback: ctx.hideArgs ? null : clip(g.exampleTraceback, 4_000),
          ids: g.ids.slice(0, 10),
          moreIds: Math.max(0, g.ids.length - 10) + g.more,
        }));
        return { failures, ...rest };
      }),
  );

  server.registerTool(
    'list_hints',
    {
      title: 'Slots per queue',
      description:
        'Per queue, as `qtop hints`: forecast in words, arrival rate λ, service rate per slot μ, slots now, slots to drain within the target and for the wait target, slots to add, confidence and the notes behind it.',
      inputSchema: pageInput,
      outputSchema: {
        targetSec: z.number(),
        waitTargetSec: z.number(),
        queues: z.array(queueHintSchema),
        ...pageShape,
      },
      annotations: readOnly,
    },
    async (args) =>
      respond(ctx, async () => {
        await ctx.ready();
        const report = selectHints(ctx.store.getModel(), ctx.clock.now(), ctx.hintOptions);
        const { items, ...rest } = page(report.queues, args.limit, args.cursor);
        const queues = items.map((h) => ({
          queue: h.queue,
          forecast: h.forecast,
          oldestAgeSec: h.oldestAgeSec,
          backlog: {
            ready: h.backlog.ready,
            reserved: h.backlog.reserved,
            scheduled: h.backlog.scheduled,
            total: h.backlog.total,
          },
          arrivalPerSec: h.arrival.perSec,
          servicePerSlotPerSec: h.service.perSlotPerSec,
          slotsCurrent: h.slots.current,
          slotsToDrain: h.slotsToDrain,
          slotsForWait: h.slotsForWait,
          addSlots: h.addSlots,
          utilization: h.utilization,
          drainSec: h.drainSec,
          growthPerSec: h.growthPerSec,
          confidence: h.confidence,
          notes: h.notes,
        }));
        return {
          targetSec: report.options.targetSec,
          waitTargetSec: report.options.waitTargetSec,
          queues,
          ...rest,
        };
      }),
  );

  server.registerTool(
    'list_findings',
    {
      title: 'Health findings',
      description:
        'What is wrong now, critical first: backlog with no consumer, lost workers and their tasks, redeliveries, ETA past the visibility timeout, prefetch starvation, failure or retry spikes, saturated pools. Each with evidence, the fix, and task ids.',
      inputSchema: pageInput,
      outputSchema: { findings: z.array(findingSchema), ...pageShape },
      annotations: readOnly,
    },
    async (args) =>
      respond(ctx, async () => {
        await ctx.ready();
        const findings = selectHints(ctx.store.getModel(), ctx.clock.now(), ctx.hintOptions).findings;
        const { items, ...rest } = page(findings, args.limit, args.cursor);
        return { findings: items.map((f) => ({ ...f })), ...rest };
      }),
  );
}
