/**
 * Runs the injected in-queue search for the screen: one at a time (a new one cancels the old),
 * cancellable from a key, reporting to the UI state as plain actions. Progress reports are
 * thinned to a few a second: a million-message scan reports every 500 messages, and each
 * report is a re-render.
 */
import type { Clock } from '../../src/base/clock.js';
import type { QueueSearch } from '../../src/session/queue-search-api.js';
import type { UiAction } from './ui-state.js';

/** Least time between two progress reports reaching the UI state. */
const reportEveryMs = 200;

/** Starts and cancels searches; see the module comment. */
export interface SearchRunner {
  start(queue: string, text: string): void;
  /** Abort the running search (it ends as `cancelled`); false when none was running. */
  cancel(): boolean;
}

/** A runner over `search` (null when the screen was started without one). */
export function createSearchRunner(
  search: QueueSearch | null,
  dispatch: (action: UiAction) => void,
  clock: Clock,
): SearchRunner {
  let run = 0;
  let controller: AbortController | null = null;
  return {
    start(queue, text) {
      controller?.abort();
      run += 1;
      const id = run;
      const mine = new AbortController();
      controller = mine;
      dispatch({ type: 'search/started', run: id, queue, text, at: clock.now() });
      let reported = Number.NEGATIVE_INFINITY;
      const finish = (result: Extract<UiAction, { type: 'search/ended' }>['result']) => {
        if (controller === mine) controller = null;
        dispatch({ type: 'search/ended', run: id, result, at: clock.now() });
      };
      if (!search) return finish({ error: 'in-queue search is not available in this run' });
      search(queue, text, {
        signal: mine.signal,
        onProgress: (progress) => {
          const now = clock.now();
          if (now - reported < reportEveryMs) return;
          reported = now;
          dispatch({ type: 'search/progressed', run: id, progress });
        },
      }).then(finish, (error: unknown) =>
        finish({ error: (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '' }),
      );
    },
    cancel() {
      if (!controller) return false;
      controller.abort();
      controller = null;
      return true;
    },
  };
}
