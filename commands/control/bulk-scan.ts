/**
 * `Controls.findBulk`: the bulk search as the screen asks for it, through the injected controls.
 * The same read as the CLI's (bulk-find.ts); the tasks qtop holds come from the screen's own model
 * when its lookup can answer (`tasksMatching`), else from a fresh read of the result backend.
 */
import type { BulkPlan, BulkVerb } from '../../src/control/bulk-plan.js';
import type { ControlOutcome } from '../../src/control/controls.js';
import { parseTaskFilter } from '../../src/store/task-query-parse.js';
import { findBulk } from './bulk-find.js';
import { outcome } from './outcome.js';
import type { ControlRuntime } from './runtime.js';

/** Plan `verb` over every task `query` matches; see the module comment. Reads only. */
export async function findBulkPlan(
  rt: ControlRuntime,
  verb: BulkVerb,
  query: string,
  options: { signal?: AbortSignal; onProgress?: (text: string) => void } = {},
): Promise<{ plan: BulkPlan } | { outcome: ControlOutcome }> {
  const parsed = parseTaskFilter(query);
  if (!parsed.ok) return { outcome: outcome('refused', `refused: ${parsed.error}`) };
  if (parsed.filter.source === '')
    return { outcome: outcome('refused', 'refused: an empty filter would match every task') };
  const signal = options.signal ?? new AbortController().signal;
  const { broker, backend, wire, lookup } = rt.ctx;
  const held = lookup.tasksMatching?.bind(lookup);
  try {
    const found = await findBulk(
      { broker, backend, wire, model: {} },
      verb,
      parsed.filter,
      signal,
      options.onProgress,
      held,
    );
    return { plan: found.plan };
  } catch (error) {
    if (signal.aborted) return { outcome: outcome('interrupted', 'search cancelled: nothing was done') };
    return { outcome: rt.failed(error, 'bulk search') };
  }
}
