/**
 * The screen's own state (which panel, what is selected, filter, sort, dialogs, toasts, the
 * command log) as a pure reducer over typed `domain/past-tense` actions. No functions live in
 * state, a no-op returns the same object, and selection is kept by row key (a task id, a queue
 * name) so a live list that reorders every second never takes the operator's row away.
 */

import type { ActionRequest } from '../../src/control/action.js';
import type { CommandLogEntry } from '../../src/control/controls.js';
import type { QueueSearchState } from '../../src/session/queue-search-api.js';
import type { TaskSort } from '../../src/store/select-tasks.js';
import type { BulkFlow } from './bulk-flow.js';
import { reduceSearch, type SearchAction } from './queue-search-state.js';
import { editField, type FieldEdit, type InputState } from './value-input.js';

/** The top-level panels, in number-key order (the overview is key 0, the others 1..8). */
export const panelIds = [
  'overview',
  'queues',
  'workers',
  'tasks',
  'runtimes',
  'failures',
  'log',
  'hints',
  'beat',
] as const;
/** A top-level panel. */
export type PanelId = (typeof panelIds)[number];

/** Panel names as shown in the tab bar and help. */
export const panelTitles: Record<PanelId, string> = {
  overview: 'Overview',
  queues: 'Queues',
  workers: 'Workers',
  tasks: 'Tasks',
  runtimes: 'Runtimes',
  failures: 'Failures',
  log: 'Log',
  hints: 'Hints',
  beat: 'Beat',
};

/** A detail view opened over a panel; Esc goes back through them. */
export type DetailView =
  | { kind: 'task'; id: string }
  | { kind: 'worker'; hostname: string }
  | { kind: 'queue'; name: string }
  /** A task's workflow tree; `collapsed` holds the node ids whose subtrees are hidden. */
  | { kind: 'family'; id: string; collapsed: string[] };

/** The row a list has selected, by key, with the index as a fallback when the key is gone. */
export interface Selection {
  key: string | null;
  index: number;
}

/** A confirmation: exactly what will happen, Cancel focused, a typed name for mass actions. */
export interface ConfirmState {
  request: ActionRequest;
  title: string;
  lines: string[];
  confirmLabel: string;
  /** The name the operator must type before the action runs; null when not needed. */
  typeToConfirm: string | null;
  typed: string;
  focus: 'cancel' | 'confirm';
  /** Options to pick from (signals, workers, queues), as shown; null when none. */
  choices: string[] | null;
  choice: number;
}

/** What takes every key while open: help, the filter line, the prompt, a value, a confirmation. */
export type Modal =
  | { kind: 'help'; scroll: number }
  /** The filter applies live as it is typed; Esc puts `previous` back. */
  | { kind: 'filter'; draft: string; previous: string }
  | { kind: 'prompt'; draft: string }
  | { kind: 'input'; input: InputState }
  | { kind: 'confirm'; dialog: ConfirmState }
  /** `B` on a filtered Tasks panel: act on every matching task (views/state/bulk-flow.ts). */
  | { kind: 'bulk'; flow: BulkFlow };

/** A toast: an outcome, or why a key could not act. */
export interface Flash {
  text: string;
  level: 'info' | 'ok' | 'error';
  /** Clock ms when shown; it fades after `flashMs`. */
  at: number;
}

/** How long a toast stays. */
export const flashMs = 6_000;
/** Most command log entries kept. */
export const maxLogEntries = 500;

/** The order `s` cycles the task sorts in. */
export const taskSorts: TaskSort[] = ['updated', 'started', 'runtime', 'name', 'state'];

/** The screen's own state; see the module comment. */
export interface UiState {
  panel: PanelId;
  details: DetailView[];
  selection: Record<string, Selection>;
  taskFilter: string;
  taskSort: TaskSort;
  taskReverse: boolean;
  byPriority: boolean;
  modal: Modal | null;
  flash: Flash | null;
  /** Newest last. */
  log: CommandLogEntry[];
  /** The last in-queue search (shown in that queue's detail view), or null. */
  search: QueueSearchState | null;
  /** The Hints row (finding) whose evidence Enter opened, by key; null when none. */
  hintOpen: string | null;
}

