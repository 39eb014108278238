/**
 * The store: one model, one reducer, and subscribers told of changes at most once per
 * `notifyEveryMs`. Sources dispatch at wire speed (thousands of events a second); the
 * screen and JSON writers only need to hear about it a few times a second.
 */
import type { Clock, TimerHandle } from '../base/clock.js';
import type { Action } from './actions.js';
import { createModel } from './create-model.js';
import type { Model, ModelConfig } from './model.js';
import { reduce } from './reducer.js';

export interface Store {
  /** The live model. Read it through selectors; never mutate it outside `dispatch`. */
  getModel(): Model;
  /** Model version: changes whenever the model does. */
  getVersion(): number;
  dispatch(action: Action): void;
  /** Called (batched) after changes; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Deliver any pending notification now (used before writing a snapshot). */
  flush(): void;
}

export interface StoreOptions {
  clock: Clock;
  config?: Partial<ModelConfig>;
  /** Longest delay between a change and the notification; 0 notifies synchronously. */
  notifyEveryMs?: number;
}

export function createStore(options: StoreOptions): Store {
  const { clock } = options;
  const notifyEveryMs = options.notifyEveryMs ?? 100;
  const model = createModel(clock.now(), options.config);
  const listeners = new Set<() => void>();
  let timer: TimerHandle | null = null;
  let notifiedVersion = model.version;

  function notify(): void {
    if (timer !== null) {
      clock.clearTimeout(timer);
      timer = null;
    }
    if (notifiedVersion === model.version) return;
    notifiedVersion = model.version;
    for (const listener of [...listeners]) listener();
  }

  return {
    getModel: () => model,
    getVersion: () => model.version,
    dispatch(action) {
      if (!reduce(model, action)) return;
      if (notifyEveryMs === 0) notify();
      else if (timer === null) timer = clock.setTimeout(notify, notifyEveryMs);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    flush: notify,
  };
}
