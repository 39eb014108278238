/**
 * The task filter language typed after `/`: free text plus `field:value` tokens, so one line
 * filters by text and by state, name, worker and queue (k9s and GitHub search work this way).
 *
 *   boom state:FAILURE,RETRY name:app.add worker:w1@host queue:celery stamp:monitoring_id=mon-1
 *
 * Short forms: `s:`, `n:`, `w:`, `q:`. Values are comma-separated; states are upper-cased.
 */
import { parseStampToken } from '../../src/celery/stamps.js';
import type { TaskQuery, TaskRow } from '../../src/store/select-tasks.js';

type Field = 'states' | 'names' | 'workers' | 'queues';

const fields: Record<string, Field> = {
  state: 'states',
  s: 'states',
  name: 'names',
  n: 'names',
  worker: 'workers',
  w: 'workers',
  queue: 'queues',
  q: 'queues',
};

/** The query for filter text; unknown `x:` prefixes stay part of the free text. */
export function parseTaskFilter(text: string): TaskQuery {
  const query: TaskQuery = {};
  const free: string[] = [];
  for (const token of text.trim().split(/\s+/)) {
    if (token === '') continue;
    const stamp = parseStampToken(token); // `stamp:key=value` (Celery >= 5.3 canvas stamps)
    if (stamp) {
      query.stamps = [...(query.stamps ?? []), stamp];
      continue;
    }
    const colon = token.indexOf(':');
    const field = colon > 0 ? fields[token.slice(0, colon).toLowerCase()] : undefined;
    const values =
      colon > 0
        ? token
            .slice(colon + 1)
            .split(',')
            .filter((v) => v !== '')
        : [];
    if (!field || values.length === 0) {
      free.push(token);
      continue;
    }
    const list = field === 'states' ? values.map((v) => v.toUpperCase()) : values;
    query[field] = [...(query[field] ?? []), ...list];
  }
  if (free.length > 0) query.text = free.join(' ');
  return query;
}

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
