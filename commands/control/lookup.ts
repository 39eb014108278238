/**
 * The control layer's lookup over qtop's store (what the TUI passes to `createControls`): read-only
 * questions answered by the store's selectors.
 */
import type { Clock } from '../../src/base/clock.js';
import { heldCandidates } from '../../src/control/bulk-held.js';
import { selectTaskDetail } from '../../src/store/select-task-detail.js';
import { selectWorkers } from '../../src/store/select-workers.js';
import type { Store } from '../../src/store/store.js';
import type { ControlLookup, ControlsContext } from './context.js';
import { mergeExchangeTypes } from './exchange-types.js';

/**
 * The lookup (and dispatch) over a store: tasks from `selectTaskDetail`, workers and their queues from
 * `selectWorkers` (offline and lost ones left out), FAILURE tasks by name for bulk retry.
 */
export function controlsFromStore(store: Store, clock: Clock): Pick<ControlsContext, 'lookup' | 'dispatch'> {
  const workers = () =>
    selectWorkers(store.getModel(), clock.now()).filter((w) => w.state !== 'offline' && w.state !== 'lost');
  const lookup: ControlLookup = {
    task: (id) => selectTaskDetail(store.getModel(), id, clock.now()),
    workersConsuming: (queue) =>
      workers()
        .filter((w) => w.queues?.includes(queue))
        .map((w) => w.hostname),
    knownWorkers: () => workers().map((w) => w.hostname),
    failedTaskIds: (name) =>
      [...store.getModel().tasks.values()]
        .filter((t) => t.state === 'FAILURE' && t.name === name)
        .map((t) => t.id),
    exchangeTypes: () => {
      const model = store.getModel();
      const declared = workers().flatMap((w) => {
        const exchanges = model.workers.get(w.hostname)?.exchanges;
        return exchanges ? [exchanges] : [];
      });
      return mergeExchangeTypes(declared);
    },
    tasksMatching: (filter) => heldCandidates(store.getModel().tasks.values(), filter, clock.now()),
  };
  return { lookup, dispatch: store.dispatch };
}
