/**
 * The bulk candidates among the tasks a model holds: the CLI reads them from the result backend into
 * a fresh model, the live screen asks its own store, and both count them the same way. Pure.
 */
import { parsePythonLiteral } from '../celery/py-literal.js';
import type { TaskRecord } from '../store/model.js';
import { matchesFilter, recordTarget } from '../store/task-query-match.js';
import type { TaskFilter } from '../store/task-query-parse.js';
import type { BulkCandidate } from './bulk-plan.js';

function reprExact(text: string | null): boolean {
  return text !== null && parsePythonLiteral(text).ok;
}

/** Whether a retry could rebuild the call exactly: exact JSON, or reprs the strict parser reads whole. */
export function recordExact(r: TaskRecord): boolean {
  return (r.args !== null || reprExact(r.argsRepr)) && (r.kwargs !== null || reprExact(r.kwargsRepr));
}

/** Every held task `filter` matches, as a bulk candidate. */
export function heldCandidates(
  tasks: Iterable<TaskRecord>,
  filter: TaskFilter,
  nowMs: number,
): BulkCandidate[] {
  const out: BulkCandidate[] = [];
  for (const record of tasks) {
    if (!matchesFilter(filter, recordTarget(record, nowMs))) continue;
    out.push({
      id: record.id,
      name: record.name,
      state: record.state,
      seenIn: 'held',
      exactCall: recordExact(record),
    });
  }
  return out;
}
