/**
 * Task list rows: filtered, sorted and capped row models for the tasks panel and JSON output.
 * Pure: reads the model, returns fresh objects, and takes the time (ms) as an argument.
 */
import { stringifyExact } from '../celery/json-exact.js';
import type { JsonObject } from '../celery/types.js';
import type { Model, TaskOrigin, TaskRecord } from './model.js';
import { oneLine, taskOrigin } from './task-display.js';
import { precedence } from './task-merge.js';
import { matchesFilter, recordTarget } from './task-query-match.js';
import type { TaskFilter } from './task-query-parse.js';
import { topK } from './top-k.js';

export { selectTaskDetail, type TaskDetail } from './select-task-detail.js';

export type TaskSort = 'updated' | 'started' | 'runtime' | 'name' | 'state';

export interface TaskQuery {
  /** Case-insensitive substring of id, name, args/kwargs (repr and JSON), result or exception. */
  text?: string;
  /** Exact matches; an empty or absent list does not filter. */
  states?: string[];
  names?: string[];
  workers?: string[];
  queues?: string[];
  /** A parsed filter (task-query-parse.ts), applied after the fields above. */
  filter?: TaskFilter;
  /** Default 'updated'. */
  sort?: TaskSort;
  /**
   * Reverse the whole order. Defaults: latest first for 'updated'/'started', longest first for
   * 'runtime', A→Z for 'name', in flight before finished for 'state'.
   */
  reverse?: boolean;
  /** Most rows returned (default 1000). */
  limit?: number;
}

export interface TaskRow {
  id: string;
  name: string | null;
  state: string;
  worker: string | null;
  queue: string | null;
  /** Seconds. */
  runtime: number | null;
  /** Seconds since the task was sent, received or first seen by qtop, whichever is earliest. */
  ageSec: number;
  /** One line, at most `previewChars` (task-display.ts): the reprs when known, else compact JSON. */
  argsPreview: string | null;
  /** One line. */
  exception: string | null;
  retries: number;
  eta: string | null;
  origins: TaskOrigin[];
  /** Celery >= 5.3 canvas stamps; null when none. */
  stamps: JsonObject | null;
}

export interface TaskList {
  rows: TaskRow[];
  /** Tasks held. */
  total: number;
  /** Tasks that pass the filters. */
  matched: number;
  /** True when `limit` dropped matching rows. */
  capped: boolean;
}

const defaultLimit = 1000;

function argsPreview(r: TaskRecord): string | null {
  // Reprs are what Celery itself shows; JSON is the fallback when only a queue or meta saw it.
  const args = r.argsRepr ?? (r.args !== null ? stringifyExact(r.args) : null);
  const kwargsText = r.kwargsRepr ?? (r.kwargs !== null ? stringifyExact(r.kwargs) : null);
  const kwargs = kwargsText === '{}' ? null : kwargsText;
  if (args === null && kwargs === null) return null;
  return oneLine([args, kwargs].filter((part) => part !== null).join(' '));
}

function haystack(r: TaskRecord): string {
  const parts = [r.id, r.name, r.argsRepr, r.kwargsRepr, r.result, r.exception];
  if (r.args !== null) parts.push(stringifyExact(r.args));
  if (r.kwargs !== null) parts.push(stringifyExact(r.kwargs));
  return parts
    .filter((p) => p !== null)
    .join('\n')
    .toLowerCase();
}

function inList(list: string[] | undefined, value: string | null): boolean {
  return list === undefined || list.length === 0 || (value !== null && list.includes(value));
}

/** Compare nullable numbers, larger first, nulls last. */
function desc(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return b - a;
}

/**
 * The task rows matching `query`, most recently updated first unless `query.sort` says
 * otherwise (ties fall back to recency). `total` counts every held task, `matched` those
 * that pass the filters, and `capped` says whether `limit` cut the list.
 */
