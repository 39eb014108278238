/** Keys of every list: move, page, jump, open the selected row. */
import type { Binding } from '../context/binding.js';
import { open } from '../context/command-guards.js';

export const listBindings: Binding[] = [
  {
    id: 'list.up',
    keys: ['up', 'k'],
    scopes: ['list'],
    label: 'up',
    help: 'Move up one row.',
    run: (ctx) => ctx.move(-1),
  },
  {
    id: 'list.down',
    keys: ['down', 'j'],
    scopes: ['list'],
    label: 'down',
    help: 'Move down one row.',
    run: (ctx) => ctx.move(1),
  },
  {
    id: 'list.page-up',
    keys: ['pageup', 'ctrl+u'],
    scopes: ['list'],
    label: 'page up',
    help: 'Move up one page.',
    run: (ctx) => ctx.move(-ctx.pageSize),
  },
  {
    id: 'list.page-down',
    keys: ['pagedown', 'ctrl+d'],
    scopes: ['list'],
    label: 'page down',
    help: 'Move down one page.',
    run: (ctx) => ctx.move(ctx.pageSize),
  },
  {
    id: 'list.top',
    keys: ['home', 'g'],
    scopes: ['list'],
    label: 'top',
    help: 'Go to the first row.',
    run: (ctx) => ctx.move(0, 0),
  },
  {
    id: 'list.bottom',
    keys: ['end', 'G'],
    scopes: ['list'],
    label: 'bottom',
    help: 'Go to the last row.',
    run: (ctx) => ctx.move(0, ctx.current.keys.length - 1),
  },
  {
    id: 'list.open',
    keys: ['return'],
    scopes: ['list'],
    label: 'open',
    footer: true,
    help: "Open the selected row (detail view), follow the link on a detail line, show a hint's evidence, or (overview) go to the line's item in its panel.",
    disabledReason: (ctx) => {
      if (ctx.current.view.kind !== 'panel') return ctx.current.link ? null : 'nothing to open on this line';
      if (ctx.current.jump) return null;
      if (!ctx.current.target) return 'nothing selected';
      return ctx.current.target.kind === 'log' ? 'the log has no detail view' : null;
    },
    run: (ctx) => open(ctx, ctx.current.target),
  },
];
