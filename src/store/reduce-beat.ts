/**
 * The beat domain: RedBeat samples replace the entries and the lock (keeping what qtop learned
 * across samples: the due time before each run it saw, for "on time"), and task arrivals from
 * events feed the per-name inference. Arrivals come from `task-sent` (producers with
 * `task_send_sent_event`) or else `task-received`, once per task id.
 */
import { redbeatNextDue } from '../beat/next-due.js';
import type { TaskEvent } from '../celery/types.js';
import type { Action } from './actions.js';
import { type BeatEntryRecord, createArrivalRecord, maxArrivalNames, maxArrivals } from './beat-state.js';
import type { Model } from './model.js';

/** Runs remembered per RedBeat entry (as seen through `last_run_at`). */
const maxRunTimes = 12;

function reduceSample(model: Model, action: Extract<Action, { type: 'beat/sampled' }>): boolean {
  const beat = model.beat;
  const entries = new Map<string, BeatEntryRecord>();
  for (const sample of action.entries) {
    const prev = beat.entries.get(sample.key);
    const name = sample.definition?.name ?? sample.key.slice(action.prefix.length);
    const record: BeatEntryRecord = {
      key: sample.key,
      name,
      definition: sample.definition,
      meta: sample.meta,
      problem: sample.problem,
      dueAt: sample.dueAt,
      lastRunDueAt: prev?.lastRunDueAt ?? null,
      runTimes: prev?.runTimes ?? [],
    };
    const ran = sample.meta?.lastRunAt ?? null;
    const before = prev?.meta?.lastRunAt ?? null;
    if (prev && ran !== null && (before === null || ran > before)) {
      // The due time qtop saw before this run is what the run is judged against.
      record.lastRunDueAt = prev.definition
        ? redbeatNextDue(prev.definition.schedule, before, prev.dueAt)
        : prev.dueAt;
      record.runTimes = [...prev.runTimes, ran / 1000].slice(-maxRunTimes);
    }
    entries.set(sample.key, record);
  }
  beat.entries = entries;
  beat.sampledAt = action.at;
  beat.prefix = action.prefix;
  beat.scheduleFound = action.scheduleFound;
  beat.truncated = action.truncated;
  if (action.lock === null) beat.lock = null;
  else {
    const prev = beat.lock;
    const held = action.lock.token !== null;
    beat.lock = {
      ...action.lock,
      sampledAt: action.at,
      lastHeldAt: held ? action.at : (prev?.lastHeldAt ?? null),
      lastGoneAt: held ? (prev?.lastGoneAt ?? null) : action.at,
    };
  }
  return true;
}

function recordArrival(model: Model, event: TaskEvent): boolean {
  if (event.type !== 'task-sent' && event.type !== 'task-received') return false;
  const name = event.name;
  if (!name || !event.uuid || !Number.isFinite(event.timestamp)) return false;
  const arrivals = model.beat.arrivals;
  const record = arrivals.get(name) ?? createArrivalRecord();
  if (record.ids.includes(event.uuid)) return false;
  const { ids, times } = record;
  // Keep time order: sent and received events of different tasks may interleave.
  let i = times.length;
  while (i > 0 && times[i - 1]! > event.timestamp) i -= 1;
  ids.splice(i, 0, event.uuid);
  times.splice(i, 0, event.timestamp);
  if (times.length > maxArrivals) {
    ids.shift();
    times.shift();
  }
  record.changed();
  arrivals.delete(name);
  arrivals.set(name, record);
  if (arrivals.size > maxArrivalNames) arrivals.delete(arrivals.keys().next().value!);
  return true;
}

/** Apply an action to the beat slice; returns whether it changed. */
export function reduceBeat(model: Model, action: Action): boolean {
  switch (action.type) {
    case 'beat/sampled':
      return reduceSample(model, action);
    case 'events/received': {
      let changed = false;
      for (const event of action.events)
        if (event.kind === 'task' && recordArrival(model, event)) changed = true;
      return changed;
    }
    default:
      return false;
  }
}
