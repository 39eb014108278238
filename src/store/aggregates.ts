/**
 * Failure groups kept as the store changes instead of found by a scan of every held task per
 * frame: at 100,000 held tasks the scans of the failures panel and the overview were most of
 * qtop's own frame cost, and a frame usually follows a change that touched no failed task
 * (a heartbeat, a queue sample).
 *
 * The reducer tells this module which records it touched or evicted (`noteTaskRecord`, from
 * task-records.ts) and settles the list once per action (`settleFailures`, reduce-tasks.ts).
 * Only held FAILURE and RETRY records are members; each group rebuilds its figures only after
 * one of its members changed, joined or left, and the list of groups is re-sorted only then.
 * Records are read through their fields as they are; nothing here copies a task.
 */
import type { Model, TaskRecord } from './model.js';
import { exceptionType } from './task-values.js';

/** Most ids listed per group; the rest are counted in `more`. */
export const maxGroupIds = 100;

export interface FailureGroup {
  name: string | null;
  /** Class name parsed from the exception display (`ValueError('x')` → `ValueError`); null if unknown. */
  excType: string | null;
  /**
   * False: tasks that failed for good (FAILURE). True: tasks waiting to retry (RETRY) after
   * this exception; kept apart because they may still succeed.
   */
  retrying: boolean;
  count: number;
  /** Epoch seconds of the earliest and latest failure in the group. */
  firstSeen: number;
  lastSeen: number;
  /** The latest failure's id, exception and traceback. */
  exampleId: string;
  exampleException: string | null;
  exampleTraceback: string | null;
  /** Latest first, at most `maxGroupIds`. */
  ids: string[];
  more: number;
}

/** When the task failed (or last changed state), epoch seconds. */
export function failedAt(r: TaskRecord): number {
  return r.finishedAt ?? r.stateAt ?? r.updatedAt / 1000;
}

/** The group a record belongs to, or null when it is not failed or retrying. */
export function failureKey(r: TaskRecord): string | null {
  if (r.state !== 'FAILURE' && r.state !== 'RETRY') return null;
  return JSON.stringify([r.name, exceptionType(r.exception), r.state === 'RETRY']);
}

interface Group {
  key: string;
  /** Members in the order of `model.tasks` (least recently updated first), which breaks ties. */
  members: Map<string, TaskRecord>;
  /** Figures of the members as they were last built; null after a member changed. */
  built: FailureGroup | null;
  /** Members' failure times, latest first, as of `built`. */
  ats: number[];
}

interface FailureAggregate {
  /** Records touched or evicted since the last settle; duplicates are harmless. */
  dirty: TaskRecord[];
  /** Group key of each member, by task id. */
  keyOf: Map<string, string>;
  groups: Map<string, Group>;
  /** Bumped when a member changes, joins or leaves. */
  version: number;
  list: FailureGroup[] | null;
  recent: { version: number; counts: number[]; list: RecentFailureGroup[] } | null;
}

/** The window of `recent`. */
export const recentFailureWindowSec = 300;

export interface RecentFailureGroup extends FailureGroup {
  /** Members that failed in the last `recentFailureWindowSec` seconds. */
  recent: number;
}

/** Kept beside the model rather than in it: made on first read, from one scan. */
const aggregates = new WeakMap<Model, FailureAggregate>();

/**
 * Note that the reducer touched (changed) or evicted `record`. Cheap on purpose: it runs for
 * every task event; nothing is kept until a reader asked for failures once.
 */
export function noteTaskRecord(model: Model, record: TaskRecord): void {
  aggregates.get(model)?.dirty.push(record);
}

/** Bring the groups up to date with what the reducer noted. */
export function settleFailures(model: Model): void {
  const agg = aggregates.get(model);
  if (agg === undefined || agg.dirty.length === 0) return;
  const dirty = agg.dirty;
  agg.dirty = [];
  for (const noted of dirty) {
    // Most touches are of tasks that neither fail nor failed: nothing to look up. (A record
    // evicted and made again under its id was touched again, and is placed on that touch.)
    if (noted.state !== 'FAILURE' && noted.state !== 'RETRY' && !agg.keyOf.has(noted.id)) continue;
    place(agg, noted.id, model.tasks.get(noted.id));
  }
}

