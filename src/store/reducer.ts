/**
 * The one reducer: routes each action to the domains that care about it. Every domain
 * reducer updates the model in place and says whether it changed anything; the version
 * moves only on a real change so readers can skip work (see model.ts for why in place).
 */
import type { Action } from './actions.js';
import { reduceGapLoss } from './gap-loss.js';
import type { Model } from './model.js';
import { reduceBeat } from './reduce-beat.js';
import { reduceHealth } from './reduce-health.js';
import { reduceQueues } from './reduce-queues.js';
import { reduceTasks } from './reduce-tasks.js';
import { reduceWorkers } from './reduce-workers.js';

type DomainReducer = (model: Model, action: Action) => boolean;

// Order matters: queues and workers first, so the task domain can attribute flows to
// queue records and consumers that this same action created.
// Gap loss after health: it reads the events gap that health just opened or closed.
const domains: DomainReducer[] = [
  reduceHealth,
  reduceGapLoss,
  reduceQueues,
  reduceWorkers,
  reduceTasks,
  reduceBeat,
];

/** Apply one action; returns true when the model changed (and its version moved). */
export function reduce(model: Model, action: Action): boolean {
  let changed = false;
  for (const domain of domains) if (domain(model, action)) changed = true;
  if (changed) {
    model.version += 1;
    model.updatedAt = action.at;
  }
  return changed;
}
