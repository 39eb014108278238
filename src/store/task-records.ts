/**
 * Task record bookkeeping shared by every task source: creation, recency (the map's insertion
 * order), precedence-guarded state changes, origins, the bounded timeline and eviction.
 */

import { noteTaskRecord } from './aggregates.js';
import { CompactTaskRecord, pairCode, pairType, timelineStart } from './compact-task-record.js';
import type { Model, TaskOrigin, TaskRecord, TimelineEntry } from './model.js';
import { finalStates, mergeState } from './task-merge.js';
import { addNote } from './task-values.js';

/** Shown on a record made by a task event that is not the start of a task's life. */
export const partialNote =
  'partial: qtop saw only later events of this task (it began before qtop started, or was evicted earlier)';

/** Records made by a later event: their eviction is not counted (the task was counted once already, or never whole). */
const partialRecords = new WeakSet<TaskRecord>();

/** Mark the record of `id` as partial (see `partialNote`). */
export function markPartial(model: Model, id: string): void {
  const record = model.tasks.get(id);
  if (record === undefined) return;
  partialRecords.add(record);
  addNote(record, partialNote);
}

/** A record that knows nothing yet. PENDING is Celery's initial state, so any evidence replaces it. */
export function createTaskRecord(id: string, at: number): TaskRecord {
  return new CompactTaskRecord(id, at);
}

/**
 * The record for `id`, created if absent, moved to the end of `model.tasks` (delete + set) so
 * the map's first entry is always the least recently updated one, the next to evict.
 */
export function touchTask(model: Model, id: string, at: number): TaskRecord {
  let record = model.tasks.get(id);
  if (record === undefined) {
    record = createTaskRecord(id, at);
    model.tasksWithoutEvents.add(id);
  }
  model.tasks.delete(id);
  model.tasks.set(id, record);
  record.updatedAt = Math.max(record.updatedAt, at);
  noteTaskRecord(model, record);
  return record;
}

/**
 * Apply Celery's precedence (task-merge.ts) for evidence that the task is in `state` as of
 * `stateAt` (epoch s). On 'replace' the state is set. Events restamp like Celery's Task.event
 * does; for polled sources `stateAt` moves only when the state changes, so a poll that sees
 * the same state again does not make it look younger.
 */
export function applyState(
  record: TaskRecord,
  state: string,
  stateAt: number | null,
  restamp = false,
): 'replace' | 'merge' {
  const verdict = mergeState(record.state, state);
  if (verdict === 'replace' && (restamp || record.state !== state || record.stateAt === null)) {
    record.state = state;
    record.stateAt = stateAt;
  }
  return verdict;
}

/** One frozen array per combination of origins, shared by every record that has it. */
const originSets = new Map<string, TaskOrigin[]>();

/**
 * Remember that `origin` reported this task (each origin once). Records share one frozen array
 * per combination (a handful exist) instead of holding one each, so `origins` is replaced,
 * never pushed to.
 */
export function addOrigin(model: Model, record: TaskRecord, origin: TaskOrigin): void {
  if (record.origins.includes(origin)) return;
  const next = [...record.origins, origin];
  const key = next.join(' ');
  let shared = originSets.get(key);
  if (shared === undefined) {
    shared = Object.freeze(next) as TaskOrigin[];
    originSets.set(key, shared);
  }
  record.origins = shared;
  if (origin === 'event') model.tasksWithoutEvents.delete(record.id);
}

/**
 * Insert a timeline entry in timestamp order, keeping the newest `max`. Events from several
 * workers and clocks arrive out of order; an entry ties after its equals so arrival order
 * breaks ties.
 */
