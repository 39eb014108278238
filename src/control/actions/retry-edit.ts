/**
 * Edit and retry: publish a failed task's call again under a new id, with the operator's args and
 * kwargs, to the same queue with the same routing and options as a plain retry (the old task links
 * to the new). The screen opens the call in $VISUAL/$EDITOR, or in the value prompt as one line when
 * neither is set; the confirmation shows the diff. `qtop retry ID --args '[…]' --kwargs '{…}'`.
 */
import { stringifyExact } from '../../celery/json-exact.js';
import type { Json, JsonObject } from '../../celery/types.js';
import { defineAction } from '../action.js';
import {
  type CallOverride,
  callLine,
  callText,
  type EditableCall,
  lineDiff,
  parseCallText,
  sameCall,
} from '../call-edit.js';
import { selected } from '../selection.js';
import { s } from './text.js';

/** What the edit starts from: the task, and (once read through the controls) its call. */
export interface EditSeed {
  taskId: string;
  name: string | null;
  original: EditableCall | null;
}

export interface EditRetryParams {
  taskId: string;
  name: string | null;
  /** The call as recovered, for the diff; null on the CLI, which does not read it first. */
  original: { args: Json[]; kwargs: JsonObject } | null;
  call: CallOverride;
  queue: string | null;
}

function callLines(p: EditRetryParams): string[] {
  if (p.original) {
    const after = { args: p.call.args ?? p.original.args, kwargs: p.call.kwargs ?? p.original.kwargs };
    return lineDiff(callText(p.original), callText(after)).map((line) => s(line));
  }
  const lines: string[] = [];
  if (p.call.args) lines.push(`args: ${s(stringifyExact(p.call.args))}`);
  if (p.call.kwargs) lines.push(`kwargs: ${s(stringifyExact(p.call.kwargs))}`);
  return lines;
}

/** The edited text as params, or why it cannot be retried (not JSON, wrong shape, unchanged). */
function parseEdited(seed: EditSeed, text: string): EditRetryParams | { error: string } {
  const parsed = parseCallText(text);
  if (!parsed.ok) return { error: parsed.error };
  if (seed.original && sameCall(seed.original, parsed.value))
    return { error: 'the call is unchanged: R retries it as it was' };
  return {
    taskId: seed.taskId,
    name: seed.name,
    original: seed.original ? { args: seed.original.args, kwargs: seed.original.kwargs } : null,
    call: parsed.value,
    queue: seed.original?.queue ?? null,
  };
}

export const editRetry = defineAction<EditRetryParams, EditSeed>({
  id: 'task.edit-retry',
  target: 'task',
  log: 'retry edited',
  cli: "retry <task-id> --args '[…]' --kwargs '{…}'",
  writes: true,
  confirm: 'dialog',
  label: 'edit & retry',
  help: "Edit the task's call (args and kwargs as JSON) in $VISUAL/$EDITOR, or inline when neither is set; see the diff; publish it under a new id to the same queue.",
  describe: (p) => `task ${p.taskId}`,
  dialog: (p) => ({
    title: 'Retry with an edited call',
    lines: [
      `Publish ${s(p.name)} again under a new id${p.queue ? ` to queue ${s(p.queue)}` : ''}, same routing and options; the old task links to the new.`,
      'The call, changed:',
      ...callLines(p),
    ],
    confirmLabel: 'Retry edited',
    typeToConfirm: null,
    choices: null,
  }),
  run: (controls, p) => controls.retry([p.taskId], { call: p.call }),
  guard: (sel) => {
    const t = selected(sel, 'task');
    if (!t) return 'no task selected';
    return t.state === 'FAILURE' || t.state === 'REVOKED'
      ? null
      : `task is ${t.state ?? '?'}: edit and retry is for failed (or revoked) tasks`;
  },
  start: (sel) => {
    const t = selected(sel, 'task')!;
    return { seed: { taskId: t.id, name: t.name, original: null } };
  },
  prompt: {
    label: 'call',
    title: (seed) => `Edit and retry ${s(seed.name)} (${s(seed.taskId)})`,
    lines: () => [
      'No $VISUAL or $EDITOR: edit the call on this line, {"args": [...], "kwargs": {...}} as JSON.',
      'Enter shows the diff to confirm; nothing is sent before that. Esc cancels.',
    ],
    initial: (seed) => (seed.original ? callLine(seed.original) : ''),
    parse: parseEdited,
  },
});

/** The editor's text back as params (the screen's $EDITOR path); same checks as the inline prompt. */
export const parseEditedCall = parseEdited;