export function selectTasks(model: Model, now: number, query: TaskQuery = {}): TaskList {
  const text = query.text?.trim().toLowerCase() ?? '';
  const filter = query.filter && !matchesEverything(query.filter) ? query.filter : undefined;
  const sort = query.sort ?? 'updated';
  const limit = Math.max(0, query.limit ?? defaultLimit);
  const unfiltered =
    text === '' &&
    filter === undefined &&
    [query.states, query.names, query.workers, query.queues].every((l) => l === undefined || l.length === 0);
  // The list the screen shows most: every task, latest first. Map order is update order, so the
  // rows are the map's tail: no record is copied or compared past the last `limit`.
  if (unfiltered && sort === 'updated') return recentTasks(model, now, limit, query.reverse === true);
  const matches: { record: TaskRecord; rank: number }[] = [];
  let rank = 0;
  for (const record of model.tasks.values()) {
    rank += 1;
    if (!inList(query.states, record.state) || !inList(query.names, record.name)) continue;
    if (!inList(query.workers, record.worker) || !inList(query.queues, record.queue)) continue;
    if (text !== '' && !haystack(record).includes(text)) continue;
    if (filter && !matchesFilter(filter, recordTarget(record, now))) continue;
    matches.push({ record, rank });
  }
  const sign = query.reverse ? -1 : 1;
  // Map order is update order (task-records.ts), so a higher rank is a later update.
  const byKey = (a: TaskRecord, b: TaskRecord): number => {
    switch (sort) {
      case 'started':
        return desc(a.startedAt, b.startedAt);
      case 'runtime':
        return desc(a.runtime, b.runtime);
      case 'name':
        return (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff');
      case 'state':
        // Most in-flight first (PENDING, RETRY, …), finished last: what still needs watching.
        return precedence(b.state) - precedence(a.state) || a.state.localeCompare(b.state);
      default:
        return 0;
    }
  };
  // Only the shown rows are put in order: recency is the map's order (no comparison at all),
  // any other sort keeps the best `limit` (top-k.ts). Ranks are distinct, so no two rows tie.
  const shown =
    sort === 'updated'
      ? query.reverse
        ? matches.slice(0, limit)
        : matches.slice(Math.max(0, matches.length - limit)).reverse()
      : topK(matches, limit, (a, b) => sign * (byKey(a.record, b.record) || b.rank - a.rank));
  const rows = shown.map(({ record }) => toRow(record, now));
  return { rows, total: model.tasks.size, matched: matches.length, capped: matches.length > rows.length };
}

/** True for a filter with an empty alternative (the empty query): it passes every task. */
function matchesEverything(filter: TaskFilter): boolean {
  return filter.alternatives.some((clauses) => clauses.length === 0);
}

/** Every held task by recency (latest first, or oldest first when `reverse`), at most `limit`. */
function recentTasks(model: Model, now: number, limit: number, reverse: boolean): TaskList {
  const total = model.tasks.size;
  const shown: TaskRecord[] = [];
  if (reverse) {
    for (const record of model.tasks.values()) {
      if (shown.length >= limit) break;
      shown.push(record);
    }
  } else {
    const from = total - limit;
    let i = 0;
    for (const record of model.tasks.values()) if (i++ >= from) shown.push(record);
    shown.reverse();
  }
  return { rows: shown.map((r) => toRow(r, now)), total, matched: total, capped: total > shown.length };
}

function toRow(r: TaskRecord, now: number): TaskRow {
  return {
    id: r.id,
    name: r.name,
    state: r.state,
    worker: r.worker,
    queue: r.queue,
    runtime: r.runtime,
    ageSec: Math.max(0, now / 1000 - taskOrigin(r)),
    argsPreview: argsPreview(r),
    exception: oneLine(r.exception),
    retries: r.retries,
    eta: r.eta,
    origins: [...r.origins],
    stamps: r.stamps !== null ? { ...r.stamps } : null,
  };
}
