/**
 * THE key binding table. One record per command drives the key router, the footer, the `?`
 * help overlay, read-only mode (write bindings vanish) and the key table of docs/keys.md; tests press
 * bindings by id. Keys are lists (aliases are first-class); a key is bound once per scope.
 * A binding that cannot act now returns a reason from `disabledReason`, which is flashed.
 */

import type { Binding } from './binding.js';
import { back, backReason, filterBy, needTask, open, worker } from './command-guards.js';
import { controlBindings } from './control-bindings.js';
import type { Scope } from './current-view.js';
import { modalBindings } from './modal-bindings.js';
import { replayBindings } from './replay-bindings.js';
import { type PanelId, panelIds, panelTitles } from './ui-state.js';

export type { Binding } from './binding.js';

const panelBindings: Binding[] = panelIds.map((panel: PanelId, i) => ({
  id: `panel.${panel}`,
  keys: [String(i + 1)],
  scopes: ['global'],
  label: panelTitles[panel].toLowerCase(),
  help: `Show the ${panelTitles[panel]} panel.`,
  run: (ctx) => ctx.dispatch({ type: 'panel/shown', panel }),
}));

/** Keys that work everywhere. */
const globalBindings: Binding[] = [
  {
    id: 'app.quit',
    keys: ['q'],
    scopes: ['global'],
    label: 'quit',
    footer: true,
    help: 'Leave qtop; the terminal is restored.',
    run: (ctx) => ctx.quit(),
  },
  {
    id: 'app.interrupt',
    keys: ['ctrl+c'],
    scopes: ['always'],
    label: 'quit',
    help: 'Leave qtop from anywhere, even from a dialog or the prompt.',
    run: (ctx) => ctx.quit(),
  },
  {
    id: 'app.help',
    keys: ['?'],
    scopes: ['global'],
    label: 'help',
    footer: true,
    help: 'Show every key for this view.',
    run: (ctx) => ctx.dispatch({ type: 'modal/opened', modal: { kind: 'help', scroll: 0 } }),
  },
  {
    id: 'app.prompt',
    keys: [':'],
    scopes: ['global'],
    label: 'command',
    help: 'Command prompt: :queues :workers :tasks [filter] :task ID :runtimes :failures :log :help :ctx [profile] :q.',
    run: (ctx) => ctx.dispatch({ type: 'modal/opened', modal: { kind: 'prompt', draft: '' } }),
  },
  {
    id: 'app.pause',
    keys: ['p'],
    scopes: ['global'],
    label: 'pause',
    footer: true,
    help: 'Freeze the view (data keeps arriving behind it); press again to resume.',
    run: (ctx) => ctx.frames.setPaused(!ctx.paused),
  },
  {
    id: 'app.back',
    keys: ['escape'],
    scopes: ['global'],
    label: 'back',
    footer: true,
    help: 'Close the detail view, cancel or clear a queue search, or clear the task filter.',
    disabledReason: backReason,
    run: back,
  },
  {
    id: 'panel.next',
    keys: ['tab'],
    scopes: ['global'],
    label: 'next panel',
    help: 'Show the next panel.',
    run: (ctx) => ctx.dispatch({ type: 'panel/cycled', step: 1 }),
  },
  {
    id: 'panel.previous',
    keys: ['shift+tab'],
    scopes: ['global'],
    label: 'previous panel',
    help: 'Show the previous panel.',
    run: (ctx) => ctx.dispatch({ type: 'panel/cycled', step: -1 }),
  },
  ...panelBindings,
];

/** Any list or detail view. */
const listBindings: Binding[] = [
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
    help: "Open the selected row (detail view), follow the link on a detail line, or show a hint's evidence.",
    disabledReason: (ctx) => {
      if (ctx.current.view.kind !== 'panel') return ctx.current.link ? null : 'nothing to open on this line';
      if (!ctx.current.target) return 'nothing selected';
      return ctx.current.target.kind === 'log' ? 'the log has no detail view' : null;
    },
    run: (ctx) => open(ctx, ctx.current.target),
  },
];

/** Keys of one view that only read. */
const viewBindings: Binding[] = [
  {
    id: 'queues.priorities',
    keys: ['b'],
    scopes: ['queues'],
    label: 'by priority',
    footer: true,
    help: 'Show or hide ready messages per priority step.',
    run: (ctx) => ctx.dispatch({ type: 'priorities/toggled' }),
  },
  {
    id: 'queue.search',
    keys: ['/'],
    scopes: ['queue'],
    label: 'search',
    footer: true,
    help: 'Search all waiting messages of the queue by task name, id, args or kwargs (a bounded, read-only scan).',
    run: (ctx) =>
      ctx.current.view.kind === 'queue' && ctx.ask({ action: 'queue-search', queue: ctx.current.view.name }),
  },
  {
    id: 'worker.ping',
    keys: ['P'],
    scopes: ['workers', 'worker'],
    label: 'ping',
    footer: true,
    help: 'Ping the worker and show its reply.',
    disabledReason: (ctx) => (worker(ctx) ? null : 'no worker selected'),
    run: (ctx) => ctx.request({ command: 'ping', destination: [worker(ctx)!.hostname] }),
  },
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
];

/** Every binding qtop has, grouped by scope; the one table every key reader uses. */
export const keymap: Binding[] = [
  ...globalBindings,
  ...listBindings,
  ...viewBindings,
  ...controlBindings,
  ...replayBindings,
  ...modalBindings,
];

/** Bindings by id (tests press by id). */
export const bindingById: ReadonlyMap<string, Binding> = new Map(keymap.map((b) => [b.id, b]));

/**
 * The scopes that are live for a view scope and an open modal, most specific first; `replaying`
 * adds the replay keys (no view binds them, so their place only orders the footer).
 */
export function activeScopes(viewScope: Scope, modal: Scope | null, replaying = false): Scope[] {
  if (modal !== null) return [modal, 'always'];
  return replaying
    ? [viewScope, 'replay', 'list', 'global', 'always']
    : [viewScope, 'list', 'global', 'always'];
}

/** The binding a key triggers in these scopes (the first scope that binds it wins). */
export function resolveKey(key: string, scopes: Scope[]): Binding | null {
  for (const scope of scopes) {
    const found = keymap.find((b) => b.scopes.includes(scope) && b.keys.includes(key));
    if (found) return found;
  }
  return null;
}

/** Bindings an operator can use in these scopes: without write bindings when `canWrite` is false. */
export function visibleBindings(scopes: Scope[], canWrite: boolean): Binding[] {
  return keymap.filter((b) => b.scopes.some((s) => scopes.includes(s)) && (canWrite || !b.write));
}
