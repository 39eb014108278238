/**
 * Revoke by stamp (Celery >= 5.3 `revoke_by_stamped_headers`): one stamp of the selected task, or
 * the CLI's `--stamped KEY=VALUE`, and every task carrying it is discarded by the workers, also
 * the ones not sent yet.
 */
import { stampText } from '../../celery/stamps.js';
import type { Json, JsonObject } from '../../celery/types.js';
import { defineAction } from '../action.js';
import type { Signal } from '../controls.js';
import { selected } from '../selection.js';
import { plain, s } from './text.js';

export interface Stamp {
  key: string;
  value: Json;
}

export interface StampRevoke {
  /** What is sent: the picked stamp on the screen, every `--stamped` on the CLI. */
  stamps: Stamp[];
  /** The stamps the dialog offers (the task's), one per list item; the CLI's are `stamps`. */
  offered: Stamp[];
  /** The task the stamps were read from (screen), for the log and the dialog. */
  taskId: string | null;
  terminate?: boolean;
  signal?: Signal;
}

/** Most stamps the dialog lists: a picker, not a report. */
const maxOffered = 12;

/** A task's stamps as pickable pairs: a list stamp (a canvas stamped twice) gives one per item. */
export function stampChoices(stamps: JsonObject | null | undefined): Stamp[] {
  const out: Stamp[] = [];
  for (const [key, value] of Object.entries(stamps ?? {})) {
    if (value === null) continue; // named in stamped_headers but absent: nothing to match
    for (const item of Array.isArray(value) ? value : [value]) out.push({ key, value: item });
  }
  return out.slice(0, maxOffered);
}

/** `key=value`, sanitized for the screen. */
export const stampLabel = (st: Stamp) => `${s(st.key)}=${s(stampText(st.value))}`;

export const revokeStamped = defineAction<StampRevoke>({
  id: 'task.revoke-stamped',
  target: 'task',
  log: 'revoke --stamped',
  cli: 'revoke --stamped <key=value>',
  writes: true,
  confirm: 'dialog',
  label: 'revoke by stamp',
  help:
    'Revoke every task carrying one of the task’s stamps (Celery >= 5.3): you pick the stamp; ' +
    'workers discard such tasks, also ones not sent yet, until they restart.',
  describe: (r) => `stamp ${r.stamps.map((st) => `${st.key}=${stampText(st.value)}`).join(', ')}`,
  dialog: (r) => ({
    ...plain('Revoke by stamp', 'Revoke', [
      r.taskId ? `Stamps of task ${s(r.taskId)}. Pick one with up/down:` : 'Revoke by these stamps:',
      'every worker discards each task carrying it, queued, prefetched or not sent yet,',
      'until it restarts (workers started later run them). Needs Celery >= 5.3 workers;',
      'older ones answer that they do not know the command, and qtop says so.',
    ]),
    choices: r.offered.map(stampLabel),
  }),
  choose: (r, choice) => {
    const picked = r.offered[choice];
    return picked ? { ...r, stamps: [picked] } : r;
  },
  run: (controls, r) =>
    controls.revokeStamped(
      r.stamps,
      r.terminate ? { terminate: true, signal: r.signal ?? 'TERM' } : undefined,
    ),
  guard: (sel) => {
    const t = selected(sel, 'task');
    if (!t) return 'no task selected';
    return stampChoices(t.stamps).length > 0
      ? null
      : 'this task carries no stamps (Celery >= 5.3 canvas stamping)';
  },
  start: (sel) => {
    const t = selected(sel, 'task')!;
    const offered = stampChoices(t.stamps);
    return { params: { stamps: offered.slice(0, 1), offered, taskId: t.id } };
  },
});
