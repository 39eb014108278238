/** Keys of the workflow tree: `f` opens it from a task, Space folds a node. Read-only. */
import { selected } from '../../../src/control/selection.js';
import type { Binding } from '../context/binding.js';
import { needTask } from '../context/command-guards.js';

export const familyBindings: Binding[] = [
  {
    id: 'tasks.family',
    keys: ['f'],
    scopes: ['tasks', 'task'],
    label: 'workflow',
    footer: true,
    disabledReason: needTask,
    help: "Open the selected task's workflow (chain, group, chord) as a tree: every member with state, runtime and worker, the wall time and the critical path.",
    run: (ctx) => {
      const task = selected(ctx.selection, 'task');
      if (task) ctx.dispatch({ type: 'detail/opened', view: { kind: 'family', id: task.id, collapsed: [] } });
    },
  },
  {
    id: 'family.fold',
    keys: ['space'],
    scopes: ['family'],
    label: 'fold',
    footer: true,
    disabledReason: (ctx) => (ctx.current.lines?.[ctx.current.index]?.node ? null : 'no node on this line'),
    help: 'Fold or unfold the subtree under the selected node of the workflow tree.',
    run: (ctx) => {
      const node = ctx.current.lines?.[ctx.current.index]?.node;
      if (node) ctx.dispatch({ type: 'family/toggled', node });
    },
  },
];
