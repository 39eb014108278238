/**
 * The output schemas of qtop's MCP tools (zod; the SDK publishes them as JSON Schema in
 * `tools/list` and checks every answer against them). Field names and meanings are those of
 * `qtop --json` (schema qtop/1, README "JSON output"): times ISO 8601 UTC (`…At`), durations in
 * seconds (`…Sec`), null for unknown. Lists are pages: `total` items, `nextCursor` for the next.
 */
import { z } from 'zod';

const num = z.number().nullable();
const str = z.string().nullable();

export const pageShape = {
  total: z.number().int().describe('items in the whole list'),
  nextCursor: str.describe('pass as `cursor` for the next page; null on the last page'),
};

export const summaryShape = {
  generatedAt: z.string(),
  broker: z.string().describe('broker URL, password masked'),
  label: str,
  readOnly: z.boolean(),
  hideArgs: z.boolean().describe('args, kwargs, results and tracebacks are left out'),
  writesAllowed: z.boolean().describe('qtop mcp --allow-writes and the Redis user may write'),
  events: z.object({
    taskEvents: z
      .boolean()
      .nullable()
      .describe('true: task events arrive; false: some worker runs without -E'),
    workersWithTaskEvents: z.number().int(),
    tasksMissedByEvents: z.number().int(),
  }),
  sources: z.array(
    z.object({
      source: z.string(),
      state: z.enum(['ok', 'failed', 'idle']),
      lastOkAgeSec: num,
      lastError: str,
      openGapSec: num,
      gaps: z.number().int().describe('outages remembered'),
    }),
  ),
  totals: z.object({
    workersUp: z.number().int(),
    workersLost: z.number().int(),
    workersOffline: z.number().int(),
    ready: z.number().int(),
    reserved: z.number().int(),
    active: z.number().int(),
    failedLastMinute: z.number().int().nullable(),
  }),
  counts: z.object({
    queues: z.number().int(),
    workers: z.number().int(),
    tasksHeld: z.number().int(),
    failureGroups: z.number().int(),
    findings: z.number().int(),
    criticalFindings: z.number().int(),
  }),
};

export const queueSchema = z.object({
  name: z.string(),
  total: z.number().int().describe('ready messages over every priority list'),
  byPriority: z.record(z.string(), z.number()),
  reserved: z.number().int(),
  reservedIsLowerBound: z.boolean(),
  inRate: num,
  outRate: num,
  backlogTrendPerSec: num,
  oldestAgeSec: num,
  oldestAgeIsLowerBound: z.boolean(),
  oldestReservedAgeSec: num,
  consumers: z.object({ workers: z.number().int(), slots: num }),
  sampledAt: str,
});

export const workerSchema = z.object({
  hostname: z.string(),
  state: z.enum(['online', 'offline', 'lost', 'pidbox-only']),
  heartbeatAgeSec: num,
  poolMax: num,
  busy: num,
  prefetchCount: num,
  processed: num,
  loadavg: z.array(z.number()).nullable(),
  queues: z.array(z.string()).nullable(),
  swVer: str,
  eventsEnabled: z.boolean().nullable(),
  activeCount: num,
  reservedCount: num,
  scheduledCount: num,
  registeredCount: num,
  uptime: num,
  pid: num,
  silentRounds: z.number().int(),
});

const messageSchema = z.object({
  position: z.number().int(),
  priorityStep: z.number().int(),
  id: str,
  name: str,
  args: z
    .array(z.unknown())
    .nullable()
    .describe('exact JSON args; null for pickle payloads or with --hide-args'),
  kwargs: z.record(z.string(), z.unknown()).nullable(),
  argsRepr: str,
  kwargsRepr: str,
  eta: str,
  expires: str,
  retries: z.number().int(),
  redelivered: z.boolean(),
  bytes: z.number().int(),
  note: str,
});

