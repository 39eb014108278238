/**
 * The bulk plan's types alone (bulk-plan.ts computes it), so the `Controls` interface can name the
 * plan its search returns without importing the planner (which reads selection.ts, which reads
 * controls.ts: a cycle).
 */

export type BulkVerb = 'revoke' | 'terminate' | 'retry';

/** One task the filter matched. */
export interface BulkCandidate {
  id: string;
  name: string | null;
  state: string;
  /** `queue`: a message still waiting in a queue (found by the queue scan); `held`: in qtop's model. */
  seenIn: 'queue' | 'held';
  /** Whether the call (args and kwargs) is known exactly, so a retry can reproduce it. */
  exactCall: boolean;
}

export interface BulkExcluded {
  id: string;
  name: string | null;
  state: string;
  reason: string;
}

export interface BulkPlan {
  verb: BulkVerb;
  query: string;
  /** Tasks the verb acts on, in the order found. */
  tasks: { id: string; name: string | null; state: string; seenIn: BulkCandidate['seenIn'] }[];
  excluded: BulkExcluded[];
  /** Set when the queue scan stopped early: the plan may miss waiting messages. */
  incomplete: string | null;
}
