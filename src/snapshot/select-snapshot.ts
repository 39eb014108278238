/**
 * The whole picture as one JSON-ready value: schema `qtop/1`, used by `qtop --json`,
 * `--watch` and later `check`/`serve`. Built only from the selectors the screen uses, so
 * the two never disagree. Conventions: absolute times are ISO 8601 UTC strings (`…At`),
 * durations are seconds (`…Sec`), rates are per second; `schema/qtop-1.schema.json` holds it.
 */

import type { Finding, HintOptions, HintsReport } from '../hints/maths/types.js';
import { beatFindings } from '../hints/select/findings-beat.js';
import { selectHints } from '../hints/select/select-hints.js';
import type { PeekedMessage, SourceName } from '../store/actions.js';
import type { Counters, Model, WireChecks } from '../store/model.js';
import { type BeatView, selectBeat } from '../store/select-beat.js';
import { selectFailureGroups } from '../store/select-failures.js';
import {
  type EventsStatus,
  selectCounters,
  selectEventsStatus,
  selectLoad,
  selectSources,
  selectTotals,
  type Totals,
} from '../store/select-meta.js';
import { type QueueRow, selectQueues } from '../store/select-queues.js';
import { selectTaskNames, type TaskNameRow } from '../store/select-task-names.js';
import { selectTasks, type TaskRow } from '../store/select-tasks.js';
import { selectWorkers, type WorkerRow } from '../store/select-workers.js';

export const snapshotSchema = 'qtop/1';

/** What the caller knows about this run (the model does not). */
export interface SnapshotMeta {
  qtopVersion: string;
  /** Masked URLs: never a password. */
  broker: string;
  backend: string | null;
  backendNote: string | null;
  label: string | null;
  readOnly: boolean;
  hideArgs: boolean;
  /** How long collection ran before this snapshot, ms. */
  windowMs: number;
  /** False when the window ended before every source finished once. */
  complete: boolean;
  /** Most tasks listed. */
  taskLimit: number;
}

export type SourceState = 'ok' | 'failed' | 'idle';

export interface SourceSnapshot {
  /** idle: not run yet (or not configured, e.g. a non-Redis backend). */
  state: SourceState;
  lastOkAgeSec: number | null;
  lastError: string | null;
  openGapSec: number | null;
  gaps: {
    fromAt: string;
    toAt: string | null;
    reason: string;
    eventsLost?: number | null;
    eventsLostReason?: string | null;
  }[];
}

export interface QueueSnapshot extends Omit<QueueRow, 'sampledAt'> {
  sampledAt: string | null;
}

export interface FailureSnapshot {
  name: string | null;
  excType: string | null;
  retrying: boolean;
  count: number;
  firstSeenAt: string;
  lastSeenAt: string;
  exampleId: string;
  exampleException: string | null;
  exampleTraceback: string | null;
  ids: string[];
  more: number;
}

/** What `meta.replay` says in a snapshot of a recording (`qtop --json --replay`); live snapshots lack it. */
export interface ReplayMeta {
  /** The recording file as given. */
  file: string;
  /** The qtop version that recorded it. */
  recordedBy: string;
  startedAt: string;
  endedAt: string;
  /** Seconds from the recording's start to this snapshot (`generatedAt`). */
  atSec: number;
  actionsApplied: number;
  actionsTotal: number;
  /** The file's last line was cut off (the recorder was killed) and left out. */
  truncated: boolean;
}

export interface Snapshot {
  schema: typeof snapshotSchema;
  meta: Omit<SnapshotMeta, 'taskLimit'> & {
    /** Present only when the snapshot comes from a recording. */
    replay?: ReplayMeta;
    generatedAt: string;
    events: EventsStatus;
    sources: Record<SourceName, SourceSnapshot>;
    load: { commandsPerSec: number; bytesInPerSec: number; bytesOutPerSec: number; windowMs: number } | null;
    counters: Counters;
    wireChecks: WireChecks;
  };
  totals: Totals;
  queues: QueueSnapshot[];
  workers: WorkerRow[];
  tasks: { rows: TaskRow[]; total: number; matched: number; capped: boolean; limit: number };
  taskNames: TaskNameRow[];
  failures: FailureSnapshot[];
  /** Scaling hints per queue and health findings (src/hints). */
  hints: HintsReport;
  /** Periodic tasks: RedBeat entries and lock, inferred schedules, and the beat findings. */
  beat: BeatView & { findings: Finding[] };
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function hidePeek(message: PeekedMessage): PeekedMessage {
  return { ...message, args: null, kwargs: null, argsRepr: null, kwargsRepr: null };
}

/**
 * Assemble the snapshot at `now` (ms). With `meta.hideArgs`, args, kwargs and results are left out.
 * `hintOptions` (targets, visibility timeout) default to `defaultHintOptions`.
 */
export function selectSnapshot(
  model: Model,
  now: number,
  meta: SnapshotMeta,
  hintOptions: Partial<HintOptions> = {},
): Snapshot {
  const { taskLimit, ...runMeta } = meta;
  const sources = Object.fromEntries(
    selectSources(model, now).map((row) => [
      row.source,
      {
        state: row.ok ? 'ok' : row.lastError !== null ? 'failed' : 'idle',
        lastOkAgeSec: row.lastOkAgeSec,
        lastError: row.lastError,
        openGapSec: row.openGapSec,
        gaps: row.gaps.map((gap) => ({
          fromAt: iso(gap.from)!,
          toAt: iso(gap.to),
          reason: gap.reason,
          ...(gap.eventsLost !== undefined
            ? { eventsLost: gap.eventsLost, eventsLostReason: gap.eventsLostReason ?? null }
            : {}),
        })),
      } satisfies SourceSnapshot,
    ]),
  ) as Record<SourceName, SourceSnapshot>;
  const load = selectLoad(model);
  const tasks = selectTasks(model, now, { limit: taskLimit });
  const beat = selectBeat(model, now);
  return {
    schema: snapshotSchema,
    meta: {
      ...runMeta,
      generatedAt: iso(now)!,
      events: selectEventsStatus(model, now),
      sources,
      load: load && {
        commandsPerSec: load.commandsPerSec,
        bytesInPerSec: load.bytesInPerSec,
        bytesOutPerSec: load.bytesOutPerSec,
        windowMs: load.windowMs,
      },
      counters: selectCounters(model),
      wireChecks: { ...model.wireChecks },
    },
    totals: selectTotals(model, now),
    queues: selectQueues(model, now).map((row) => ({
      ...row,
      sampledAt: iso(row.sampledAt),
      peek: meta.hideArgs ? row.peek.map(hidePeek) : row.peek,
    })),
    workers: selectWorkers(model, now),
    tasks: {
      ...tasks,
      rows: meta.hideArgs ? tasks.rows.map((row) => ({ ...row, argsPreview: null })) : tasks.rows,
      limit: taskLimit,
    },
    taskNames: selectTaskNames(model, now),
    failures: selectFailureGroups(model, now).map((group) => ({
      name: group.name,
      excType: group.excType,
      retrying: group.retrying,
      count: group.count,
      firstSeenAt: iso(group.firstSeen * 1000)!,
      lastSeenAt: iso(group.lastSeen * 1000)!,
      exampleId: group.exampleId,
      exampleException: group.exampleException,
      exampleTraceback: meta.hideArgs ? null : group.exampleTraceback,
      ids: group.ids,
      more: group.more,
    })),
    hints: selectHints(model, now, hintOptions),
    beat: { ...beat, findings: beatFindings(model, beat) },
  };
}
