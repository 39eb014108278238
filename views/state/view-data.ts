/**
 * What each view reads from the store, through the frame memo: one selector call per view per
 * frame, shared by the panel that draws it and the key router that acts on it, and frozen
 * with the frame while paused. Keys name everything a result depends on.
 */
import { selectHints } from '../../src/hints/select/select-hints.js';
import { selectBeat } from '../../src/store/select-beat.js';
import { selectFailureGroups } from '../../src/store/select-failures.js';
import {
  type EventsStatus,
  selectEventsStatus,
  selectSources,
  selectTotals,
} from '../../src/store/select-meta.js';
import { selectQueue, selectQueues } from '../../src/store/select-queues.js';
import { selectRecentFailures } from '../../src/store/select-recent-failures.js';
import { selectTaskFamily } from '../../src/store/select-task-family.js';
import { selectTaskNames } from '../../src/store/select-task-names.js';
import { selectTaskDetail, selectTasks, type TaskList } from '../../src/store/select-tasks.js';
import { selectThroughput } from '../../src/store/select-throughput.js';
import { selectWorker, selectWorkers } from '../../src/store/select-workers.js';
import { parseTaskFilter } from '../../src/store/task-query-parse.js';
import type { Line } from '../present/detail-lines.js';
import { familyLines } from '../present/family-lines.js';
import { type OverviewLine, overviewLines } from '../present/overview-lines.js';
import { taskDetailLines } from '../present/task-detail-lines.js';
import type { Theme } from '../present/theme.js';
import { queueDetailLines, workerDetailLines } from '../present/worker-queue-lines.js';
import type { UiState } from './ui-state.js';
import type { ViewFrames } from './view-frame.js';

/** Most task rows a list holds; the table only draws the visible ones. */
export const taskListLimit = 2000;

/** Queue rows of the frame. */
export const queuesOf = (f: ViewFrames) => f.memo('queues', selectQueues);
/** Worker rows of the frame. */
export const workersOf = (f: ViewFrames) => f.memo('workers', selectWorkers);
/** Per task name rows of the frame. */
export const taskNamesOf = (f: ViewFrames) => f.memo('task-names', selectTaskNames);
/** Failure groups of the frame. */
export const failuresOf = (f: ViewFrames) => f.memo('failures', selectFailureGroups);
/** Header totals of the frame. */
export const totalsOf = (f: ViewFrames) => f.memo('totals', selectTotals);
/** Source health of the frame. */
export const sourcesOf = (f: ViewFrames) => f.memo('sources', selectSources);
/** Whether task events are on, as of the frame. */
export const eventsOf = (f: ViewFrames): EventsStatus => f.memo('events', selectEventsStatus);
/** How stale the screen's hints may get while the store moves (view-frame.ts `memoLagging`). */
export const hintsEveryMs = 2000;
/**
 * Scaling hints and findings, with the default options (target 300 s, wait 30 s): at most
 * `hintsEveryMs` behind the frame. They read every queue, worker and held task over 300 s
 * windows, too much for every frame at 2,000 queues and 100k tasks, and a second or two of lag
 * does not change a scaling decision.
 */
export const hintsOf = (f: ViewFrames) =>
  f.memoLagging('hints', hintsEveryMs, (m, now) => selectHints(m, now));
export const beatOf = (f: ViewFrames) => f.memo('beat', (m, now) => selectBeat(m, now));
/** One worker in full, or null. */
export const workerOf = (f: ViewFrames, hostname: string) =>
  f.memo(`worker:${hostname}`, (m, now) => selectWorker(m, hostname, now));
/** One task in full, or null when not held. */
export const taskOf = (f: ViewFrames, id: string) =>
  f.memo(`task:${id}`, (m, now) => selectTaskDetail(m, id, now));

/** The task list under the UI's filter and sort; a bad filter shows no rows and its error. */
export function tasksOf(f: ViewFrames, ui: UiState): TaskList & { filterError: string | null } {
  const key = `tasks:${ui.taskSort}:${ui.taskReverse}:${ui.taskFilter}`;
  return f.memo(key, (m, now) => {
    const parsed = parseTaskFilter(ui.taskFilter);
    if (!parsed.ok)
      return { rows: [], total: m.tasks.size, matched: 0, capped: false, filterError: parsed.error };
    const list = selectTasks(m, now, {
      filter: parsed.filter,
      sort: ui.taskSort,
      reverse: ui.taskReverse,
      limit: taskListLimit,
    });
    return { ...list, filterError: null };
  });
}

/** Options every detail view is drawn with. */
export interface DetailOptions {
  theme: Theme;
  width: number;
  hideArgs: boolean;
  /** Body lines: the overview fits itself to them (24 when not given). */
  height?: number;
}

/** The overview's lines at the width and height of the body, from the frame's selectors. */
export function overviewLinesOf(f: ViewFrames, o: DetailOptions): OverviewLine[] {
  const height = o.height ?? 24;
  return f.memo(`overview:${o.width}:${height}:${o.theme.ascii}`, (_m, now) =>
    overviewLines(
      {
        throughput: f.memo('throughput', selectThroughput),
        queues: queuesOf(f),
        workers: workersOf(f),
        failures: f.memo('recent-failures', selectRecentFailures),
        findings: hintsOf(f).findings,
      },
      // Two cells for the cursor marker LineList draws before each line.
      o.width - 2,
      height,
      o.theme,
      now,
    ),
  );
}

/** Lines of a task's detail view; null when the task is not held (never seen, or evicted). */
export function taskLinesOf(f: ViewFrames, id: string, o: DetailOptions): Line[] | null {
  return f.memo(`task-lines:${id}:${o.width}`, () => {
    const task = taskOf(f, id);
    return task && taskDetailLines(task, o.theme, o.width, o.hideArgs);
  });
}

/** Lines of a worker's detail view; null when the worker is not known. */
export function workerLinesOf(f: ViewFrames, hostname: string, o: DetailOptions): Line[] | null {
  return f.memo(`worker-lines:${hostname}:${o.width}`, () => {
    const worker = workerOf(f, hostname);
    return worker && workerDetailLines(worker, o.theme, o.width);
  });
}

/** Lines of a queue's detail view; null when the queue is not known. */
export function queueLinesOf(f: ViewFrames, name: string, o: DetailOptions): Line[] | null {
  return f.memo(`queue-lines:${name}:${o.width}`, (m, now) => {
    const queue = selectQueue(m, name, now);
    return queue && queueDetailLines(queue, o.theme, o.width, o.hideArgs);
  });
}

/** A task's family, or null when the task is not held; computed once per frame, on demand. */
export const familyOf = (f: ViewFrames, id: string) => f.memo(`family:${id}`, (m) => selectTaskFamily(m, id));

/** Lines of a task's workflow tree with `collapsed` subtrees hidden; null when the task is not held. */
export function familyLinesOf(
  f: ViewFrames,
  id: string,
  collapsed: string[],
  o: DetailOptions,
): Line[] | null {
  return f.memo(`family-lines:${id}:${o.width}:${o.theme.ascii}:${collapsed.join(',')}`, () => {
    const family = familyOf(f, id);
    return family && familyLines(family, new Set(collapsed), o.theme, o.width);
  });
}
