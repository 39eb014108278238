/**
 * Value helpers for task records: bounding what a task holds (a 10,000-task model must not
 * hold a 50 MB result ten thousand times), exception display, and defensive readers of the
 * loosely shaped parts of result meta.
 */
import { isExactNumber } from '../celery/json-exact.js';
import type { Json, JsonObject, ResultException } from '../celery/types.js';
import type { TaskRecord } from './model.js';

/** Longest `note` kept on a record; notes are explanations, not data. */
const maxNoteChars = 500;
/** Most child ids kept per task (a chord header can fan out to thousands). */
const maxChildren = 1000;

/** Append an explanation to the record's note once (notes from several sources join with '; '). */
export function addNote(record: TaskRecord, note: string): void {
  if (record.note === null) record.note = note;
  else if (!record.note.includes(note)) record.note = `${record.note}; ${note}`.slice(0, maxNoteChars);
}

/**
 * `text` cut to `max` characters (with a trailing '…'); a cut is explained in the record's
 * note so the screen never passes a shortened value off as the whole one.
 */
export function boundText(record: TaskRecord, what: string, text: string, max: number): string {
  if (text.length <= max) return text;
  addNote(record, `${what} cut to ${max} of ${text.length} characters`);
  return `${text.slice(0, max)}…`;
}

/**
 * Exact JSON args/kwargs if their serialized size is within `max`, else null with a note.
 * Exact values are kept whole or not at all: a retry republishes them, and half an argument
 * list would run the wrong call (architecture.md, "Retry").
 */
export function holdJson<T extends Json>(record: TaskRecord, what: string, value: T, max: number): T | null {
  const size = JSON.stringify(value).length;
  if (size <= max) return value;
  addNote(record, `${what} too large to hold (${size} characters)`);
  return null;
}

/** A Python-style repr of a JSON value, close enough for display: 'text', 1, None, True. */
export function pyRepr(value: Json): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return String(value);
  // Python's repr of float('nan') and float('inf') is nan/inf; big ints are shown whole.
  if (isExactNumber(value)) return value.text.replace('NaN', 'nan').replace('Infinity', 'inf');
  if (typeof value === 'string') {
    // Python prefers single quotes and switches to double ones when only ' occurs inside.
    if (value.includes("'") && !value.includes('"')) return `"${value.replace(/\\/g, '\\\\')}"`;
    return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  }
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`)
    .join(', ')}}`;
}

/**
 * The display of a meta exception the way task events show it: `ValueError('kaboom')`.
 * `exc_message` is the exception's args list (wire doc 9.1); older writers put a string.
 */
export function exceptionDisplay(exc: ResultException): string {
  const args = Array.isArray(exc.message) ? exc.message : exc.message === null ? [] : [exc.message];
  return `${exc.type}(${args.map(pyRepr).join(', ')})`;
}

/**
 * The exception class name at the front of a display text: `ValueError('kaboom')` →
 * `ValueError`, `celery.exceptions.Retry: Retry in 1s` → `celery.exceptions.Retry`. Null
 * when the text does not start with a Python identifier.
 */
export function exceptionType(display: string | null): string | null {
  if (display === null) return null;
  const m = /^\s*([A-Za-z_][\w.]*)\s*(?:[(:]|$)/.exec(display);
  return m ? m[1]! : null;
}

/**
 * Task ids in a meta's `children`: result tuples `[[id, parent], children]` for a plain
 * result, `[[group_id, parent], [member tuples…]]` for a group (wire doc 9.1/9.2, Celery's
 * ResultBase.as_tuple). Read defensively: anything unexpected is skipped, never thrown on.
 * The task's own id is left out (a retry records itself as its child).
 */
export function childIds(children: Json, selfId: string): string[] {
  const ids: string[] = [];
  const visit = (node: Json, depth: number): void => {
    if (ids.length >= maxChildren || depth > 8) return;
    if (typeof node === 'string') {
      if (node !== selfId && !ids.includes(node)) ids.push(node);
      return;
    }
    if (!Array.isArray(node)) return;
    const [head, tail] = node;
    if (typeof head === 'string' && node.length === 2) visit(head, depth + 1);
    else if (Array.isArray(head) && typeof head[0] === 'string') {
      visit(head[0], depth + 1);
      if (Array.isArray(tail)) for (const member of tail) visit(member, depth + 1);
    } else for (const item of node) visit(item, depth + 1);
  };
  if (Array.isArray(children)) for (const child of children) visit(child, 0);
  return ids;
}

/** A number field of a JSON object, or null. */
export function numberOf(obj: JsonObject, key: string): number | null {
  const value = obj[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** A string field of a JSON object, or null. */
export function stringOf(obj: JsonObject, key: string): string | null {
  const value = obj[key];
  return typeof value === 'string' ? value : null;
}

/** The value as a JSON object, or null. */
export function objectOf(value: Json | undefined): JsonObject | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
}
