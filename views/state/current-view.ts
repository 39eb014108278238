/**
 * What the operator is looking at and pointing to: the view on top, its key scope, the list of
 * row keys the cursor moves over, the selected row's subject (the target of an action) and,
 * in a detail view, the link on the selected line. Pure over the frame memo and UI state, so
 * the key router and the panels agree on "the selected task" without sharing React state.
 */
import type { Target } from '../../src/control/selection.js';
import type { Line, Link } from '../present/detail-lines.js';
import { findingKey, queueHintKey } from '../present/hint-lines.js';
import { type Jump, overviewKey } from '../present/overview-lines.js';
import { searchLines } from '../present/queue-search-lines.js';
import { failureKey } from '../present/task-rows.js';
import { listIdOf, type PanelId, type Selection, topView, type UiState } from './ui-state.js';
import {
  beatOf,
  type DetailOptions,
  failuresOf,
  familyLinesOf,
  hintsOf,
  overviewLinesOf,
  queueLinesOf,
  queuesOf,
  taskLinesOf,
  taskNamesOf,
  taskOf,
  tasksOf,
  workerLinesOf,
  workerOf,
  workersOf,
} from './view-data.js';
import type { ViewFrames } from './view-frame.js';

/** Where a key binding applies. Modal scopes take every key while their modal is open. */
export type Scope =
  | 'always'
  | 'global'
  | 'list'
  /** Live only while the screen plays a recording (`qtop replay`). */
  | 'replay'
  | PanelId
  | 'task'
  /** A task's workflow tree. */
  | 'family'
  | 'worker'
  | 'queue'
  | 'help'
  | 'filter'
  | 'prompt'
  | 'input'
  | 'confirm'
  | 'bulk';

/** The view on top and what it points to; see the module comment. */
export interface CurrentView {
  view: ReturnType<typeof topView>;
  scope: Scope;
  listId: string;
  /** Row keys in display order (line numbers in a detail view). */
  keys: string[];
  /** Selected index, -1 when the list is empty. */
  index: number;
  target: Target | null;
  /** Detail views: the selected line's link. */
  link: Link | null;
  /** Detail views: lines to draw, null when the subject is not held. */
  lines: Line[] | null;
  /** The overview: where Enter on the selected line goes. */
  jump?: Jump;
}

/** The selected index for `keys`: by key when it is still there, else the old index clamped. */
export function resolveIndex(keys: string[], selection: Selection | undefined): number {
  if (keys.length === 0) return -1;
  if (selection?.key != null) {
    const at = keys.indexOf(selection.key);
    if (at >= 0) return at;
  }
  return Math.min(Math.max(0, selection?.index ?? 0), keys.length - 1);
}

function workerTarget(f: ViewFrames, hostname: string): Target | null {
  const w = workerOf(f, hostname);
  return w && { kind: 'worker', hostname, state: w.state, poolType: w.poolType };
}

/** A queue's lines, under the results of a search of that queue when there is one. */
function queueLines(f: ViewFrames, ui: UiState, name: string, options: DetailOptions): Line[] | null {
  const lines = queueLinesOf(f, name, options);
  if (!lines || ui.search?.queue !== name) return lines;
  return [...searchLines(ui.search, options.width, options.hideArgs), ...lines];
}

/** The current view for `ui` over the frame memo `f`, with detail lines laid out by `options`. */
export function currentView(f: ViewFrames, ui: UiState, options: DetailOptions): CurrentView {
  const view = topView(ui);
  const listId = listIdOf(view);
  const selection = ui.selection[listId];
  const base = { view, listId, link: null, lines: null, target: null };
  if (view.kind !== 'panel') {
    const lines =
      view.kind === 'task'
        ? taskLinesOf(f, view.id, options)
        : view.kind === 'family'
          ? familyLinesOf(f, view.id, view.collapsed, options)
          : view.kind === 'worker'
            ? workerLinesOf(f, view.hostname, options)
            : queueLines(f, ui, view.name, options);
    const keys = (lines ?? []).map((_, i) => String(i));
    const index = resolveIndex(keys, selection);
    let target: Target | null = null;
    if (view.kind === 'task' || view.kind === 'family') {
      const t = taskOf(f, view.id);
      target = t && { kind: 'task', id: t.id, name: t.name, state: t.state, row: null, stamps: t.stamps };
    } else if (view.kind === 'worker') target = workerTarget(f, view.hostname);
    else {
      const q = queuesOf(f).find((row) => row.name === view.name);
      target = q ? { kind: 'queue', name: q.name, ready: q.total } : null;
    }
    return { ...base, scope: view.kind, keys, index, target, lines, link: lines?.[index]?.link ?? null };
  }
  const scope: Scope = view.panel;
  const list = <T>(rows: T[], key: (row: T) => string, toTarget: (row: T) => Target | null) => {
    const keys = rows.map(key);
    const index = resolveIndex(keys, selection);
    const row = rows[index];
    return { ...base, scope, keys, index, target: row === undefined ? null : toTarget(row) };
  };
  switch (view.panel) {
    case 'overview': {
      // The cursor stops at the lines that lead somewhere; `lines` keeps them all for drawing.
      const lines = overviewLinesOf(f, options);
      const stops = lines.flatMap((line) => (line.jump ? [line.jump] : []));
      const keys = stops.map(overviewKey);
      const index = resolveIndex(keys, selection);
      const jump = stops[index];
      return { ...base, scope, keys, index, lines, ...(jump ? { jump } : {}) };
    }
    case 'queues':
      return list(
        queuesOf(f),
        (q) => q.name,
        (q) => ({ kind: 'queue', name: q.name, ready: q.total }),
      );
    case 'workers':
      return list(
        workersOf(f),
        (w) => w.hostname,
        (w) => workerTarget(f, w.hostname),
      );
    case 'tasks':
      return list(
        tasksOf(f, ui).rows,
        (t) => t.id,
        (t) => ({ kind: 'task', id: t.id, name: t.name, state: t.state, row: t, stamps: t.stamps }),
      );
    case 'runtimes':
      return list(
        taskNamesOf(f),
        (r) => r.name,
        (r) => ({ kind: 'task-name', name: r.name }),
      );
    case 'failures':
      return list(failuresOf(f), failureKey, (group) => ({ kind: 'failure', group }));
    case 'log': {
      const entries = ui.log.map((entry, i) => ({ entry, i })).reverse();
      return list(
        entries,
        ({ i }) => String(i),
        ({ entry }) => ({ kind: 'log', entry }),
      );
    }
    case 'beat':
      return list(
        beatOf(f).entries,
        (e) => `${e.source}:${e.name}`,
        (entry) => ({ kind: 'beat-entry', entry }),
      );
    case 'hints': {
      const report = hintsOf(f);
      const rows: Target[] = [
        ...report.queues.map((hint): Target => ({ kind: 'queue-hint', hint })),
        ...report.findings.map((finding): Target => ({ kind: 'finding', finding })),
      ];
      return list(
        rows,
        (t) =>
          t.kind === 'queue-hint' ? queueHintKey(t.hint) : t.kind === 'finding' ? findingKey(t.finding) : '',
        (t) => t,
      );
    }
  }
}
