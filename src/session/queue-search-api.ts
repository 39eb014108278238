/**
 * The in-queue message search the screen can ask for, as types only: src/sources/queue-search.ts
 * implements it over Redis and commands/tui-run.ts injects it, so views never import a source
 * or ioredis (test/architecture.test.ts). The search reads; it never changes a queue.
 */
import type { PeekedMessage } from '../store/actions.js';

/** How far a search got: what it read, what it found. */
export interface QueueSearchProgress {
  /** Messages examined so far (each counted once). */
  scanned: number;
  /** Messages in the queue's priority lists when the search started. */
  total: number;
  /** Matching messages in execution order of discovery, at most the search's `maxMatches`. */
  matches: PeekedMessage[];
}

/**
 * How a search ended. `done`: every list was read to its end. `cancelled`: the signal fired.
 * `limited`: it stopped at `maxMatches` matches or `maxScanned` messages; the rest is unread.
 */
export interface QueueSearchResult extends QueueSearchProgress {
  status: 'done' | 'cancelled' | 'limited';
  /**
   * True when workers took messages so fast between two pages that a still-queued message may
   * have slid past the scan window unread (see queue-search.ts); the count is then a lower bound.
   */
  mayHaveSkipped: boolean;
}

/** What a caller hands a search besides the queue and the text. */
export interface QueueSearchOptions {
  /** Aborting ends the scan after the page in flight, with status `cancelled`. */
  signal?: AbortSignal;
  /** Called after every page, so a screen can show scanned/total while it runs. */
  onProgress?: (progress: QueueSearchProgress) => void;
}

/**
 * Find the messages waiting in `queue` whose task name, id, args or kwargs contain `text`
 * (case-insensitive). Rejects only for a connection error; a cancel resolves.
 */
export type QueueSearch = (
  queue: string,
  text: string,
  options?: QueueSearchOptions,
) => Promise<QueueSearchResult>;

/** One search and how it stands, as the screen keeps it (views/state/queue-search-state.ts). */
export interface QueueSearchState {
  run: number;
  queue: string;
  text: string;
  status: 'running' | QueueSearchResult['status'] | 'failed';
  scanned: number;
  total: number;
  matches: PeekedMessage[];
  mayHaveSkipped: boolean;
  /** Why it failed (a connection error), else null. */
  error: string | null;
  /** Clock ms. */
  startedAt: number;
  endedAt: number | null;
}
