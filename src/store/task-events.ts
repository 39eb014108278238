/**
 * `task-*` events into task records, following Celery's own monitor (celery/events/state.py,
 * Task.event): the event's state replaces the current one unless precedence says it happened
 * before it, in which case only some fields merge. Field sets per event type: wire doc 6.3.
 */

import type { TaskEvent } from '../celery/types.js';
import { seriesAdd } from '../metrics/series.js';
import { ensureQueue } from './create-model.js';
import { intern, shareRepeat } from './intern.js';
import type { Model } from './model.js';
import { finalStates, stateOfEvent } from './task-merge.js';
import { addRuntime, addWait, countEvent, countTransition } from './task-names.js';
import { addOrigin, addTimeline, applyState, touchTask } from './task-records.js';
import { boundText } from './task-values.js';

/**
 * Celery's Task.merge_rules: when a RECEIVED event arrives after a later state, only these
 * fields are taken from it. For every other state Celery merges all of the event's fields.
 */
const mergeRules: Partial<Record<string, ReadonlySet<string>>> = {
  RECEIVED: new Set(['name', 'args', 'kwargs', 'parentId', 'rootId', 'retries', 'eta', 'expires']),
};

/**
 * Apply one task event received at `at` (ms). Task-name counters, runtime and wait sketches,
 * and queue in/out rates are updated here (all events are live observations).
 *
 * Queue attribution: `task-sent` names the queue and counts into its in-rate. A later
 * `task-received` carries no queue, so it counts into the out-rate only when the task's queue
 * is already known: from its `task-sent`, a queue peek, `unacked`, an inspect reply's
 * `delivery_info` or extended result meta. Otherwise the delivery is not attributed.
 */
export function applyTaskEvent(model: Model, event: TaskEvent, at: number): void {
  const record = touchTask(model, event.uuid, at);
  const previous = record.state;
  const ts = event.timestamp;
  const state = stateOfEvent(event.type);
  const verdict = applyState(record, state, ts, true);
  const keep = verdict === 'merge' ? (mergeRules[state] ?? null) : null;
  const may = (field: string): boolean => keep === null || keep.has(field);
  const max = model.config.maxValueChars;

  if (event.name !== undefined && may('name')) record.name = intern(event.name);
  if (event.args !== undefined && may('args'))
    record.argsRepr = shareRepeat(record.name, 'args', boundText(record, 'args repr', event.args, max));
  if (event.kwargs !== undefined && may('kwargs'))
    record.kwargsRepr = shareRepeat(
      record.name,
      'kwargs',
      boundText(record, 'kwargs repr', event.kwargs, max),
    );
  if (event.result !== undefined && may('result'))
    record.result = boundText(record, 'result', event.result, max);
  if (event.exception !== undefined && may('exception'))
    record.exception = boundText(record, 'exception', event.exception, max);
  if (event.traceback !== undefined && may('traceback'))
    record.traceback = boundText(record, 'traceback', event.traceback, max);
  if (event.retries !== undefined && may('retries')) record.retries = event.retries;
  if (event.eta !== undefined && may('eta')) record.eta = event.eta;
  if (event.expires !== undefined && may('expires')) record.expires = event.expires;
  // Most tasks are their own root: share the id string instead of holding a second copy.
  if (event.rootId !== undefined && may('rootId'))
    record.rootId = event.rootId === record.id ? record.id : event.rootId;
  // A held parent's id string serves as well as the event's copy.
  if (event.parentId !== undefined && may('parentId'))
    record.parentId =
      event.parentId === null ? null : (model.tasks.get(event.parentId)?.id ?? event.parentId);
  if (event.terminated !== undefined && may('terminated')) record.terminated = event.terminated;
  if (event.signum !== undefined && may('signum')) record.signum = event.signum;
  if (event.expired !== undefined && may('expired')) record.expired = event.expired;
  // every task event but `task-sent` comes from the worker holding the task; `task-sent` comes
  // from the producer (wire doc 6.1), whose hostname is not a worker
  if (event.type !== 'task-sent' && (may('hostname') || record.worker === null))
    record.worker = intern(event.hostname);

  switch (event.type) {
    case 'task-sent': {
      record.sentAt = ts;
      // `queue` is the declared queue; with direct routing the routing key is the same name.
      const queue = event.queue || event.routingKey || null;
      if (queue !== null) {
        if (may('queue')) record.queue = intern(queue);
        seriesAdd(ensureQueue(model, queue, at).inRate, at);
      }
      break;
    }
    case 'task-received':
      record.receivedAt = ts;
      countEvent(model, record, 'received', at);
      if (record.queue !== null) seriesAdd(ensureQueue(model, record.queue, at).outRate, at);
      // A received that arrives after its started (another batch, another clock): the wait
      // is known only now.
      if (
        verdict === 'merge' &&
        previous === 'STARTED' &&
        record.startedAt !== null &&
        record.startedAt >= ts
      )
        addWait(model, record, record.startedAt - ts, at);
      break;
    case 'task-started':
      record.startedAt = ts;
      countEvent(model, record, 'started', at);
      // Only straight from RECEIVED: after a retry an older receivedAt would give a wrong wait.
      if (previous === 'RECEIVED' && record.receivedAt !== null && ts >= record.receivedAt)
        addWait(model, record, ts - record.receivedAt, at);
      break;
    default:
      if (verdict === 'replace' && finalStates.has(state)) record.finishedAt = ts;
  }

  if (verdict === 'replace') {
    if (event.type === 'task-succeeded' && event.runtime !== undefined) {
      record.runtime = event.runtime;
      addRuntime(model, record, event.runtime, at);
    } else if (event.type === 'task-failed' && previous === 'STARTED' && record.startedAt !== null) {
      // task-failed has no runtime field (wire doc 6.3): measure it from this run's start
      // (straight from STARTED, so not a start from before a retry).
      record.runtime = Math.max(0, ts - record.startedAt);
      addRuntime(model, record, record.runtime, at);
    }
  }

  countTransition(model, record, previous, true, at);
  addOrigin(model, record, 'event');
  addTimeline(
    record,
    { type: intern(event.type), timestamp: ts, hostname: intern(event.hostname) },
    model.config.maxTimeline,
  );
}
