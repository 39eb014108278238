/**
 * The small value prompt some actions need before their confirmation (the record's `prompt`:
 * autoscale's MAX MIN, a rate or time limit, a queue to consume or to move a message to) and the
 * text of a queue search. It lives in UI state as plain data (what it is for, what was typed);
 * `answerOf` turns the typed text into what it completes, or into a reason shown under the field.
 */
import type { ActionRequest } from '../../src/control/action.js';
import { actionById } from '../../src/control/actions/index.js';
import { sanitize } from '../../src/output/sanitize.js';

/** What a value prompt is for: a control action's value (`seed` from its start), or a queue search. */
export type InputPurpose =
  | { action: 'control'; id: string; seed: unknown }
  | { action: 'queue-search'; queue: string };

/** An open value prompt. */
export interface InputState {
  purpose: InputPurpose;
  title: string;
  /** What to type, in qtop's words. */
  lines: string[];
  /** The field's name: 'MAX MIN', 'rate', 'queue'. */
  label: string;
  draft: string;
  /** Where typing goes, in code points from the start of `draft` (0 … its length). */
  cursor: number;
  /** Why the last Enter was not accepted; cleared by typing. */
  error: string | null;
}

/** What the typed text completes. */
export type InputAnswer =
  | { kind: 'request'; request: ActionRequest }
  | { kind: 'search'; queue: string; text: string }
  | { kind: 'error'; error: string };

/** The prompt for `purpose`, empty. */
export function inputDialog(purpose: InputPurpose): InputState {
  const base = { purpose, draft: '', cursor: 0, error: null };
  if (purpose.action === 'queue-search') {
    return {
      ...base,
      title: `Search queue ${sanitize(purpose.queue)}`,
      label: 'find',
      lines: [
        'Finds the waiting messages whose task name, id, args or kwargs contain this text (any case).',
        'It reads the queue in execution order, 500 messages at a time, with progress shown; Esc cancels.',
      ],
    };
  }
  const prompt = actionById(purpose.id).prompt!;
  const draft = prompt.initial?.(purpose.seed) ?? '';
  return {
    ...base,
    draft,
    cursor: [...draft].length,
    title: prompt.title(purpose.seed),
    label: prompt.label,
    lines: prompt.lines(purpose.seed),
  };
}

/** The answer the typed `draft` gives to `purpose`. */
export function answerOf(purpose: InputPurpose, draft: string): InputAnswer {
  if (purpose.action === 'queue-search') {
    const text = draft.trim();
    return text === ''
      ? { kind: 'error', error: 'type some text to look for' }
      : { kind: 'search', queue: purpose.queue, text };
  }
  const parsed = actionById(purpose.id).prompt!.parse(purpose.seed, draft) as { error?: unknown };
  if (parsed !== null && typeof parsed === 'object' && typeof parsed.error === 'string')
    return { kind: 'error', error: parsed.error };
  return { kind: 'request', request: { id: purpose.id, params: parsed } };
}

/** One edit of the field: typing and erasing happen at the cursor, which the arrows move. */
export type FieldEdit =
  | { kind: 'type'; text: string }
  /** Backspace: the character before the cursor. */
  | { kind: 'erase' }
  /** The character under the cursor. */
  | { kind: 'delete' }
  | { kind: 'move'; to: 'left' | 'right' | 'home' | 'end' };

/**
 * The field after `edit`; the same object when nothing changes. Positions count code points, so
 * an emoji or an accented letter is one step and is never cut in half.
 */
export function editField(input: InputState, edit: FieldEdit): InputState {
  const chars = [...input.draft];
  const at = Math.max(0, Math.min(input.cursor, chars.length));
  let next: string[] = chars;
  let cursor = at;
  if (edit.kind === 'type') {
    const typed = [...edit.text];
    next = [...chars.slice(0, at), ...typed, ...chars.slice(at)];
    cursor = at + typed.length;
  } else if (edit.kind === 'erase') {
    if (at === 0) return input;
    next = [...chars.slice(0, at - 1), ...chars.slice(at)];
    cursor = at - 1;
  } else if (edit.kind === 'delete') {
    if (at === chars.length) return input;
    next = [...chars.slice(0, at), ...chars.slice(at + 1)];
  } else {
    const to = { left: at - 1, right: at + 1, home: 0, end: chars.length }[edit.to];
    cursor = Math.max(0, Math.min(to, chars.length));
    if (cursor === input.cursor) return input;
    return { ...input, cursor };
  }
  return { ...input, draft: next.join(''), cursor, error: null };
}

/** What the field shows: the text around the cursor, and the character under it (null: at the end). */
export interface FieldView {
  before: string;
  at: string | null;
  after: string;
}

/**
 * The part of `draft` that fits `width` columns with the cursor in view (a call is one long line:
 * the view follows the cursor, and `…` says that text goes on past an edge). Counts a code point as
 * one column, which JSON calls are in practice; the cursor takes a column of its own at the end.
 */
export function fieldView(draft: string, cursor: number, width: number): FieldView {
  const chars = [...draft];
  const at = Math.max(0, Math.min(cursor, chars.length));
  const room = Math.max(3, width);
  const cells = chars.length + 1; // the end of the text is a place the cursor can be
  let start = 0;
  if (cells > room) start = Math.max(0, Math.min(at - Math.floor(room / 2), cells - room));
  const end = Math.min(cells, start + room);
  const shown = chars.slice(start, end);
  // The edges that cut text show an ellipsis instead of their character (never the cursor's).
  if (start > 0) shown[0] = '…';
  if (end < cells && end - 1 !== at) shown[shown.length - 1] = '…';
  const offset = at - start;
  return {
    before: shown.slice(0, offset).join(''),
    at: at < chars.length ? (shown[offset] ?? null) : null,
    after: shown.slice(offset + 1).join(''),
  };
}
