/**
 * In-queue message search (issue 5, "Search"): a bounded, cancellable, read-only scan of one
 * queue's priority lists in execution order (the lists in BRPOP order, each from its tail, where
 * the next message to run sits: wire doc 3.2), decoding each message with `toPeekedMessage` and
 * matching task name, id, args and kwargs. Only LLEN and LRANGE are sent: a search never changes
 * what the workers will run.
 *
 * Paging from the tail meets concurrent traffic like this: producers LPUSH at the head, which
 * moves no tail index; workers BRPOP at the tail, which slides unread messages toward the part
 * already read. Each page therefore starts `overlap` messages before where the last one ended,
 * and messages the last page already read are skipped by their exact text (each carries its own
 * delivery tag, wire doc 4). Only more than `overlap` pops between two pages can slide a message
 * past the window; that is detected (the overlap holds nothing read before) and reported.
 */
import type { Redis } from 'ioredis';
import { queueListKeys } from '../celery/names.js';
import type { WireOptions } from '../celery/options.js';
import type {
  QueueSearchOptions,
  QueueSearchProgress,
  QueueSearchResult,
} from '../session/queue-search-api.js';
import type { PeekedMessage } from '../store/actions.js';
import { toPeekedMessage } from './peeked-message.js';
import { replyNumber, runPipeline } from './pipeline.js';

/** The budget of one search. */
export interface QueueSearchLimits {
  /** Messages per LRANGE, decoded before the event loop gets a turn (the screen keeps drawing). */
  pageSize: number;
  /** Messages each page re-reads before where the last one ended (see the module comment). */
  overlap: number;
  /** Stop after this many matches: the operator refines the text rather than scroll thousands. */
  maxMatches: number;
  /** Stop after examining this many messages, however long the queue. */
  maxScanned: number;
  /** Largest args+kwargs JSON kept per match (toPeekedMessage). */
  maxValueChars: number;
}

/** Defaults: 500-message pages, at most 200 matches and a million messages per search. */
export const defaultSearchLimits: QueueSearchLimits = {
  pageSize: 500,
  overlap: 100,
  maxMatches: 200,
  maxScanned: 1_000_000,
  maxValueChars: 4096,
};

/** Whether `message` contains `needle` (already lower case) in its id, name, args or kwargs. */
export function messageMatches(message: PeekedMessage, needle: string): boolean {
  if (needle === '') return false;
  const parts = [message.id, message.name, message.argsRepr, message.kwargsRepr];
  if (message.args !== null) parts.push(JSON.stringify(message.args));
  if (message.kwargs !== null) parts.push(JSON.stringify(message.kwargs));
  return parts.some((part) => part?.toLowerCase().includes(needle));
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Search `queue` for `text`; see the module comment. Rejects only on a connection error. */
export async function searchQueue(
  redis: Redis,
  wire: WireOptions,
  queue: string,
  text: string,
  options: QueueSearchOptions & {
    limits?: Partial<QueueSearchLimits>;
    /** Match with this instead of `text` (a bulk action's parsed filter). */
    match?: (message: PeekedMessage) => boolean;
  } = {},
): Promise<QueueSearchResult> {
  const limits = { ...defaultSearchLimits, ...options.limits };
  const overlap = Math.max(0, Math.min(limits.overlap, limits.pageSize - 1));
  const needle = text.trim().toLowerCase();
  const lists = queueListKeys(wire, queue);
  const pipe = redis.pipeline();
  for (const { key } of lists) pipe.llen(key);
  const lengths = (await runPipeline(pipe)).map(replyNumber);
  const progress: QueueSearchProgress = {
    scanned: 0,
    total: lengths.reduce((a, b) => a + b, 0),
    matches: [],
  };
  let mayHaveSkipped = false;
  // Callers get copies: the matches list keeps growing after a report.
  const report = () => options.onProgress?.({ ...progress, matches: [...progress.matches] });
  const end = (status: QueueSearchResult['status']): QueueSearchResult => ({
    ...progress,
    matches: [...progress.matches],
    status,
    mayHaveSkipped,
  });

  let offset = 0; // execution position of the current list's tail (earlier lists run first)
  for (const [i, { key, step }] of lists.entries()) {
    let read = 0; // tail positions [0, read) were read
    let previous = new Set<string>();
    for (;;) {
      if (options.signal?.aborted) return end('cancelled');
      if (progress.scanned >= limits.maxScanned) return end('limited');
      const from = Math.max(0, read - overlap);
      const stop = read + limits.pageSize;
      // Tail positions [from, stop) are indexes -stop..-(from + 1); the reply is head first.
      const page = (await redis.lrange(key, -stop, -(from + 1))).reverse();
      if (read > 0 && (page.length === 0 || !previous.has(page[0]!))) mayHaveSkipped = true;
      for (const [j, raw] of page.entries()) {
        if (previous.has(raw)) continue;
        progress.scanned += 1;
        const message = toPeekedMessage(raw, offset + from + j, step, limits.maxValueChars);
        if (options.match ? options.match(message) : messageMatches(message, needle))
          progress.matches.push(message);
        if (progress.matches.length >= limits.maxMatches) {
          report();
          return end('limited');
        }
      }
      report();
      previous = new Set(page);
      read = stop;
      if (page.length < stop - from) break;
      await turn();
    }
    offset += lengths[i] ?? 0;
  }
  return end('done');
}
