/**
 * The `meta` rows: per-source health and gaps, ingest counters, qtop's own Redis load,
 * cluster totals for the header, and whether task events are on.
 */
import { seriesRate } from '../metrics/series.js';
import type { SourceName } from './actions.js';
import { tasksMissedByEvents } from './events-evidence.js';
import { type GapLossReading, gapLossReading } from './gap-loss.js';
import type { Counters, Model, RedisLoad, SourceGap } from './model.js';
import { eventRateWindow } from './rate-window.js';
import { selectWorkers } from './select-workers.js';
import { isUp } from './worker-state.js';

export interface SourceRow {
  source: SourceName;
  ok: boolean;
  lastOkAt: number | null;
  /** Seconds since the last success; null when it never succeeded. */
  lastOkAgeSec: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
  /** Seconds the current outage has lasted; null when none is open. */
  openGapSec: number | null;
  /** Events gaps also say how many events they lost (gap-loss.ts), when qtop tallied them. */
  gaps: (SourceGap & Partial<GapLossReading>)[];
}

export interface Totals {
  /** Online or pidbox-only workers. */
  workersUp: number;
  workersLost: number;
  workersOffline: number;
  /** Ready messages over all queues. */
  ready: number;
  /** The `unacked` hash size: reserved and ETA messages held by workers (wire doc 3.3). */
  reserved: number;
  /** Tasks running now on up workers, as far as heartbeats and inspect tell. */
  active: number;
  /**
   * Failed tasks in about the last minute (whole rate buckets, so up to one bucket more),
   * from task events; null while events are unknown or no task has been seen.
   */
  failedLastMinute: number | null;
}

export interface EventsStatus {
  /** Up workers that sent a task event in the last 5 minutes. */
  workersWithTaskEvents: string[];
  /** Tasks that started or finished while qtop listened, known only from results or inspect. */
  tasksMissedByEvents: number;
  /**
   * true: task events arrive; false: tasks ran that no event told of, so some worker runs
   * without `-E` (fix: `celery control enable_events`); null: cannot tell yet (no tasks).
   */
  taskEvents: boolean | null;
}

const sourceOrder: SourceName[] = ['beat', 'events', 'inspect', 'queues', 'results', 'unacked'];

/** Health of every source, in name order, with gaps copied oldest first. */
export function selectSources(model: Model, now: number): SourceRow[] {
  return sourceOrder.map((source) => {
    const h = model.sources[source];
    const open = h.gaps.at(-1);
    return {
      source,
      ok: h.ok,
      lastOkAt: h.lastOkAt,
      lastOkAgeSec: h.lastOkAt === null ? null : Math.max(0, now - h.lastOkAt) / 1000,
      lastError: h.lastError,
      lastErrorAt: h.lastErrorAt,
      openGapSec: open && open.to === null ? Math.max(0, now - open.from) / 1000 : null,
      gaps: h.gaps.map((gap) =>
        source === 'events' ? { ...gap, ...gapLossReading(model, gap.from) } : { ...gap },
      ),
    };
  });
}

/** The ingest counters, with event types in name order. */
export function selectCounters(model: Model): Counters {
  const byType = model.counters.eventsByType;
  const eventsByType: Record<string, number> = {};
  for (const type of Object.keys(byType).sort()) {
    Object.defineProperty(eventsByType, type, { value: byType[type], enumerable: true, writable: true });
  }
  return { ...model.counters, eventsByType };
}

/** qtop's own Redis load over the last measured window; null before the first measurement. */
export function selectLoad(model: Model): RedisLoad | null {
  return model.load === null ? null : { ...model.load };
}

/** Cluster-wide numbers for the header line. */
export function selectTotals(model: Model, now: number): Totals {
  const totals: Totals = {
    workersUp: 0,
    workersLost: 0,
    workersOffline: 0,
    ready: 0,
    reserved: 0,
    active: 0,
  } as Totals;
  for (const row of selectWorkers(model, now)) {
    if (isUp(row.state)) {
      totals.workersUp += 1;
      totals.active += row.busy ?? 0;
    } else if (row.state === 'lost') totals.workersLost += 1;
    else totals.workersOffline += 1;
  }
  for (const queue of model.queues.values()) totals.ready += queue.total;
  totals.reserved = model.unacked.total;
  totals.failedLastMinute = failedLastMinute(model, now);
  return totals;
}

function failedLastMinute(model: Model, now: number): number | null {
  const window = eventRateWindow(model, now, 60_000);
  if (window === null || model.taskNames.size === 0) return null;
  let count = 0;
  let known = false;
  for (const stats of model.taskNames.values()) {
    const reading = seriesRate(stats.failedRate, window.endMs, window.windowMs);
    if (reading.perSec === null) continue;
    known = true;
    count += reading.count;
  }
  return known ? count : null;
}

/**
 * Whether task events are on. A worker is never shown as "off" for silence alone, since an
 * idle worker with `-E` sends nothing either; "off" needs a task that ran while qtop listened
 * (seen through result meta or inspect) with no event about it.
 */
export function selectEventsStatus(model: Model, now: number): EventsStatus {
  const workersWithTaskEvents = selectWorkers(model, now)
    .filter((row) => isUp(row.state) && row.eventsEnabled === true)
    .map((row) => row.hostname);
  const tasksMissed = tasksMissedByEvents(model, now).length;
  const taskEvents = tasksMissed > 0 ? false : workersWithTaskEvents.length > 0 ? true : null;
  return { workersWithTaskEvents, tasksMissedByEvents: tasksMissed, taskEvents };
}
