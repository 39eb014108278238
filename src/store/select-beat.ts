/**
 * The `beat` view: one row per periodic task, exact (RedBeat's keys) or inferred (arrival times of
 * a task name no RedBeat entry covers), and the beat lock. JSON-ready (ISO times, seconds), the
 * same for the Beat panel, `--json`, the check and the metrics. Findings come from
 * src/hints/findings-beat.ts, which reads this view.
 */
import type { Inference } from '../beat/infer.js';
import { redbeatNextDue } from '../beat/next-due.js';
import { schedulePeriodSec, scheduleWords } from '../beat/schedule-words.js';
import {
  type BeatTiming,
  defaultBeatTiming,
  isLate,
  lagSec,
  lateToleranceSec,
  ranOnTime,
} from '../beat/timing.js';
import type { BeatEntryRecord } from './beat-state.js';
import type { Model } from './model.js';

export interface BeatLastResult {
  taskId: string;
  /** Celery state as qtop holds it (PENDING while queued, SUCCESS, FAILURE, …); null when evicted. */
  state: string | null;
}

export interface BeatEntryRow {
  /** RedBeat entry name, or the task name for an inferred one. */
  name: string;
  task: string | null;
  source: 'redbeat' | 'inferred';
  /** The RedBeat hash key; null for inferred rows. */
  key: string | null;
  /** `every 5s`, `cron 0 3 * * *`; inferred: `~every 2s`, `~cron-like (minute)`, `~every 10s ×2 beats`. */
  schedule: string;
  periodSec: number | null;
  /** Null for inferred rows (qtop cannot know). */
  enabled: boolean | null;
  lastRunAt: string | null;
  /** RedBeat's total_run_count; inferred: the runs the inference rests on. */
  runCount: number | null;
  nextDueAt: string | null;
  /** Seconds until due (negative: overdue). */
  nextDueInSec: number | null;
  /** Seconds past due now, 0 when not yet due; null when unknown. */
  lagSec: number | null;
  /** Past due by more than the tolerance (enabled entries only). */
  late: boolean;
  toleranceSec: number;
  /** Whether the last run qtop saw came within the tolerance of its due time; null when unseen. */
  lastRunOnTime: boolean | null;
  lastResult: BeatLastResult | null;
  /** `options.queue` of a RedBeat entry (where beat sends it, unless task_routes say otherwise). */
  queue: string | null;
  /** Why part of a RedBeat entry could not be read. */
  problem: string | null;
}

export interface BeatLockView {
  key: string;
  held: boolean;
  /** The holder's lock token (a redis-py uuid1 hex). */
  holder: string | null;
  ttlSec: number | null;
  /** When the holder took the lock, from the uuid1 token's time; null when not a uuid1. */
  heldSinceAt: string | null;
  /** qtop saw the lock held at some point of this run. */
  seenHeld: boolean;
}

export interface BeatView {
  /** RedBeat as read: null before the first sample (or with the beat source off). */
  redbeat: { prefix: string; scheduleFound: boolean; sampledAt: string; truncated: boolean } | null;
  /** Null when the lock check is off or RedBeat was not sampled. */
  lock: BeatLockView | null;
  entries: BeatEntryRow[];
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The time inside a version-1 UUID (100 ns since 1582-10-15), as epoch ms; null for other tokens. */
export function uuid1Time(token: string): number | null {
  const hex = token.replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex) || hex[12] !== '1') return null;
  const ticks = BigInt(`0x${hex.slice(13, 16)}${hex.slice(8, 12)}${hex.slice(0, 8)}`);
  return Number((ticks - 122_192_928_000_000_000n) / 10_000n);
}

/** The arrival of `task` closest after `ranAtMs` (beat writes last_run_at, then sends). */
function resultNear(model: Model, task: string, ranAtMs: number): BeatLastResult | null {
  const arrivals = model.beat.arrivals.get(task);
  if (!arrivals) return null;
  let best: number | null = null;
  for (let i = 0; i < arrivals.times.length; i += 1) {
    const d = arrivals.times[i]! * 1000 - ranAtMs;
    if (d < -2000 || d > 60_000) continue;
    if (best === null || Math.abs(d) < Math.abs(arrivals.times[best]! * 1000 - ranAtMs)) best = i;
  }
  if (best === null) return null;
  const taskId = arrivals.ids[best]!;
  return { taskId, state: model.tasks.get(taskId)?.state ?? null };
}

