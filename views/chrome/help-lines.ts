/**
 * The `?` overlay's text, generated from the keymap for the view it was opened over: that
 * view's keys, list keys, keys that work everywhere, then the filter and prompt syntax. Control
 * keys are left out (with the reason) when qtop may not write.
 */

import { promptCommandLines } from '../keys/context/prompt-commands.js';
import { displayKey } from '../keys/key-names.js';
import { activeScopes, visibleBindings } from '../keys/keymap.js';
import type { Line } from '../present/detail-lines.js';
import { wordWrap } from '../present/text-width.js';
import type { Scope } from '../state/current-view.js';

const sectionTitles: Partial<Record<Scope, string>> = {
  list: 'Lists and detail views',
  replay: 'Replay (a recording, not the live cluster)',
  global: 'Everywhere',
  always: 'Always',
};

/** Help lines for `viewScope`; `replaying` adds the replay keys. */
export function helpLines(
  viewScope: Scope,
  canWrite: boolean,
  readOnlyReason: string | null,
  ascii: boolean,
  width = 80,
  replaying = false,
): Line[] {
  const lines: Line[] = [{ text: 'qtop keys (Esc or ? closes, arrows scroll)', heading: true }];
  if (!canWrite)
    lines.push({ text: `Control keys are hidden: ${readOnlyReason ?? 'read-only'}`, tone: 'warn' });
  const seen = new Set<string>();
  for (const scope of activeScopes(viewScope, null, replaying)) {
    const bindings = visibleBindings([scope], canWrite).filter((b) => !seen.has(b.id));
    if (bindings.length === 0) continue;
    lines.push({ text: '' }, { text: sectionTitles[scope] ?? `This view (${scope})`, heading: true });
    for (const b of bindings) {
      seen.add(b.id);
      const keys = b.keys.map((k) => displayKey(k, ascii)).join(' ');
      const mark = b.danger ? ' (asks to confirm)' : '';
      const tone = b.write ? 'warn' : 'plain';
      // The help is wrapped, not cut: it is where an operator learns what a key really does.
      wordWrap(`${b.help}${mark}`, Math.max(20, width - 17)).forEach((text, n) => {
        lines.push({ text: `  ${(n === 0 ? keys : '').padEnd(12)} ${text}`, tone });
      });
    }
  }
  if (!canWrite) {
    lines.push(
      { text: '' },
      { text: `Control keys are hidden: ${readOnlyReason ?? 'read-only'}`, tone: 'warn' },
    );
  }
  lines.push({ text: '' }, { text: 'Task filter (/)', heading: true });
  lines.push({ text: '  free text matches id, name, args, kwargs, result and exception;' });
  lines.push({ text: '  state:FAILURE,RETRY  name:app.add  worker:w1@host  queue:celery  (s: n: w: q:)' });
  lines.push({ text: '' }, { text: 'Command prompt (:)', heading: true });
  for (const text of promptCommandLines(width - 2)) lines.push({ text: `  ${text}` });
  return lines;
}
