/**
 * The small value prompt some actions need before their confirmation: autoscale's MAX MIN, a
 * rate or time limit, a queue to consume or to move a message to, the text of a queue search.
 * The prompt lives in UI state as plain data (what it is for, what was typed); `answerOf`
 * turns the typed text into the request it completes, or into a reason shown under the field.
 */
import type { ControlRequest } from './control-requests.js';
import { sanitize } from './sanitize.js';

/** What a value prompt is for. */
export type InputPurpose =
  | { action: 'autoscale'; worker: string }
  | { action: 'rate-limit'; taskName: string }
  | { action: 'time-limit'; taskName: string }
  | { action: 'consumer-add'; worker: string }
  | { action: 'message-move'; queue: string; taskId: string; name: string | null }
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
  | { kind: 'request'; request: ControlRequest }
  | { kind: 'search'; queue: string; text: string }
  | { kind: 'error'; error: string };

/** The prompt for `purpose`, empty. */
export function inputDialog(purpose: InputPurpose): InputState {
  const base = { purpose, draft: '', error: null };
  switch (purpose.action) {
    case 'autoscale':
      return {
        ...base,
        title: `Autoscale worker ${sanitize(purpose.worker)}`,
        label: 'MAX MIN',
        lines: ["The new pool range as MAX MIN (Celery's --autoscale order), e.g. 10 3."],
      };
    case 'rate-limit':
      return {
        ...base,
        title: `Rate limit of ${sanitize(purpose.taskName)}`,
        label: 'rate',
        lines: ['Tasks per second, minute or hour on each worker: 10/m, 5/s, 100/h, 2; none removes it.'],
      };
    case 'time-limit':
      return {
        ...base,
        title: `Time limits of ${sanitize(purpose.taskName)}`,
        label: 'SOFT HARD',
        lines: ['Seconds, soft then hard (none for no limit): 50 60, none 60; none alone removes both.'],
      };
    case 'consumer-add':
      return {
        ...base,
        title: `Add a consumer on ${sanitize(purpose.worker)}`,
        label: 'queue',
        lines: ['The queue the worker should start consuming (declared if it does not exist yet).'],
      };
    case 'message-move':
      return {
        ...base,
        title: `Move task ${sanitize(purpose.taskId)}`,
        label: 'to queue',
        lines: [`The queue to move it to from '${sanitize(purpose.queue)}'; it keeps its priority.`],
      };
    case 'queue-search':
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
}

// Celery's rate syntax (celery.utils.time.rate); commands/rate-limit.ts checks the same.
const rate = /^\d+(\.\d+)?(\/[smh])?$/;
const seconds = /^\d+(\.\d+)?$/;
const queueName = /^\S+$/;

function limit(word: string): number | null | undefined {
  if (word === 'none') return null;
  const value = seconds.test(word) ? Number(word) : Number.NaN;
  return value > 0 ? value : undefined;
}

/** The answer the typed `draft` gives to `purpose`. */
export function answerOf(purpose: InputPurpose, draft: string): InputAnswer {
  const text = draft.trim();
  const words = text
    .toLowerCase()
    .split(/[\s,]+/)
    .filter(Boolean);
  const error = (message: string): InputAnswer => ({ kind: 'error', error: message });
  const request = (r: ControlRequest): InputAnswer => ({ kind: 'request', request: r });
  switch (purpose.action) {
    case 'autoscale': {
      const [max, min] = words.map(Number);
      const whole = words.length === 2 && [max, min].every((n) => Number.isSafeInteger(n));
      if (!whole || max! < 1 || min! < 0 || max! < min!)
        return error('type MAX MIN as whole numbers, MAX >= MIN >= 0 and MAX >= 1 (e.g. 10 3)');
      return request({ command: 'autoscale', worker: purpose.worker, max: max!, min: min! });
    }
    case 'rate-limit':
      if (text.toLowerCase() === 'none')
        return request({ command: 'rate-limit', taskName: purpose.taskName, rate: null });
      if (!rate.test(text)) return error('type a rate like 10/m, 5/s, 100/h or 2 (per second), or none');
      return request({ command: 'rate-limit', taskName: purpose.taskName, rate: text });
    case 'time-limit': {
      const [soft, hard] = words.length === 1 && words[0] === 'none' ? [null, null] : words.map(limit);
      if (words.length > 2 || soft === undefined || hard === undefined)
        return error('type SOFT HARD in seconds > 0 or none (e.g. 50 60, none 60), or none');
      if (soft !== null && hard !== null && soft > hard)
        return error('the soft limit must not exceed the hard one');
      return request({ command: 'time-limit', taskName: purpose.taskName, soft, hard });
    }
    case 'consumer-add':
      if (!queueName.test(text)) return error('type a queue name (no spaces)');
      return request({
        command: 'consumer-add',
        queue: text,
        worker: purpose.worker,
        choose: null,
        options: [],
      });
    case 'message-move':
      if (!queueName.test(text)) return error('type a queue name (no spaces)');
      if (text === purpose.queue) return error(`the message is already in '${sanitize(text)}'`);
      return request({ command: 'message-move', ...withoutAction(purpose), toQueue: text });
    case 'queue-search':
      return text === ''
        ? error('type some text to look for')
        : { kind: 'search', queue: purpose.queue, text };
  }
}

function withoutAction(p: Extract<InputPurpose, { action: 'message-move' }>) {
  return { queue: p.queue, taskId: p.taskId, name: p.name };
}
