/**
 * The task domain of the reducer: task records, task-name statistics and the task flows of
 * queues, from every source that reports tasks. The per-source rules live in task-events.ts,
 * task-results.ts and task-sources.ts; all of them apply Celery's precedence (task-merge.ts).
 * Deterministic and free of I/O like every reducer: time comes from `action.at` (ms).
 */
import type { Action } from './actions.js';
import { settleFailures } from './aggregates.js';
import type { Model } from './model.js';
import { applyTaskEvent } from './task-events.js';
import { dropLateEvent, evictTasks, markPartial, touchTask } from './task-records.js';
import { applyResultMeta } from './task-results.js';
import { applyInspectReply, applyPeekedMessage, applyUnackedEntry } from './task-sources.js';

/**
 * Apply `action` to the task records of `model` in place; true when anything changed. After
 * every action the least recently updated tasks past `config.maxTasks` are evicted (counted
 * in `counters.tasksEvicted`); task-name statistics are kept. A later task event for an evicted
 * task is dropped and counted (`counters.lateEventsDropped`) rather than making a partial record.
 * A record that a later event makes anyway (its id evicted too long ago to be remembered, or the
 * task began before qtop started) says so in its note and is not counted when evicted, so
 * `tasksEvicted` never exceeds the tasks seen.
 */
export function reduceTasks(model: Model, action: Action): boolean {
  const before = model.tasks.size;
  let touched = 0;
  switch (action.type) {
    case 'events/received':
      for (const event of action.events) {
        if (event.kind !== 'task') continue;
        const starts = event.type === 'task-sent' || event.type === 'task-received';
        if (dropLateEvent(model, event.uuid, starts)) continue;
        const known = starts || model.tasks.has(event.uuid);
        applyTaskEvent(model, event, action.at);
        if (!known) markPartial(model, event.uuid);
        touched += 1;
      }
      break;
    case 'results/read':
      // Only a PUBLISH is seen as it happens; scanned and fetched meta can be old.
      for (const meta of action.metas) {
        applyResultMeta(model, meta, action.via === 'pubsub', action.at);
        touched += 1;
      }
      break;
    case 'queues/sampled':
      for (const queue of action.queues) {
        for (const message of queue.peek) {
          if (message.id === null) continue;
          applyPeekedMessage(model, queue.name, message, action.at);
          touched += 1;
        }
      }
      break;
    case 'unacked/sampled':
      for (const entry of action.entries) {
        if (entry.message?.id == null) continue;
        applyUnackedEntry(model, entry, action.at);
        touched += 1;
      }
      break;
    case 'inspect/replied':
      for (const reply of action.replies)
        touched += applyInspectReply(model, action.method, reply, action.at);
      break;
    case 'task/retried-as': {
      // The old record may have been evicted; the new one is a task qtop just published.
      const created = touchTask(model, action.newId, action.at);
      created.retryOf = action.oldId;
      if (model.tasks.has(action.oldId)) {
        const old = touchTask(model, action.oldId, action.at);
        old.retriedAs = action.newId;
        // The retry republished the same task name (architecture.md, "Retry").
        created.name ??= old.name;
      }
      touched += 1;
      break;
    }
    default:
      return false;
  }
  evictTasks(model);
  settleFailures(model);
  return touched > 0 || model.tasks.size !== before;
}
