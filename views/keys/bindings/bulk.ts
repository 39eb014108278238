/**
 * `B` on a filtered Tasks panel and the keys of the dialog it opens ("act on all N matching tasks",
 * views/state/bulk-flow.ts): pick revoke, terminate or retry; the search runs; type the count and
 * move to the action; the run shows its progress; Esc cancels the search or stops the run.
 */
import { bulkTasks } from '../../../src/control/actions/bulk.js';
import { bulkChoices } from '../../state/bulk-flow.js';
import { actionBinding, type Binding } from '../context/binding.js';
import type { CommandContext } from '../context/command-context.js';

const flow = (ctx: CommandContext) => (ctx.ui.modal?.kind === 'bulk' ? ctx.ui.modal.flow : null);

/** `B`: the bulk record's key; the filter on screen is the query. */
export const bulkStart: Binding = {
  ...actionBinding(bulkTasks, { keys: ['B'], scopes: ['tasks'] }),
  help: 'Act on all tasks the filter matches, waiting ones included: revoke, terminate or retry (you type how many).',
  disabledReason: (ctx) =>
    ctx.ui.taskFilter.trim() === '' ? 'set a filter first (/): B acts on every task it matches' : null,
  run: (ctx) => ctx.bulk.open(ctx.ui.taskFilter.trim()),
};

export const bulkBindings: Binding[] = [
  {
    id: 'bulk.accept',
    keys: ['return'],
    scopes: ['bulk'],
    label: 'choose',
    footer: true,
    help: 'Search with the picked action; on the count, press the focused button (Cancel unless you moved).',
    disabledReason: (ctx) => {
      const f = flow(ctx);
      if (f?.step === 'scanning') return 'searching: Esc cancels';
      if (f?.step === 'running') return 'running: Esc stops after the batch in flight';
      if (f?.step !== 'confirm' || f.focus === 'cancel') return null;
      const n = String(f.plan.tasks.length);
      return f.typed === n ? null : `type '${n}' to confirm`;
    },
    run: (ctx) => {
      const f = flow(ctx);
      if (f?.step === 'choose') return ctx.bulk.search(f.query, bulkChoices[f.choice]!.verb);
      if (f?.step !== 'confirm') return;
      if (f.focus === 'cancel') {
        ctx.dispatch({ type: 'modal/closed' });
        return ctx.flash('cancelled: nothing was done');
      }
      ctx.bulk.run(f.plan);
    },
  },
  {
    id: 'bulk.cancel',
    keys: ['escape'],
    scopes: ['bulk'],
    label: 'cancel / stop',
    footer: true,
    help: 'Close without doing anything; while searching, cancel; while running, stop after the batch in flight.',
    run: (ctx) => {
      const stopped = ctx.bulk.stop();
      if (stopped === 'run') return ctx.flash('stopping after the batch in flight…');
      ctx.dispatch({ type: 'modal/closed' });
      ctx.flash(stopped === 'search' ? 'search cancelled: nothing was done' : 'cancelled: nothing was done');
    },
  },
  {
    id: 'bulk.focus',
    keys: ['tab', 'left', 'right', 'shift+tab'],
    scopes: ['bulk'],
    label: 'switch',
    footer: true,
    help: 'Move between Cancel and the action.',
    run: (ctx) => {
      const f = flow(ctx);
      if (f?.step === 'confirm')
        ctx.dispatch({
          type: 'bulk/changed',
          flow: { ...f, focus: f.focus === 'cancel' ? 'confirm' : 'cancel' },
        });
    },
  },
  {
    id: 'bulk.choice-up',
    keys: ['up'],
    scopes: ['bulk'],
    label: 'previous',
    help: 'Pick the previous action (revoke, terminate, retry).',
    run: (ctx) => {
      const f = flow(ctx);
      if (f?.step === 'choose')
        ctx.dispatch({ type: 'bulk/changed', flow: { ...f, choice: Math.max(0, f.choice - 1) } });
    },
  },
  {
    id: 'bulk.choice-down',
    keys: ['down'],
    scopes: ['bulk'],
    label: 'next',
    help: 'Pick the next action (revoke, terminate, retry).',
    run: (ctx) => {
      const f = flow(ctx);
      if (f?.step === 'choose')
        ctx.dispatch({
          type: 'bulk/changed',
          flow: { ...f, choice: Math.min(bulkChoices.length - 1, f.choice + 1) },
        });
    },
  },
  {
    id: 'bulk.erase',
    keys: ['backspace'],
    scopes: ['bulk'],
    label: 'erase',
    help: 'Delete the last typed digit of the count.',
    run: (ctx) => ctx.dispatch({ type: 'confirm/erased' }),
  },
];
