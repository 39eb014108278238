/**
 * The screen's edit-and-retry flow (src/control/actions/retry-edit.ts): read the task's call
 * through the injected controls, open it in the external editor when the run has one (the screen
 * steps aside while it runs) or in the value prompt as one line, check what comes back, and go on
 * to the confirmation with the diff. Nothing is sent before that confirmation.
 */
import { editRetry, parseEditedCall } from '../../../src/control/actions/retry-edit.js';
import { callText } from '../../../src/control/call-edit.js';
import { selected } from '../../../src/control/selection.js';
import { sanitize } from '../../../src/output/sanitize.js';
import type { CommandContext } from './command-context.js';

/** Start edit and retry on the selected task; see the module comment. Never rejects. */
export async function editAndRetry(ctx: CommandContext): Promise<void> {
  try {
    await edit(ctx);
  } catch (error) {
    // An editor that cannot start, a temp file that cannot be written: said, never a crash.
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    ctx.flash(`edit & retry: ${sanitize(message)}; nothing was sent`, 'error');
  }
}

async function edit(ctx: CommandContext): Promise<void> {
  const task = selected(ctx.selection, 'task');
  if (!task) return;
  ctx.flash(`reading the call of ${sanitize(task.id)}…`);
  const found = await ctx.controls.retryCall(task.id);
  if (!found.ok) return ctx.flash(`edit & retry: ${sanitize(found.summary)}`, 'error');
  const seed = { taskId: task.id, name: found.call.name, original: found.call };
  if (!ctx.editText) return ctx.ask({ action: 'control', id: editRetry.id, seed });
  const edited = await ctx.editText(callText(found.call));
  if (edited === null)
    return ctx.flash('edit & retry: the editor ended with an error; nothing was sent', 'error');
  const params = parseEditedCall(seed, edited);
  if ('error' in params)
    return ctx.flash(`edit & retry: ${sanitize(params.error)}; nothing was sent`, 'error');
  ctx.request({ id: editRetry.id, params });
}
