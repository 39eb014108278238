/**
 * What a bulk action would do, decided before anything is written: every task a filter matched
 * (held by qtop or still waiting in a queue), split into the ones the verb applies to and the
 * ones it excludes, each with why. The confirmation, `--dry-run` (schema/bulk-plan.schema.json)
 * and the run all read this one plan, so what was confirmed is what runs. Pure.
 */
import type { BulkCandidate, BulkPlan, BulkVerb } from './bulk-types.js';
import { finishedStates } from './selection.js';

export type { BulkCandidate, BulkExcluded, BulkPlan, BulkVerb } from './bulk-types.js';
export const bulkVerbs: readonly BulkVerb[] = ['revoke', 'terminate', 'retry'];

const inFlight = ['PENDING', 'RECEIVED', 'STARTED', 'RETRY'];

function exclusion(verb: BulkVerb, c: BulkCandidate): string | null {
  if (verb === 'retry') {
    if (inFlight.includes(c.state)) return `still ${c.state}: retry is for finished tasks`;
    return c.exactCall ? null : 'call not known exactly (cut repr or pickle): a retry would not be exact';
  }
  return finishedStates.includes(c.state) ? `already finished (${c.state}): nothing to ${verb}` : null;
}

/** The plan for `verb` over `candidates` (deduplicated by id, first seen wins). */
export function planBulk(
  verb: BulkVerb,
  query: string,
  candidates: BulkCandidate[],
  incomplete: string | null = null,
): BulkPlan {
  const seen = new Set<string>();
  const plan: BulkPlan = { verb, query, tasks: [], excluded: [], incomplete };
  for (const c of candidates) {
    if (seen.has(c.id)) continue;
    seen.add(c.id);
    const reason = exclusion(verb, c);
    if (reason) plan.excluded.push({ id: c.id, name: c.name, state: c.state, reason });
    else plan.tasks.push({ id: c.id, name: c.name, state: c.state, seenIn: c.seenIn });
  }
  return plan;
}

/** Excluded tasks counted by reason, most common first: what a confirmation says in one line each. */
export function excludedSummary(plan: BulkPlan): { reason: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const e of plan.excluded) {
    const key = e.reason.startsWith('already finished') ? 'already finished' : e.reason.split(':')[0]!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count);
}

/** The plan as `--dry-run` prints it (schema qtop-bulk-plan/1). */
export function planJson(plan: BulkPlan): Record<string, unknown> {
  return {
    schema: 'qtop-bulk-plan/1',
    verb: plan.verb,
    query: plan.query,
    count: plan.tasks.length,
    tasks: plan.tasks,
    excluded: plan.excluded,
    incomplete: plan.incomplete,
  };
}
