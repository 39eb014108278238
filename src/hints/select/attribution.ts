/**
 * Which queue each held task came from, so work can be read per queue. The model keeps
 * runtime sketches and finished rates per task name only, and one name can run on several
 * queues with very different arguments (a `reports` queue of long `app.render` calls beside
 * short ones on `celery`), so the held task records are grouped by queue here.
 *
 * Rule: a task's queue is its own (`task-sent`, a queue peek, `unacked`, an inspect reply's
 * `delivery_info`); failing that, the only queue its worker consumes. A task run by a worker
 * of several queues whose queue no source named is left out. Limits: only the tasks still
 * held count (the newest `maxTasks`), and a worker's queue list is its current one.
 */
import type { Model, TaskRecord } from '../../store/model.js';

/** One task name on one queue, over the held tasks. */
export interface QueueNameStats {
  tasks: number;
  /** Sum and count of the runtimes of those that finished (events give runtime). */
  runtimeSum: number;
  runtimes: number;
  /** When those that succeeded or failed finished, epoch s (sender's clock). */
  finishedAt: number[];
}

export interface Attribution {
  /** queue → task name → held tasks attributed to it. */
  byQueue: Map<string, Map<string, QueueNameStats>>;
  /** task name → queue → held tasks attributed to it. */
  byName: Map<string, Map<string, number>>;
}

/** The queue of one task by the rule above; null when it cannot be told. */
export function taskQueue(record: TaskRecord, model: Model): string | null {
  if (record.queue !== null) return record.queue;
  if (record.worker === null) return null;
  const queues = model.workers.get(record.worker)?.queues;
  return queues?.length === 1 ? queues[0]! : null;
}

/** Group the held tasks with a known name by queue and by name (one pass over the tasks). */
export function attributeTasks(model: Model): Attribution {
  const attribution: Attribution = { byQueue: new Map(), byName: new Map() };
  for (const record of model.tasks.values()) {
    if (record.name === null) continue;
    const queue = taskQueue(record, model);
    if (queue === null) continue;
    const names = attribution.byQueue.get(queue) ?? new Map<string, QueueNameStats>();
    attribution.byQueue.set(queue, names);
    const stats = names.get(record.name) ?? { tasks: 0, runtimeSum: 0, runtimes: 0, finishedAt: [] };
    names.set(record.name, stats);
    stats.tasks += 1;
    if (record.runtime !== null && Number.isFinite(record.runtime)) {
      stats.runtimeSum += Math.max(0, record.runtime);
      stats.runtimes += 1;
    }
    const done = record.state === 'SUCCESS' || record.state === 'FAILURE';
    if (done && record.finishedAt !== null) stats.finishedAt.push(record.finishedAt);
    const queues = attribution.byName.get(record.name) ?? new Map<string, number>();
    attribution.byName.set(record.name, queues);
    queues.set(queue, (queues.get(queue) ?? 0) + 1);
  }
  return attribution;
}

/**
 * Fraction of the attributed tasks named `name` that came from `queue` (0..1): how much of
 * the name's finished rate belongs to the queue. 0 when no task of that name is attributed.
 */
export function queueShare(attribution: Attribution, name: string, queue: string): number {
  const counts = attribution.byName.get(name);
  if (!counts) return 0;
  let total = 0;
  for (const n of counts.values()) total += n;
  return total > 0 ? (counts.get(queue) ?? 0) / total : 0;
}
