/**
 * Small display helpers shared by the task selectors.
 */
import type { TaskRecord } from './model.js';

/** Longest one-line preview of args or an exception in a task row. */
export const previewChars = 200;

/**
 * `text` as one line: runs of whitespace and control characters become one space (a
 * traceback or a repr with newlines must not break a table row), cut to `max` with '…'.
 */
export function oneLine(text: string | null, max = previewChars): string | null {
  if (text === null) return null;
  const flat = text.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/**
 * The earliest time qtop knows for the task, epoch seconds: sent, received, or when qtop first
 * saw it (a lower bound of its age when it was queued before qtop started).
 */
export function taskOrigin(record: TaskRecord): number {
  let first = record.firstSeenAt / 1000;
  if (record.sentAt !== null) first = Math.min(first, record.sentAt);
  if (record.receivedAt !== null) first = Math.min(first, record.receivedAt);
  return first;
}