/** Everything that changes the UI state, named `domain/past-tense`. */
export type UiAction =
  | { type: 'panel/shown'; panel: PanelId }
  | { type: 'panel/cycled'; step: 1 | -1 }
  | { type: 'detail/opened'; view: DetailView }
  | { type: 'detail/closed' }
  | { type: 'selection/moved'; list: string; selection: Selection }
  | { type: 'modal/opened'; modal: Modal }
  | { type: 'modal/closed' }
  /** Typed text is appended in the reducer, so keys that arrive faster than renders are kept. */
  | { type: 'draft/typed'; text: string }
  | { type: 'draft/erased' }
  /** The value prompt's cursor moved, or the character under it was deleted. */
  | { type: 'input/edited'; edit: FieldEdit }
  /** The value prompt's Enter was not accepted: why, shown under the field. */
  | { type: 'input/rejected'; error: string }
  | { type: 'help/scrolled'; scroll: number }
  | { type: 'confirm/changed'; patch: Partial<Pick<ConfirmState, 'focus' | 'choice'>> }
  | { type: 'confirm/typed'; text: string }
  | { type: 'confirm/erased' }
  /** The bulk dialog's next step; ignored once the dialog was closed (a late search or run report). */
  | { type: 'bulk/changed'; flow: BulkFlow }
  | { type: 'filter/applied'; text: string }
  | { type: 'filter/cancelled' }
  | { type: 'sort/cycled' }
  | { type: 'sort/reversed' }
  | { type: 'priorities/toggled' }
  | { type: 'flash/shown'; flash: Flash }
  | { type: 'log/appended'; entry: CommandLogEntry }
  /** Enter on a Hints row: show or hide its evidence. */
  | { type: 'hint/toggled'; key: string }
  /** Space in a family tree: hide or show the subtree under a node. */
  | { type: 'family/toggled'; node: string }
  | SearchAction;

/** The state a run starts in: the Overview panel, nothing open. */
export const initialUi: UiState = {
  panel: 'overview',
  details: [],
  selection: {},
  taskFilter: '',
  taskSort: 'updated',
  taskReverse: false,
  byPriority: false,
  modal: null,
  flash: null,
  log: [],
  search: null,
  hintOpen: null,
};

/** Append typed text, or erase the last character (a whole code point). */
function edit(text: string, action: { type: string; text?: string }): string {
  return action.text !== undefined ? text + action.text : [...text].slice(0, -1).join('');
}

function sameDetail(a: DetailView | undefined, b: DetailView): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

