/**
 * The latest failure groups with how many of each failed recently: "is this still happening?"
 * is the overview's question, which a group's all-time count does not answer.
 */
import type { Model } from './model.js';
import { type FailureGroup, selectFailureGroups } from './select-failures.js';
import { exceptionType } from './task-values.js';

/** The window of `recent`. */
export const recentFailureWindowSec = 300;

export interface RecentFailureGroup extends FailureGroup {
  /** Members that failed in the last `recentFailureWindowSec` seconds. */
  recent: number;
}

/** Failure groups (latest first, as selectFailureGroups) with their recent counts. */
export function selectRecentFailures(model: Model, now: number): RecentFailureGroup[] {
  const since = now / 1000 - recentFailureWindowSec;
  const recent = new Map<string, number>();
  for (const r of model.tasks.values()) {
    if (r.state !== 'FAILURE' && r.state !== 'RETRY') continue;
    // The same time selectFailureGroups orders by.
    const at = r.finishedAt ?? r.stateAt ?? r.updatedAt / 1000;
    if (at < since) continue;
    const key = JSON.stringify([r.name, exceptionType(r.exception), r.state === 'RETRY']);
    recent.set(key, (recent.get(key) ?? 0) + 1);
  }
  return selectFailureGroups(model, now).map((g) => ({
    ...g,
    recent: recent.get(JSON.stringify([g.name, g.excType, g.retrying])) ?? 0,
  }));
}
