/**
 * The small predicates and actions the keymap's records share: what is selected, the guards
 * that turn "cannot run now" into a reason, and where Enter goes. Kept apart so keymap.ts
 * stays a table.
 */

import type { Target } from '../../../src/control/selection.js';
import { selected } from '../../../src/control/selection.js';
import type { Link } from '../../present/detail-lines.js';
import { findingKey, queueHintKey } from '../../present/hint-lines.js';
import { toggleToken } from '../../state/task-filter.js';
import type { CommandContext } from './command-context.js';

/** The selected task, or null. */
const task = (ctx: CommandContext) => selected(ctx.selection, 'task');

/** Guard: a task must be selected. */
export function needTask(ctx: CommandContext): string | null {
  return task(ctx) ? null : 'no task selected';
}

/** Where Enter on a row goes: a detail view, or (for a task name) the tasks of that name. */
function linkOf(target: Target): Link | null {
  switch (target.kind) {
    case 'task':
      return { kind: 'task', id: target.id };
    case 'worker':
      return { kind: 'worker', hostname: target.hostname };
    case 'queue':
      return { kind: 'queue', name: target.name };
    case 'failure':
      return { kind: 'task', id: target.group.exampleId };
    default:
      return null;
  }
}

/** Enter: follow the line's link, open the row's detail, or list a task name's tasks. */
export function open(ctx: CommandContext, target: Target | null): void {
  const jump = ctx.current.jump;
  if (jump) {
    // The overview: show the item's own row in its panel.
    ctx.dispatch({ type: 'panel/shown', panel: jump.panel });
    if (jump.key !== '')
      ctx.dispatch({ type: 'selection/moved', list: jump.panel, selection: { key: jump.key, index: 0 } });
    return;
  }
  const link = ctx.current.link ?? (target && ctx.current.view.kind === 'panel' ? linkOf(target) : null);
  if (link) ctx.openLink(link);
  else if (target?.kind === 'finding')
    ctx.dispatch({ type: 'hint/toggled', key: findingKey(target.finding) });
  else if (target?.kind === 'queue-hint')
    ctx.dispatch({ type: 'hint/toggled', key: queueHintKey(target.hint) });
  else if (target?.kind === 'task-name')
    ctx.dispatch({ type: 'filter/applied', text: `name:${target.name}` });
}

/** Whether the view on top is a queue whose search results are shown. */
function searchShown(ctx: CommandContext): boolean {
  return ctx.current.view.kind === 'queue' && ctx.ui.search?.queue === ctx.current.view.name;
}

/** Why Esc has nothing to do, or null. */
export function backReason(ctx: CommandContext): string | null {
  const { ui } = ctx;
  return ui.details.length > 0 || (ui.panel === 'tasks' && ui.taskFilter !== '')
    ? null
    : 'nothing to go back to (q quits)';
}

/**
 * Esc, one layer at a time: a running search of the queue on screen is cancelled, finished
 * results are cleared, then the detail view closes; on the Tasks panel the filter is cleared.
 */
export function back(ctx: CommandContext): void {
  if (!searchShown(ctx))
    ctx.dispatch(
      ctx.ui.details.length > 0 ? { type: 'detail/closed' } : { type: 'filter/applied', text: '' },
    );
  else if (ctx.ui.search?.status === 'running' && ctx.searches.cancel()) ctx.flash('search cancelled');
  else ctx.dispatch({ type: 'search/cleared' });
}

/** A handler toggling the `field:value` filter token of the selected task. */
export function filterBy(field: 'name' | 'state' | 'worker'): (ctx: CommandContext) => void {
  return (ctx) => {
    const row = task(ctx)?.row;
    if (row) ctx.dispatch({ type: 'filter/applied', text: toggleToken(ctx.ui.taskFilter, field, row) });
  };
}
