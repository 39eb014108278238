/**
 * Failures grouped by what failed and how: (task name, exception type). Ten thousand
 * `ValueError`s from one task are one line to read, not ten thousand.
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
function failedAt(r: TaskRecord): number {
  return r.finishedAt ?? r.stateAt ?? r.updatedAt / 1000;
}

/**
 * Groups of held FAILURE tasks, and separately of RETRY tasks, by task name and exception
 * type; latest failure first. Only tasks still held count (evicted ones are gone; the name
 * statistics keep their totals). `now` is unused today and kept for a uniform selector shape.
 */
export function selectFailureGroups(model: Model, _now: number): FailureGroup[] {
  const groups = new Map<string, { group: FailureGroup; members: { id: string; at: number }[] }>();
  for (const r of model.tasks.values()) {
    if (r.state !== 'FAILURE' && r.state !== 'RETRY') continue;
    const retrying = r.state === 'RETRY';
    const excType = exceptionType(r.exception);
    const key = JSON.stringify([r.name, excType, retrying]);
    const at = failedAt(r);
    let entry = groups.get(key);
    if (!entry) {
      entry = {
        group: {
          name: r.name,
          excType,
          retrying,
          count: 0,
          firstSeen: at,
          lastSeen: at,
          exampleId: r.id,
          exampleException: r.exception,
          exampleTraceback: r.traceback,
          ids: [],
          more: 0,
        },
        members: [],
      };
      groups.set(key, entry);
    }
    const g = entry.group;
    g.count += 1;
    g.firstSeen = Math.min(g.firstSeen, at);
    if (at >= g.lastSeen) {
      g.lastSeen = at;
      g.exampleId = r.id;
      g.exampleException = r.exception;
      g.exampleTraceback = r.traceback;
    }
    entry.members.push({ id: r.id, at });
  }
  const out: FailureGroup[] = [];
  for (const { group, members } of groups.values()) {
    members.sort((a, b) => b.at - a.at);
    group.ids = members.slice(0, maxGroupIds).map((m) => m.id);
    group.more = members.length - group.ids.length;
    out.push(group);
  }
  return out.sort((a, b) => b.lastSeen - a.lastSeen || b.count - a.count);
}