export function addTimeline(record: TaskRecord, entry: TimelineEntry, max: number): void {
  if (!(record instanceof CompactTaskRecord)) {
    // A plain object made by hand (tests): same order, the simple way.
    const list = [...record.timeline];
    let i = list.length;
    while (i > 0 && list[i - 1]!.timestamp > entry.timestamp) i -= 1;
    list.splice(i, 0, entry);
    record.timeline = list.slice(Math.max(0, list.length - max));
    return;
  }
  const nums = record.nums;
  const ts = entry.timestamp;
  let i = nums.length;
  while (i > timelineStart && nums[i - 2]! > ts) i -= 2;
  // A new array of exactly the new length (push/splice grow the backing store by half plus 16
  // slots), dropping the oldest entries past `max`. Filled with doubles only, it holds them unboxed.
  const count = (nums.length - timelineStart) / 2 + 1;
  const drop = count > max ? (count - max) * 2 : 0;
  // merged = nums[timelineStart..i), the entry, nums[i..); keep it from `drop` doubles in.
  const next: number[] = new Array(nums.length + 2 - drop);
  for (let c = 0; c < timelineStart; c++) next[c] = nums[c]!;
  for (let m = timelineStart + drop, k = timelineStart; m < nums.length + 2; m++, k++)
    next[k] =
      m < i ? nums[m]! : m === i ? ts : m === i + 1 ? pairCode(entry.type, entry.hostname) : nums[m - 2]!;
  record.nums = next;
}

/** Changes whenever the record's timeline does: for revision checks without building entries. */
export function timelineKey(record: TaskRecord): unknown {
  return record instanceof CompactTaskRecord ? record.nums : record.timeline[0];
}

/**
 * A source observation (`seen-in-queue`, `seen-active`, …) goes on the timeline once: polls
 * repeat every few seconds and would otherwise push the events out of the bounded timeline.
 */
export function addObservation(record: TaskRecord, entry: TimelineEntry, max: number): void {
  if (record instanceof CompactTaskRecord) {
    const nums = record.nums;
    for (let c = timelineStart + 1; c < nums.length; c += 2) if (pairType(nums[c]!) === entry.type) return;
  } else if (record.timeline.some((e) => e.type === entry.type)) return;
  addTimeline(record, entry, max);
}

/**
 * Delete least recently updated tasks until at most `config.maxTasks` remain, counting each.
 * Task-name statistics are separate records and survive their tasks.
 */
export function evictTasks(model: Model): void {
  const max = Math.max(0, model.config.maxTasks);
  while (model.tasks.size > max) {
    const oldest = model.tasks.entries().next();
    if (oldest.done) break;
    const [id, record] = oldest.value;
    model.tasks.delete(id);
    model.tasksWithoutEvents.delete(id);
    noteTaskRecord(model, record);
    if (!partialRecords.has(record)) model.counters.tasksEvicted += 1;
    // A finished task sends nothing more but a retry's task-received, which starts a record
    // anyway: only unfinished ones are remembered, which keeps the memory small when the
    // evicted are mostly finished (its ids were ~80 bytes per held task at 100,000).
    if (!finalStates.has(record.state)) rememberEvicted(model, id);
  }
}

/** Keep the latest `config.maxTasks` evicted ids (a Set keeps insertion order: oldest first). */
function rememberEvicted(model: Model, id: string): void {
  const memory = model.evictedTaskIds;
  memory.delete(id);
  memory.add(id);
  while (memory.size > Math.max(0, model.config.maxTasks)) {
    const oldest = memory.keys().next();
    if (oldest.done) break;
    memory.delete(oldest.value);
  }
}

/**
 * Whether an event for `id` is a late one for an evicted task: true (and counted) when the
 * task was evicted and the event does not start a new life for it. `task-sent` and
 * `task-received` carry the task's name and arguments (a retry sends the same id again), so
 * they make a whole record and the id is forgotten as evicted.
 */
export function dropLateEvent(model: Model, id: string, startsRecord: boolean): boolean {
  if (model.evictedTaskIds.size === 0 || model.tasks.has(id) || !model.evictedTaskIds.has(id)) return false;
  if (startsRecord) {
    model.evictedTaskIds.delete(id);
    return false;
  }
  model.counters.lateEventsDropped += 1;
  return true;
}