/** File the held record of `id` (or its absence) under the right group, last in its order. */
function place(agg: FailureAggregate, id: string, held: TaskRecord | undefined): void {
  const key = held === undefined ? null : failureKey(held);
  const old = agg.keyOf.get(id);
  if (key === null && old === undefined) return;
  agg.version += 1;
  agg.list = null;
  if (old !== undefined) {
    const group = agg.groups.get(old)!;
    group.members.delete(id);
    group.built = null;
    if (group.members.size === 0) agg.groups.delete(old);
  }
  if (key === null || held === undefined) {
    agg.keyOf.delete(id);
    return;
  }
  agg.keyOf.set(id, key);
  let group = agg.groups.get(key);
  if (group === undefined) {
    group = { key, members: new Map(), built: null, ats: [] };
    agg.groups.set(key, group);
  }
  group.members.set(id, held);
  group.built = null;
}

function aggregateOf(model: Model): FailureAggregate {
  let agg = aggregates.get(model);
  if (agg === undefined) {
    agg = { dirty: [], keyOf: new Map(), groups: new Map(), version: 0, list: null, recent: null };
    aggregates.set(model, agg);
    for (const [id, record] of model.tasks) place(agg, id, record);
  } else settleFailures(model);
  return agg;
}

function build(group: Group): FailureGroup {
  let g: FailureGroup | null = null;
  const members: { id: string; at: number }[] = [];
  for (const r of group.members.values()) {
    const at = failedAt(r);
    if (g === null) {
      g = {
        name: r.name,
        excType: exceptionType(r.exception),
        retrying: r.state === 'RETRY',
        count: 0,
        firstSeen: at,
        lastSeen: at,
        exampleId: r.id,
        exampleException: r.exception,
        exampleTraceback: r.traceback,
        ids: [],
        more: 0,
      };
    }
    g.count += 1;
    g.firstSeen = Math.min(g.firstSeen, at);
    if (at >= g.lastSeen) {
      g.lastSeen = at;
      g.exampleId = r.id;
      g.exampleException = r.exception;
      g.exampleTraceback = r.traceback;
    }
    members.push({ id: r.id, at });
  }
  // A stable sort: equal times keep the members' recency order, as the full scan did.
  members.sort((a, b) => b.at - a.at);
  g!.ids = members.slice(0, maxGroupIds).map((m) => m.id);
  g!.more = members.length - g!.ids.length;
  group.ats = members.map((m) => m.at);
  group.built = g;
  return g!;
}

const byRecency = (a: Group, b: Group) =>
  b.built!.lastSeen - a.built!.lastSeen ||
  b.built!.count - a.built!.count ||
  (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Groups in list order (latest failure first, then the larger, then by key), rebuilt as needed. */
function orderedGroups(agg: FailureAggregate): Group[] {
  const groups = [...agg.groups.values()];
  for (const g of groups) if (g.built === null) build(g);
  return groups.sort(byRecency);
}

/**
 * Groups of held FAILURE tasks, and separately of RETRY tasks, by task name and exception
 * type; latest failure first (ties: the larger group, then name and type). Only tasks still
 * held count. The same array is returned until a failed or retrying task changes.
 */
export function failureGroups(model: Model): FailureGroup[] {
  const agg = aggregateOf(model);
  orderedGroupsCached(agg);
  return agg.list!;
}

/** Members of `ats` (latest first) at or after `since`. */
function countSince(ats: number[], since: number): number {
  let lo = 0;
  let hi = ats.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ats[mid]! >= since) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * `failureGroups` with how many of each failed in the `recentFailureWindowSec` before `now`
 * (ms): a binary search per group. The same array is returned while neither the groups nor
 * any count changed.
 */
export function recentFailureGroups(model: Model, now: number): RecentFailureGroup[] {
  const agg = aggregateOf(model);
  const since = now / 1000 - recentFailureWindowSec;
  const groups = orderedGroupsCached(agg);
  const counts = groups.map((g) => countSince(g.ats, since));
  const kept = agg.recent;
  if (kept !== null && kept.version === agg.version && kept.counts.every((c, i) => c === counts[i]))
    return kept.list;
  const list = groups.map((g, i) => ({ ...g.built!, recent: counts[i]! }));
  agg.recent = { version: agg.version, counts, list };
  return list;
}

/** The ordered groups behind `agg.list`, kept with it. */
const orderCache = new WeakMap<FailureGroup[], Group[]>();
function orderedGroupsCached(agg: FailureAggregate): Group[] {
  if (agg.list !== null) {
    const order = orderCache.get(agg.list);
    if (order !== undefined) return order;
  }
  const order = orderedGroups(agg);
  agg.list = order.map((g) => g.built!);
  orderCache.set(agg.list, order);
  return order;
}
