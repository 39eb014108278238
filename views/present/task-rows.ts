/**
 * Pure presenters for the task, runtime and failure tables: selector rows become sanitized
 * cells. With `hideArgs` (shared screens, `--hide-args`) no argument text is produced at all.
 */

import { clean, sanitize } from '../../src/output/sanitize.js';
import type { FailureGroup } from '../../src/store/select-failures.js';
import type { TaskNameRow } from '../../src/store/select-task-names.js';
import type { TaskRow } from '../../src/store/select-tasks.js';
import {
  formatAge,
  formatCount,
  formatDuration,
  formatPercent,
  formatRate,
  sparkline,
  unknown,
} from './format.js';
import type { Column } from './table-layout.js';
import type { RowModel } from './table-rows.js';
import { type Theme, taskState } from './theme.js';

/** Task columns. The id column grows to the full uuid on wide screens. */
export const taskColumns: Column[] = [
  { key: 'state', title: 'STATE', width: 10, priority: 1 },
  { key: 'name', title: 'TASK', width: 14, priority: 1, grow: 2, max: 40 },
  { key: 'id', title: 'ID', width: 9, priority: 3, grow: 1, max: 36 },
  { key: 'worker', title: 'WORKER', width: 10, priority: 3, grow: 1, max: 30 },
  { key: 'queue', title: 'QUEUE', width: 8, priority: 4, grow: 1, max: 20 },
  { key: 'runtime', title: 'RUNTIME', width: 7, align: 'right', priority: 2 },
  { key: 'age', title: 'AGE', width: 6, align: 'right', priority: 2 },
  { key: 'retries', title: 'RTY', width: 3, align: 'right', priority: 5 },
  { key: 'info', title: 'ARGS / EXCEPTION', width: 12, priority: 2, grow: 3 },
];

/** One task as cells; a failed or retrying task shows its exception where others show args. */
export function taskCells(row: TaskRow, theme: Theme, hideArgs: boolean): RowModel {
  const state = taskState(theme, row.state);
  const failed = row.exception !== null && (row.state === 'FAILURE' || row.state === 'RETRY');
  let info: string;
  if (failed) info = sanitize(row.exception ?? '');
  else if (hideArgs) info = '(hidden)';
  else info = clean(row.argsPreview, '');
  return {
    key: row.id,
    cells: {
      state: state.text,
      name: clean(row.name, '?'),
      id: sanitize(row.id),
      worker: clean(row.worker),
      queue: clean(row.queue),
      runtime: formatDuration(row.runtime),
      age: formatAge(row.ageSec),
      retries: String(row.retries),
      info,
    },
    tones: { state: state.tone, info: failed ? 'bad' : 'dim' },
  };
}

/** Runtime columns: throughput, failures and percentiles per task name. */
export const runtimeColumns: Column[] = [
  { key: 'name', title: 'TASK', width: 14, priority: 1, grow: 2, max: 50 },
  { key: 'count', title: 'DONE', width: 6, align: 'right', priority: 1 },
  { key: 'rate', title: 'RATE', width: 6, align: 'right', priority: 2 },
  { key: 'failed', title: 'FAIL', width: 5, align: 'right', priority: 2 },
  { key: 'failureRate', title: 'FAIL%', width: 5, align: 'right', priority: 3 },
  { key: 'retried', title: 'RTY', width: 4, align: 'right', priority: 5 },
  { key: 'p50', title: 'P50', width: 7, align: 'right', priority: 1 },
  { key: 'p90', title: 'P90', width: 7, align: 'right', priority: 1 },
  { key: 'p99', title: 'P99', width: 7, align: 'right', priority: 3 },
  { key: 'max', title: 'MAX', width: 7, align: 'right', priority: 3 },
  { key: 'wait50', title: 'WAIT50', width: 7, align: 'right', priority: 4 },
  { key: 'wait90', title: 'WAIT90', width: 7, align: 'right', priority: 5 },
  { key: 'trend', title: 'DONE/5s', width: 10, priority: 4, grow: 1, max: 20, keepEnd: true },
];

/** One task name as cells, with a sparkline of finished tasks per bucket. */
export function runtimeCells(row: TaskNameRow, theme: Theme): RowModel {
  return {
    key: row.name,
    cells: {
      name: sanitize(row.name),
      count: formatCount(row.count),
      rate: formatRate(row.ratePerSec),
      failed: formatCount(row.failed),
      failureRate: formatPercent(row.failureRate),
      retried: formatCount(row.retried),
      p50: formatDuration(row.runtime?.p50 ?? null),
      p90: formatDuration(row.runtime?.p90 ?? null),
      p99: formatDuration(row.runtime?.p99 ?? null),
      max: formatDuration(row.runtime?.max ?? null),
      wait50: formatDuration(row.wait?.p50 ?? null),
      wait90: formatDuration(row.wait?.p90 ?? null),
      trend: sparkline(row.runtimeTrend, 20, theme.ascii),
    },
    tones: { failed: row.failed > 0 ? 'bad' : 'dim', trend: 'active' },
  };
}

/** The key of a failure group: what it groups by. */
export function failureKey(group: FailureGroup): string {
  return JSON.stringify([group.name, group.excType, group.retrying]);
}

/** Failure-group columns. */
export const failureColumns: Column[] = [
  { key: 'count', title: 'COUNT', width: 5, align: 'right', priority: 1 },
  { key: 'name', title: 'TASK', width: 14, priority: 1, grow: 2, max: 40 },
  { key: 'excType', title: 'EXCEPTION', width: 12, priority: 1, grow: 1, max: 30 },
  { key: 'kind', title: 'KIND', width: 8, priority: 3 },
  { key: 'first', title: 'FIRST', width: 6, align: 'right', priority: 3 },
  { key: 'last', title: 'LAST', width: 6, align: 'right', priority: 2 },
  { key: 'example', title: 'LATEST MESSAGE', width: 10, priority: 4, grow: 3 },
];

/** One failure group as cells; ages are from `nowMs`. */
export function failureCells(group: FailureGroup, nowMs: number): RowModel {
  const nowSec = nowMs / 1000;
  return {
    key: failureKey(group),
    cells: {
      count: formatCount(group.count),
      name: clean(group.name, '?'),
      excType: clean(group.excType, '?'),
      kind: group.retrying ? 'retrying' : 'failed',
      first: formatAge(nowSec - group.firstSeen),
      last: formatAge(nowSec - group.lastSeen),
      example: clean(group.exampleException?.split('\n')[0] ?? null, unknown),
    },
    tones: { count: 'bad', kind: group.retrying ? 'warn' : 'bad' },
  };
}
