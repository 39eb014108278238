/** Keys of the Tasks panel, a task's view, Runtimes and Failures: filter, sort, revoke, retry, limits. */

import { editRetry } from '../../../src/control/actions/retry-edit.js';
import { revokeStamped } from '../../../src/control/actions/stamps.js';
import {
  rateLimit,
  retry,
  retryFailed,
  revoke,
  terminate,
  timeLimit,
} from '../../../src/control/actions/tasks.js';
import { actionBinding, type Binding } from '../context/binding.js';
import { filterBy, needTask } from '../context/command-guards.js';
import { editAndRetry } from '../context/edit-retry.js';
import { bulkStart } from './bulk.js';
import { familyBindings } from './family.js';

export const taskBindings: Binding[] = [
  {
    id: 'tasks.filter',
    keys: ['/'],
    scopes: ['tasks'],
    label: 'filter',
    footer: true,
    help: 'Filter tasks by text (id, name, args, result, exception) and state: name: worker: queue: tokens.',
    run: (ctx) =>
      ctx.dispatch({
        type: 'modal/opened',
        modal: { kind: 'filter', draft: ctx.ui.taskFilter, previous: ctx.ui.taskFilter },
      }),
  },
  {
    id: 'tasks.sort',
    keys: ['s'],
    scopes: ['tasks'],
    label: 'sort',
    footer: true,
    help: 'Sort by: updated, started, runtime, name, state (the selected task stays selected).',
    run: (ctx) => ctx.dispatch({ type: 'sort/cycled' }),
  },
  {
    id: 'tasks.reverse',
    keys: ['S'],
    scopes: ['tasks'],
    label: 'reverse',
    help: 'Reverse the sort order.',
    run: (ctx) => ctx.dispatch({ type: 'sort/reversed' }),
  },
  {
    id: 'tasks.by-name',
    keys: ['n'],
    scopes: ['tasks'],
    label: 'same name',
    disabledReason: needTask,
    help: "Show only tasks with the selected task's name (again to undo).",
    run: filterBy('name'),
  },
  {
    id: 'tasks.by-state',
    keys: ['t'],
    scopes: ['tasks'],
    label: 'same state',
    disabledReason: needTask,
    help: "Show only tasks in the selected task's state (again to undo).",
    run: filterBy('state'),
  },
  {
    id: 'tasks.by-worker',
    keys: ['w'],
    scopes: ['tasks'],
    label: 'same worker',
    disabledReason: needTask,
    help: "Show only tasks on the selected task's worker (again to undo).",
    run: filterBy('worker'),
  },
  actionBinding(revoke, { keys: ['r'], scopes: ['tasks', 'task'], footer: true }),
  actionBinding(terminate, { keys: ['T'], scopes: ['tasks', 'task'] }),
  actionBinding(revokeStamped, { keys: ['V'], scopes: ['task'] }),
  actionBinding(retry, { keys: ['R'], scopes: ['tasks', 'task'], footer: true }),
  actionBinding(rateLimit, { keys: ['L'], scopes: ['tasks', 'task', 'runtimes'] }),
  actionBinding(timeLimit, { keys: ['O'], scopes: ['tasks', 'task', 'runtimes'] }),
  actionBinding(retryFailed, { keys: ['R'], scopes: ['failures'], footer: true }),
  bulkStart,
  {
    ...actionBinding(editRetry, { keys: ['M'], scopes: ['tasks', 'task'] }),
    run: (ctx) => void editAndRetry(ctx),
  },
  ...familyBindings,
];
