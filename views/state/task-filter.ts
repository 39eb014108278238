/**
 * Filter tokens the screen adds and removes with one key (the language itself is parsed and
 * matched in src/store/task-query-parse.ts and task-query-match.ts, shared with the CLI).
 */
import type { TaskRow } from '../../src/store/select-tasks.js';

const tokenNames: Record<'state' | 'name' | 'worker' | 'queue', keyof TaskRow> = {
  state: 'state',
  name: 'name',
  worker: 'worker',
  queue: 'queue',
};

/**
 * Filter text with `field:value` of `row` added, or removed when already there: a toggle, so
 * one key narrows the list to "tasks like this one" and the same key widens it again.
 */
export function toggleToken(text: string, field: keyof typeof tokenNames, row: TaskRow): string {
  const value = row[tokenNames[field]];
  if (typeof value !== 'string' || value === '' || /\s/.test(value)) return text;
  const token = `${field}:${value}`;
  const tokens = text.trim() === '' ? [] : text.trim().split(/\s+/);
  const without = tokens.filter((t) => t !== token);
  return (without.length === tokens.length ? [...tokens, token] : without).join(' ');
}
