/**
 * Celery's task state machine, as its own monitors apply it, so qtop agrees with `celery
 * events` and Flower about what state a task is in whatever order the evidence arrives.
 *
 * Source: celery/states.py (PRECEDENCE, precedence()) and celery/events/state.py (Task.event,
 * TASK_EVENT_TO_STATE, Task.merge_rules), Celery 5.2 and unchanged through 5.6.
 */
import type { TaskEventType } from '../celery/types.js';

/**
 * Celery's PRECEDENCE list: index = precedence, a lower index is more final. `null` stands for
 * every state Celery does not know (custom `update_state` states, `CANCELLED`).
 */
const precedenceOrder: (string | null)[] = [
  'SUCCESS',
  'FAILURE',
  null,
  'REVOKED',
  'STARTED',
  'RECEIVED',
  'REJECTED',
  'RETRY',
  'PENDING',
];
const unknownPrecedence = precedenceOrder.indexOf(null);

/** The states a task does not leave by itself (Celery's READY_STATES plus REJECTED). */
export const finalStates: ReadonlySet<string> = new Set(['SUCCESS', 'FAILURE', 'REVOKED', 'REJECTED']);

/** Celery's `precedence(state)`: the state's index in PRECEDENCE, custom states in the null slot. */
export function precedence(state: string): number {
  const index = precedenceOrder.indexOf(state);
  return index === -1 ? unknownPrecedence : index;
}

/**
 * Whether `incoming` evidence may set the state of a task now in `current` ('replace'), or
 * logically happened before it and may only fill in details ('merge'). Celery's rule:
 * merge when neither state is RETRY and the incoming state has a higher precedence index
 * (less final). RETRY is exempt both ways because a retried task is received, started and
 * finished again under the same id. Equal precedence replaces (the newer report wins).
 */
export function mergeState(current: string, incoming: string): 'replace' | 'merge' {
  if (incoming !== 'RETRY' && current !== 'RETRY' && precedence(incoming) > precedence(current))
    return 'merge';
  return 'replace';
}

/**
 * The state an event moves a task to: Celery's TASK_EVENT_TO_STATE, and for any other task
 * event the upper-cased type, as Task.event does (`task-cancelled` → `CANCELLED`, custom).
 */
export function stateOfEvent(type: TaskEventType): string {
  switch (type) {
    case 'task-sent':
      return 'PENDING';
    case 'task-received':
      return 'RECEIVED';
    case 'task-started':
      return 'STARTED';
    case 'task-succeeded':
      return 'SUCCESS';
    case 'task-failed':
      return 'FAILURE';
    case 'task-retried':
      return 'RETRY';
    case 'task-revoked':
      return 'REVOKED';
    case 'task-rejected':
      return 'REJECTED';
    default:
      return type.replace(/^task-/, '').toUpperCase();
  }
}

// YYYY-MM-DD, optionally T or space and hh:mm[:ss[.fraction]], optionally Z or ±hh[:]mm.
const isoPattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Epoch seconds of a Celery ISO 8601 time, or null when it is not one. Celery 5.2 writes
 * `date_done` and some ETAs as NAIVE UTC (`2026-11-24T12:43:38.339038`, wire doc 5.1 and
 * 9.1); 5.4+ adds `+00:00`, and 5.5+ may use the app's zone offset (wire doc 10.2). So a time
 * without an offset is read as UTC, never as the local zone. Microseconds are kept.
 */
export function parseCeleryTime(iso: string): number | null {
  const m = isoPattern.exec(iso.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = ''] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return null;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 31 February over into March; a real date round-trips to its own day.
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return null;
  let seconds = ms / 1000 + (frac ? Number(`0.${frac}`) : 0);
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetHours = Number(digits.slice(0, 2));
    const offsetMinutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (offsetHours > 23 || offsetMinutes > 59) return null;
    // 12:00+01:00 is 11:00 UTC: subtract the offset.
    seconds -= sign * (offsetHours * 3600 + offsetMinutes * 60);
  }
  return Number.isFinite(seconds) ? seconds : null;
}
