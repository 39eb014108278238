/**
 * The in-queue search as detail lines, drawn at the top of the queue's view: how far the scan
 * got (scanned of total, a percentage while it runs), how it ended, and each match as a waiting
 * message line (Enter opens its task; delete and move act on it).
 */

import { sanitize } from '../../src/output/sanitize.js';
import type { QueueSearchState } from '../../src/session/queue-search-api.js';
import { type Line, LineBuilder } from './detail-lines.js';
import { formatCount, formatDuration, formatPercent } from './format.js';
import { peekLine } from './worker-queue-lines.js';

function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 'es'}`;
}

/** The line that says where the search stands, in words (no colour needed). */
export function searchStatus(search: QueueSearchState): string {
  const of = `${formatCount(search.scanned)} of ${formatCount(search.total)}`;
  const matches = plural(search.matches.length, 'match');
  const took =
    search.endedAt === null ? '' : ` in ${formatDuration((search.endedAt - search.startedAt) / 1000)}`;
  switch (search.status) {
    case 'running': {
      const share = search.total > 0 ? ` (${formatPercent(search.scanned / search.total)})` : '';
      return `scanning ${of}${share} · ${matches} so far · Esc cancels`;
    }
    case 'done':
      return `${matches} · scanned ${of}${took} · / searches again · Esc clears`;
    case 'limited':
      return `stopped at ${matches} after ${of} · refine the text · Esc clears`;
    case 'cancelled':
      return `cancelled after ${of} · ${matches} · Esc clears`;
    case 'failed':
      return `failed: ${sanitize(search.error ?? '?')} · Esc clears`;
  }
}

/** Lines for `search` at `width`, ending with a blank line before the queue's own lines. */
export function searchLines(search: QueueSearchState, width: number, hideArgs: boolean): Line[] {
  const b = new LineBuilder(width);
  b.lines.push({ text: `Search "${sanitize(search.text)}": ${searchStatus(search)}`, heading: true });
  if (search.mayHaveSkipped)
    b.note('  workers took messages faster than the scan moved: some may have been passed over', 'warn');
  if (search.matches.length === 0 && search.status !== 'running')
    b.note(`  no waiting message contains "${sanitize(search.text)}"`);
  for (const m of search.matches) {
    const text = `  ${peekLine(m, hideArgs)}`;
    if (m.id) b.message(text, { id: m.id, name: m.name });
    else b.note(sanitize(text), 'plain');
  }
  b.note('');
  return b.lines;
}
