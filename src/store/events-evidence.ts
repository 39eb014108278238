/**
 * Whether task events are on, judged from evidence: a task that started or finished while qtop
 * was subscribed, yet reached qtop only through results or inspect, proves its worker runs
 * without `-E` (wire doc 6.1: task events need `-E` or `enable_events`). A quiet worker with
 * `-E` and no tasks looks the same as one without, so absence of events alone proves nothing.
 */
import type { Model, TaskRecord } from './model.js';

/** How recent a task event must be to count as "events on" (and a miss as "events off"). */
export const taskEventsFreshMs = 5 * 60_000;

/** True when `task` ran while qtop listened for events and no event told of it. */
export function missedByEvents(model: Model, task: TaskRecord, now: number): boolean {
  const listening = model.sources.events;
  if (listening.lastOkAt === null || task.origins.includes('event')) return false;
  const at = task.finishedAt ?? task.startedAt;
  if (at === null || at < model.startedAt / 1000 || at * 1000 < now - taskEventsFreshMs) return false;
  // Published while qtop was not subscribed: the event was lost, not unsent.
  return !listening.gaps.some((gap) => at * 1000 >= gap.from && (gap.to === null || at * 1000 <= gap.to));
}

/**
 * Held tasks no event told of and that ran while qtop listened. Reads the store's own index of
 * tasks without events (kept as records change), not every task: with events on it is empty.
 */
export function tasksMissedByEvents(model: Model, now: number): TaskRecord[] {
  const missed: TaskRecord[] = [];
  if (model.sources.events.lastOkAt === null) return missed;
  for (const id of model.tasksWithoutEvents) {
    const task = model.tasks.get(id);
    if (task !== undefined && missedByEvents(model, task, now)) missed.push(task);
  }
  return missed;
}

/** Workers that ran a task events never told of. */
export function workersMissedByEvents(model: Model, now: number): Set<string> {
  const workers = new Set<string>();
  for (const task of tasksMissedByEvents(model, now)) if (task.worker !== null) workers.add(task.worker);
  return workers;
}
