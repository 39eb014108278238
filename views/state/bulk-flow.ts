/**
 * The screen's "act on all N matching tasks" dialog as plain state, one step at a time: pick the
 * verb, the read-only search (through the injected controls) with its progress, the confirmation
 * with the typed count, the run with its progress. What each step shows comes from the bulk
 * action's record (src/control/actions/bulk.ts), so the screen and `qtop revoke --filter` agree.
 */
import type { BulkPlan, BulkVerb } from '../../src/control/bulk-plan.js';

/** The verbs in the order the dialog lists them, with what the list says. */
export const bulkChoices: { verb: BulkVerb; label: string }[] = [
  { verb: 'revoke', label: 'revoke: workers discard the ones not started' },
  { verb: 'terminate', label: 'terminate (TERM): revoke, and stop the running ones' },
  { verb: 'retry', label: 'retry: publish the finished ones again under new ids' },
];

export type BulkFlow =
  | { step: 'choose'; query: string; choice: number }
  | { step: 'scanning'; query: string; verb: BulkVerb; progress: string }
  | { step: 'confirm'; plan: BulkPlan; typed: string; focus: 'cancel' | 'confirm' }
  | { step: 'running'; plan: BulkPlan; done: number; stopping: boolean };

/** Whether the typed count matches the plan: the confirm button works only then. */
export function countTyped(flow: BulkFlow): boolean {
  return flow.step === 'confirm' && flow.typed === String(flow.plan.tasks.length);
}