export const taskShape = {
  found: z.boolean().describe('false: qtop holds no task with this id (never seen, or evicted)'),
  task: z
    .object({
      id: z.string(),
      name: str,
      state: z.string(),
      worker: str,
      queue: str,
      args: z.array(z.unknown()).nullable(),
      kwargs: z.record(z.string(), z.unknown()).nullable(),
      argsRepr: str,
      kwargsRepr: str,
      result: str,
      exception: str,
      traceback: str,
      runtime: num,
      retries: z.number().int(),
      eta: str,
      expires: str,
      sentAt: str,
      receivedAt: str,
      startedAt: str,
      finishedAt: str,
      terminated: z.boolean(),
      expired: z.boolean(),
      origins: z.array(z.string()).describe('sources that saw it: event, queue, unacked, inspect, result'),
      timeline: z.array(z.object({ type: z.string(), at: z.string(), hostname: str })),
      note: str,
    })
    .nullable(),
  family: z
    .object({
      rootId: str,
      parentId: str,
      groupId: str,
      children: z.array(z.string()),
      retryOf: str.describe('the task this one retries (qtop retry)'),
      retriedAs: str,
      held: z
        .object({ root: z.boolean(), parent: z.boolean(), children: z.number().int() })
        .describe('which related tasks qtop holds too (call get_task on them)'),
    })
    .nullable(),
};

export const failureSchema = z.object({
  name: str,
  excType: str,
  retrying: z.boolean().describe('RETRY states that may still succeed'),
  count: z.number().int(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  exampleId: z.string(),
  exampleException: str,
  exampleTraceback: str,
  ids: z.array(z.string()).describe('the first 10 task ids'),
  moreIds: z.number().int(),
});

export const queueHintSchema = z.object({
  queue: z.string(),
  forecast: z.object({ kind: z.string(), text: z.string() }),
  oldestAgeSec: num,
  backlog: z.object({ ready: z.number(), reserved: z.number(), scheduled: z.number(), total: z.number() }),
  arrivalPerSec: num.describe('λ'),
  servicePerSlotPerSec: num.describe('μ per slot'),
  slotsCurrent: num,
  slotsToDrain: num,
  slotsForWait: num,
  addSlots: num,
  utilization: num,
  drainSec: num,
  growthPerSec: num,
  confidence: z.enum(['low', 'medium', 'high']),
  notes: z.array(z.string()),
});

export const findingSchema = z.object({
  kind: z.string(),
  severity: z.enum(['critical', 'warning']),
  queue: str,
  worker: str,
  taskName: str,
  summary: z.string(),
  evidence: z.array(z.string()),
  fix: z.string(),
  taskIds: z.array(z.string()),
});

export const searchShape = {
  queue: z.string(),
  status: z
    .enum(['done', 'cancelled', 'limited'])
    .describe('limited: stopped at 200 matches or the scan budget'),
  scanned: z.number().int(),
  queueLength: z.number().int(),
  mayHaveSkipped: z.boolean(),
  matches: z.array(messageSchema),
  ...pageShape,
};

export const logEntrySchema = z.object({
  at: z.string(),
  command: z.string(),
  target: z.string(),
  ok: z.boolean(),
  kind: z.string(),
  summary: z.string(),
});

export const writeShape = {
  executed: z.boolean().describe('false: nothing was sent; `plan` says what confirming would do'),
  plan: z.string(),
  outcome: z
    .object({
      ok: z.boolean(),
      kind: z.string(),
      summary: z.string(),
      replies: z.array(
        z.object({ node: z.string(), status: z.enum(['ok', 'error', 'no-reply']), message: z.string() }),
      ),
      details: z.record(z.string(), z.unknown()).optional(),
    })
    .nullable(),
};

/** `limit` and `cursor`, the input of every list tool. */
export const pageInput = {
  limit: z.number().int().min(1).max(100).optional().describe('items per page (default 20, at most 100)'),
  cursor: z.string().optional().describe('nextCursor of the previous page'),
};