function redbeatRow(model: Model, e: BeatEntryRecord, now: number, timing: BeatTiming): BeatEntryRow {
  const d = e.definition;
  const period = d ? schedulePeriodSec(d.schedule, now) : null;
  const enabled = d ? d.enabled : null;
  const ran = e.meta?.lastRunAt ?? null;
  const queue = d && typeof d.options.queue === 'string' ? d.options.queue : null;
  const due = d ? redbeatNextDue(d.schedule, ran, e.dueAt) : e.dueAt;
  return {
    name: e.name,
    task: d?.task ?? null,
    source: 'redbeat',
    key: e.key,
    schedule: d ? scheduleWords(d.schedule) : 'unreadable',
    periodSec: period,
    enabled,
    lastRunAt: iso(ran),
    runCount: e.meta?.totalRunCount ?? null,
    nextDueAt: iso(due),
    nextDueInSec: due === null ? null : (due - now) / 1000,
    lagSec: lagSec(due, now),
    late: enabled === true && isLate(due, now, period, timing),
    toleranceSec: lateToleranceSec(period, timing),
    lastRunOnTime: ran === null ? null : ranOnTime(e.lastRunDueAt, ran, period, timing),
    lastResult: d && ran !== null ? resultNear(model, d.task, ran) : null,
    queue,
    problem: e.problem,
  };
}

/** When an inferred task is expected at the latest: cron-like runs may leave their longest gap. */
function expectedBy(inf: Extract<Inference, { periodic: true }>): number {
  return inf.pattern === 'cron-like' ? inf.lastAt + inf.maxGapSec : inf.nextAt;
}

function inferredWords(inf: Extract<Inference, { periodic: true }>): string {
  const every = scheduleWords({
    kind: 'interval',
    everySec: Math.round(inf.periodSec * 10) / 10,
    relative: false,
  });
  if (inf.pattern === 'interval') return `~${every}`;
  if (inf.pattern === 'two-beats') return `~${every} x2 beats`;
  const base = inf.baseSec === 60 ? 'minute' : inf.baseSec === 3600 ? 'hour' : 'day';
  return `~cron-like (on one second of the ${base}; gaps ${Math.round(inf.periodSec)}-${Math.round(inf.maxGapSec)}s)`;
}

function inferredRow(
  model: Model,
  task: string,
  inf: Extract<Inference, { periodic: true }>,
  now: number,
  timing: BeatTiming,
): BeatEntryRow {
  const arrivals = model.beat.arrivals.get(task)!;
  const due = expectedBy(inf) * 1000;
  const lastId = arrivals.ids.at(-1)!;
  return {
    name: task,
    task,
    source: 'inferred',
    key: null,
    schedule: inferredWords(inf),
    periodSec: inf.periodSec,
    enabled: null,
    lastRunAt: iso(inf.lastAt * 1000),
    runCount: inf.runs,
    nextDueAt: iso(inf.nextAt * 1000),
    nextDueInSec: (inf.nextAt * 1000 - now) / 1000,
    lagSec: lagSec(inf.nextAt * 1000, now),
    late: isLate(due, now, inf.periodSec, timing),
    toleranceSec: lateToleranceSec(inf.periodSec, timing),
    lastRunOnTime: null,
    lastResult: { taskId: lastId, state: model.tasks.get(lastId)?.state ?? null },
    queue: model.tasks.get(lastId)?.queue ?? null,
    problem: null,
  };
}

/** The beat view at `now` (qtop clock, ms). RedBeat rows by name, then inferred rows by name. */
export function selectBeat(model: Model, now: number, timing: BeatTiming = defaultBeatTiming): BeatView {
  const beat = model.beat;
  const redbeat = [...beat.entries.values()]
    .map((e) => redbeatRow(model, e, now, timing))
    .sort((a, b) => a.name.localeCompare(b.name));
  const covered = new Set(redbeat.map((r) => r.task));
  const inferred: BeatEntryRow[] = [];
  for (const [task, arrivals] of beat.arrivals) {
    if (covered.has(task) || !arrivals.inference.periodic) continue;
    inferred.push(inferredRow(model, task, arrivals.inference, now, timing));
  }
  inferred.sort((a, b) => a.name.localeCompare(b.name));
  const lock = beat.lock;
  return {
    redbeat:
      beat.sampledAt === null || beat.prefix === null
        ? null
        : {
            prefix: beat.prefix,
            scheduleFound: beat.scheduleFound,
            sampledAt: iso(beat.sampledAt)!,
            truncated: beat.truncated,
          },
    lock: lock && {
      key: lock.key,
      held: lock.token !== null,
      holder: lock.token,
      ttlSec: lock.ttlMs === null ? null : lock.ttlMs / 1000,
      heldSinceAt: lock.token === null ? null : iso(uuid1Time(lock.token)),
      seenHeld: lock.lastHeldAt !== null,
    },
    entries: [...redbeat, ...inferred],
  };
}