/** The next UI state; the same object when nothing changes. */
export function uiReducer(state: UiState, action: UiAction): UiState {
  switch (action.type) {
    case 'panel/shown':
      return state.panel === action.panel && state.details.length === 0
        ? state
        : { ...state, panel: action.panel, details: [] };
    case 'panel/cycled': {
      const at = panelIds.indexOf(state.panel);
      const next = panelIds[(at + action.step + panelIds.length) % panelIds.length]!;
      return { ...state, panel: next, details: [] };
    }
    case 'detail/opened':
      return sameDetail(state.details.at(-1), action.view)
        ? state
        : { ...state, details: [...state.details, action.view].slice(-20) };
    case 'detail/closed':
      return state.details.length === 0 ? state : { ...state, details: state.details.slice(0, -1) };
    case 'selection/moved': {
      const old = state.selection[action.list];
      if (old && old.key === action.selection.key && old.index === action.selection.index) return state;
      return { ...state, selection: { ...state.selection, [action.list]: action.selection } };
    }
    case 'modal/opened':
      return { ...state, modal: action.modal };
    case 'modal/closed':
      return state.modal === null ? state : { ...state, modal: null };
    case 'draft/typed':
    case 'draft/erased': {
      if (state.modal?.kind === 'input') {
        const fieldEdit: FieldEdit =
          action.type === 'draft/typed' ? { kind: 'type', text: action.text } : { kind: 'erase' };
        const input = editField(state.modal.input, fieldEdit);
        return input === state.modal.input ? state : { ...state, modal: { kind: 'input', input } };
      }
      if (state.modal?.kind !== 'filter' && state.modal?.kind !== 'prompt') return state;
      const draft = edit(state.modal.draft, action);
      if (draft === state.modal.draft) return state;
      if (state.modal.kind === 'prompt') return { ...state, modal: { ...state.modal, draft } };
      return { ...state, taskFilter: draft, modal: { ...state.modal, draft } };
    }
    case 'input/edited': {
      if (state.modal?.kind !== 'input') return state;
      const input = editField(state.modal.input, action.edit);
      return input === state.modal.input ? state : { ...state, modal: { kind: 'input', input } };
    }
    case 'input/rejected':
      if (state.modal?.kind !== 'input') return state;
      return { ...state, modal: { kind: 'input', input: { ...state.modal.input, error: action.error } } };
    case 'help/scrolled':
      if (state.modal?.kind !== 'help') return state;
      return { ...state, modal: { kind: 'help', scroll: Math.max(0, action.scroll) } };
    case 'confirm/changed':
      if (state.modal?.kind !== 'confirm') return state;
      return { ...state, modal: { kind: 'confirm', dialog: { ...state.modal.dialog, ...action.patch } } };
    case 'bulk/changed':
      return state.modal?.kind === 'bulk' ? { ...state, modal: { kind: 'bulk', flow: action.flow } } : state;
    case 'confirm/typed':
    case 'confirm/erased': {
      if (state.modal?.kind === 'bulk') {
        const flow = state.modal.flow;
        if (flow.step !== 'confirm') return state;
        return { ...state, modal: { kind: 'bulk', flow: { ...flow, typed: edit(flow.typed, action) } } };
      }
      if (state.modal?.kind !== 'confirm' || state.modal.dialog.typeToConfirm === null) return state;
      const typed = edit(state.modal.dialog.typed, action);
      return { ...state, modal: { kind: 'confirm', dialog: { ...state.modal.dialog, typed } } };
    }
    case 'filter/applied':
      return { ...state, taskFilter: action.text.trim(), panel: 'tasks', details: [], modal: null };
    case 'filter/cancelled':
      if (state.modal?.kind !== 'filter') return state;
      return { ...state, taskFilter: state.modal.previous, modal: null };
    case 'sort/cycled': {
      const next = taskSorts[(taskSorts.indexOf(state.taskSort) + 1) % taskSorts.length]!;
      return { ...state, taskSort: next, taskReverse: false };
    }
    case 'sort/reversed':
      return { ...state, taskReverse: !state.taskReverse };
    case 'priorities/toggled':
      return { ...state, byPriority: !state.byPriority };
    case 'flash/shown':
      return { ...state, flash: action.flash };
    case 'log/appended':
      return { ...state, log: [...state.log, action.entry].slice(-maxLogEntries) };
    case 'search/started': {
      // The results are drawn at the top of the queue's detail: put the cursor there.
      const selection = { ...state.selection, [`queue:${action.queue}`]: { key: null, index: 0 } };
      return { ...state, selection, search: reduceSearch(state.search, action) };
    }
    case 'hint/toggled':
      return { ...state, hintOpen: state.hintOpen === action.key ? null : action.key };
    case 'family/toggled': {
      const top = state.details.at(-1);
      if (top?.kind !== 'family') return state;
      const collapsed = top.collapsed.includes(action.node)
        ? top.collapsed.filter((n) => n !== action.node)
        : [...top.collapsed, action.node];
      return { ...state, details: [...state.details.slice(0, -1), { ...top, collapsed }] };
    }
    case 'search/progressed':
    case 'search/ended':
    case 'search/cleared': {
      const search = reduceSearch(state.search, action);
      return search === state.search ? state : { ...state, search };
    }
    default: {
      const unreachable: never = action;
      return unreachable;
    }
  }
}

/** The view on top: the last detail opened, or the panel. */
export function topView(state: UiState): DetailView | { kind: 'panel'; panel: PanelId } {
  return state.details.at(-1) ?? { kind: 'panel', panel: state.panel };
}

/** The selection list id of a view: the panel name, or `task:{id}` for a detail's lines. */
export function listIdOf(view: ReturnType<typeof topView>): string {
  switch (view.kind) {
    case 'panel':
      return view.panel;
    case 'task':
      return `task:${view.id}`;
    case 'worker':
      return `worker:${view.hostname}`;
    case 'queue':
      return `queue:${view.name}`;
    case 'family':
      return `family:${view.id}`;
  }
}
