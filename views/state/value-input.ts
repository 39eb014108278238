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
  const base = { purpose, draft: '', error: null };
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
  return {
    ...base,
    draft: prompt.initial?.(purpose.seed) ?? '',
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
