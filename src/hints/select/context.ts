/**
 * What every health rule reads, computed once per report: the rows the screen shows (so a
 * finding never contradicts a panel), the queue hints, and the task attribution.
 */
import type { Model, TaskRecord } from '../../store/model.js';
import type { QueueRow } from '../../store/select-queues.js';
import type { WorkerRow } from '../../store/select-workers.js';
import { type Finding, findingIdLimit, type HintOptions, type QueueHint } from '../maths/types.js';
import type { Attribution } from './attribution.js';

export interface HintContext {
  model: Model;
  /** qtop clock, ms. */
  now: number;
  options: HintOptions;
  queues: QueueRow[];
  /** Worker rows with `poolMax` replaced by the pool's size now (slots.ts `poolSize`). */
  workers: WorkerRow[];
  hints: Map<string, QueueHint>;
  attribution: Attribution;
  /** Held tasks by worker and by name, indexed once so rules never rescan every task. */
  tasksByWorker: Map<string, TaskRecord[]>;
  tasksByName: Map<string, TaskRecord[]>;
}

/** Group the held tasks by `key` (null keys left out). */
export function groupTasks(
  model: Model,
  key: (record: TaskRecord) => string | null,
): Map<string, TaskRecord[]> {
  const groups = new Map<string, TaskRecord[]>();
  for (const record of model.tasks.values()) {
    const k = key(record);
    if (k === null) continue;
    const list = groups.get(k);
    if (list) list.push(record);
    else groups.set(k, [record]);
  }
  return groups;
}

/** A finding with the optional subjects defaulted to null and the id list bounded. */
export function finding(
  fields: Pick<Finding, 'kind' | 'severity' | 'summary' | 'evidence' | 'fix'> & Partial<Finding>,
): Finding {
  return {
    queue: null,
    worker: null,
    taskName: null,
    ...fields,
    taskIds: [...new Set(fields.taskIds ?? [])].slice(0, findingIdLimit),
  };
}

/** An ISO ETA as epoch seconds; null when absent or unreadable. */
export function etaSec(eta: string | null): number | null {
  if (eta === null) return null;
  const ms = Date.parse(eta);
  return Number.isFinite(ms) ? ms / 1000 : null;
}

/** "a, b, c and 2 more": names in evidence lines stay one line long. */
export function listOf(items: string[], max = 3): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
