/**
 * What a CLI bulk action (`qtop revoke --filter`, `qtop retry --filter`) acts on: every message still
 * waiting in a queue that the filter matches (the bounded, read-only queue scan of
 * src/sources/queue-search.ts, over every queue the bindings name), and every task in the result
 * backend it matches. Reads only; the plan it returns is what the confirmation counts and the run writes.
 */
import type { Redis } from 'ioredis';
import { systemClock } from '../../src/base/clock.js';
import type { WireOptions } from '../../src/celery/options.js';
import { heldCandidates } from '../../src/control/bulk-held.js';
import { type BulkCandidate, type BulkPlan, type BulkVerb, planBulk } from '../../src/control/bulk-plan.js';
import { searchQueue } from '../../src/sources/queue-search.js';
import { sampleQueues } from '../../src/sources/queue-source.js';
import { createResultScanner } from '../../src/sources/result-source.js';
import { sampleUnacked } from '../../src/sources/unacked-source.js';
import type { PeekedMessage } from '../../src/store/actions.js';
import type { ModelConfig } from '../../src/store/model.js';
import { createStore } from '../../src/store/store.js';
import { matchesFilter, type QueryTarget } from '../../src/store/task-query-match.js';
import type { TaskFilter } from '../../src/store/task-query-parse.js';
import type { ControlLookup } from './context.js';
import { controlsFromStore } from './lookup.js';

/** A waiting message as the filter sees it: PENDING, on its queue, not yet run. */
export function messageTarget(m: PeekedMessage, queue: string): QueryTarget {
  return {
    id: m.id,
    name: m.name,
    state: 'PENDING',
    worker: null,
    queue,
    argsRepr: m.argsRepr,
    kwargsRepr: m.kwargsRepr,
    args: m.args,
    kwargs: m.kwargs,
    result: null,
    exception: null,
    runtime: null,
    retries: m.retries,
    ageSec: null,
  };
}

export interface BulkFound {
  plan: BulkPlan;
  /** Over the tasks read from the result backend: what retry and revoke ask about a task. */
  lookup: ControlLookup;
}

/**
 * Find every task `filter` matches and plan `verb` over them; see the module comment. `held`: the
 * live screen's own model answers for the tasks qtop holds, instead of a fresh read of the backend.
 */
export async function findBulk(
  env: { broker: Redis; backend: Redis | null; wire: WireOptions; model: Partial<ModelConfig> },
  verb: BulkVerb,
  filter: TaskFilter,
  signal: AbortSignal,
  onProgress?: (text: string) => void,
  held?: (filter: TaskFilter) => BulkCandidate[],
): Promise<BulkFound> {
  const candidates: BulkCandidate[] = [];
  const gaps: string[] = [];
  const { queues } = await sampleQueues(
    env.broker,
    env.wire,
    { peek: 0, maxQueues: 10_000, maxValueChars: 0 },
    0,
  );
  for (const { name } of queues) {
    signal.throwIfAborted();
    const found = await searchQueue(env.broker, env.wire, name, '', {
      signal,
      limits: { maxMatches: 100_000 },
      match: (m) => m.id !== null && matchesFilter(filter, messageTarget(m, name)),
    });
    if (found.status === 'cancelled') signal.throwIfAborted();
    if (found.status === 'limited') gaps.push(`queue ${name}: scan stopped at ${found.scanned} messages`);
    if (found.mayHaveSkipped)
      gaps.push(`queue ${name}: workers took messages during the scan, some may be missed`);
    for (const m of found.matches)
      candidates.push({
        id: m.id!,
        name: m.name,
        state: 'PENDING',
        seenIn: 'queue',
        exactCall: m.args !== null && m.kwargs !== null,
      });
    onProgress?.(`scanned queue ${name}: ${found.scanned} messages, ${found.matches.length} match`);
  }
  // Messages workers took but have not acked (prefetched, ETA): still not run, so still revocable.
  const unacked = await sampleUnacked(env.broker, env.wire, { maxEntries: 100_000, maxValueChars: 4096 }, 0);
  if (unacked.total > unacked.entries.length)
    gaps.push(`unacked: read ${unacked.entries.length} of ${unacked.total}`);
  for (const entry of unacked.entries) {
    const m = entry.message;
    if (!m?.id) continue;
    const target = { ...messageTarget(m, entry.queue ?? ''), state: 'RECEIVED', queue: entry.queue };
    if (!matchesFilter(filter, target)) continue;
    candidates.push({
      id: m.id,
      name: m.name,
      state: 'RECEIVED',
      seenIn: 'queue',
      exactCall: m.args !== null && m.kwargs !== null,
    });
  }
  const store = createStore({ clock: systemClock, config: env.model, notifyEveryMs: 0 });
  if (held) candidates.push(...held(filter));
  else if (env.backend) {
    onProgress?.('reading the result backend');
    const scanner = createResultScanner(env.backend, { budget: 1000 });
    do {
      signal.throwIfAborted();
      const read = await scanner.next(systemClock.now());
      if (read) store.dispatch(read);
    } while (!scanner.done);
    candidates.push(...heldCandidates(store.getModel().tasks.values(), filter, systemClock.now()));
  } else gaps.push('no Redis result backend: finished tasks were not searched');
  const plan = planBulk(verb, filter.source, candidates, gaps.length ? gaps.join('; ') : null);
  return { plan, lookup: controlsFromStore(store, systemClock).lookup };
}
