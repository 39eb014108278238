/**
 * Failures grouped by what failed and how: (task name, exception type). Ten thousand
 * `ValueError`s from one task are one line to read, not ten thousand. The groups are kept by
 * the store as tasks change (aggregates.ts), not found by a scan of every held task.
 */
import { type FailureGroup, failureGroups } from './aggregates.js';
import type { Model } from './model.js';

export { type FailureGroup, maxGroupIds } from './aggregates.js';

/**
 * Groups of held FAILURE tasks, and separately of RETRY tasks, by task name and exception
 * type; latest failure first. Only tasks still held count (evicted ones are gone; the name
 * statistics keep their totals). `now` is unused today and kept for a uniform selector shape.
 */
export function selectFailureGroups(model: Model, _now: number): FailureGroup[] {
  return failureGroups(model);
}
