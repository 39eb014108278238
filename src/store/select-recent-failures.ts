/**
 * The latest failure groups with how many of each failed recently: "is this still happening?"
 * is the overview's question, which a group's all-time count does not answer.
 */
import { type RecentFailureGroup, recentFailureGroups } from './aggregates.js';
import type { Model } from './model.js';

export { type RecentFailureGroup, recentFailureWindowSec } from './aggregates.js';

/** Failure groups (latest first, as selectFailureGroups) with their recent counts. */
export function selectRecentFailures(model: Model, now: number): RecentFailureGroup[] {
  return recentFailureGroups(model, now);
}
