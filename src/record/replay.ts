/**
 * The replay driver: the store as it was at any moment of a recording, rebuilt by dispatching
 * the recorded actions into a fresh store through the same reducers the live run used.
 *
 * Time: the sources stamp an action with the time its poll began (`at`) and dispatch it when
 * the poll ends, so `at` is not sorted in the file (a queue sample stamped 12:00:00.000 can
 * follow an event stamped 12:00:00.020). An action takes effect at the latest `at` seen so far
 * in the file, which is never earlier than its own `at`. The store at T is then always a prefix
 * of the file in dispatch order: exactly what the live store held, and moving forward by
 * dispatching the next actions gives the same store as building afresh.
 */
import { systemClock } from '../base/clock.js';
import type { Action } from '../store/actions.js';
import { createStore, type Store } from '../store/store.js';
import { headerStartMs, type RecordHeader } from './format.js';
import type { Recording } from './reader.js';

/** A recording indexed for seeking. */
export interface Timeline {
  header: RecordHeader;
  actions: readonly Action[];
  /** When each action takes effect (see the module comment); never decreasing. */
  effectiveAt: Float64Array;
  /** The recording's start (the store's creation) and its last action's time, ms. */
  startAt: number;
  endAt: number;
  truncated: boolean;
}

/** Index `recording` for seeking. */
export function createTimeline(recording: Recording): Timeline {
  const startAt = headerStartMs(recording.header);
  const effectiveAt = new Float64Array(recording.actions.length);
  let latest = startAt;
  recording.actions.forEach((action, i) => {
    latest = Math.max(latest, action.at);
    effectiveAt[i] = latest;
  });
  return {
    header: recording.header,
    actions: recording.actions,
    effectiveAt,
    startAt,
    endAt: latest,
    truncated: recording.truncated,
  };
}

/** How many actions (a prefix of the file) have taken effect at `t`. */
export function countAt(timeline: Timeline, t: number): number {
  let low = 0;
  let high = timeline.effectiveAt.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (timeline.effectiveAt[mid]! <= t) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * An empty store as the recorded one began: created at the recording's start (the model's
 * `startedAt` bounds rates and evidence), with the recorded limits, notifying synchronously.
 */
export function emptyStore(timeline: Timeline): Store {
  const clock = { ...systemClock, now: () => timeline.startAt };
  return createStore({ clock, config: timeline.header.model, notifyEveryMs: 0 });
}

/** A fresh store holding every action that has taken effect at `t`. */
export function storeAt(timeline: Timeline, t: number): { store: Store; applied: number } {
  const store = emptyStore(timeline);
  const applied = countAt(timeline, t);
  for (let i = 0; i < applied; i++) store.dispatch(timeline.actions[i]!);
  return { store, applied };
}

/** A store that follows a moving time over one timeline. */
export interface ReplayCursor {
  /** The current store; a different object after a backward seek. */
  readonly store: Store;
  /** Actions applied so far. */
  readonly applied: number;
  /**
   * Bring the store to time `t`: forward dispatches the next actions; backward rebuilds from the
   * start, since reducers update the model in place and cannot be undone. True when it rebuilt.
   */
  seek(t: number): boolean;
}

/** A cursor over `timeline`, at the start (no action applied). */
export function createCursor(timeline: Timeline): ReplayCursor {
  let store = emptyStore(timeline);
  let applied = 0;
  return {
    get store() {
      return store;
    },
    get applied() {
      return applied;
    },
    seek(t) {
      const target = countAt(timeline, t);
      const rebuilt = target < applied;
      if (rebuilt) {
        store = emptyStore(timeline);
        applied = 0;
      }
      for (; applied < target; applied++) store.dispatch(timeline.actions[applied]!);
      return rebuilt;
    },
  };
}
