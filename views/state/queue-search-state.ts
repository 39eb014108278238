/**
 * The in-queue search as UI state: which queue, what text, how far the scan got and what it
 * found. Plain data only; the running scan itself (its AbortController) is held by the runner
 * (queue-search-runner.ts), which reports through these actions. Each run has a number so a
 * late report of a cancelled run cannot overwrite the next one.
 */
import type {
  QueueSearchProgress,
  QueueSearchResult,
  QueueSearchState,
} from '../../src/session/queue-search-api.js';

/** What changes the search state. */
export type SearchAction =
  | { type: 'search/started'; run: number; queue: string; text: string; at: number }
  | { type: 'search/progressed'; run: number; progress: QueueSearchProgress }
  | { type: 'search/ended'; run: number; result: QueueSearchResult | { error: string }; at: number }
  | { type: 'search/cleared' };

/** The next search state; the same object when the action is stale or changes nothing. */
export function reduceSearch(state: QueueSearchState | null, action: SearchAction): QueueSearchState | null {
  switch (action.type) {
    case 'search/started':
      return {
        run: action.run,
        queue: action.queue,
        text: action.text,
        status: 'running',
        scanned: 0,
        total: 0,
        matches: [],
        mayHaveSkipped: false,
        error: null,
        startedAt: action.at,
        endedAt: null,
      };
    case 'search/progressed':
      if (state?.run !== action.run || state.status !== 'running') return state;
      return { ...state, ...action.progress };
    case 'search/ended': {
      if (state?.run !== action.run) return state;
      const ended = { ...state, endedAt: action.at };
      if ('error' in action.result) return { ...ended, status: 'failed', error: action.result.error };
      const { status, scanned, total, matches, mayHaveSkipped } = action.result;
      return { ...ended, status, scanned, total, matches, mayHaveSkipped };
    }
    case 'search/cleared':
      return null;
  }
}
