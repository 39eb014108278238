/**
 * Result meta (`celery-task-meta-{id}`, wire doc 9.1) into task records. Meta is the only
 * source that sees tasks which finished before qtop started, and with `result_extended` it
 * holds the exact call (the best source for a retry).
 */
import { stringifyExact } from '../celery/json-exact.js';
import type { ResultMeta } from '../celery/types.js';
import { intern } from './intern.js';
import type { Model } from './model.js';
import { finalStates, parseCeleryTime, precedence } from './task-merge.js';
import { countTransition } from './task-names.js';
import { addObservation, addOrigin, applyState, touchTask } from './task-records.js';
import {
  addNote,
  boundText,
  childIds,
  exceptionDisplay,
  holdJson,
  objectOf,
  stringOf,
} from './task-values.js';

// States whose `result` is not a return value: an exception, `{pid, hostname}`, or nothing.
const notAResult: ReadonlySet<string> = new Set(['FAILURE', 'RETRY', 'REVOKED', 'STARTED', 'PENDING']);

/**
 * Apply one meta read at `at` (ms). `live` is true for a PUBLISH on the meta channel: it
 * happens as the task finishes, so it feeds rates; a SCAN page or GET may be hours old and
 * only feeds counters. Counters move only when this meta moves the task into a state it was
 * not already in, so a meta seen after its `task-succeeded` event is not counted twice.
 *
 * One departure from Celery's precedence: a *polled* RETRY meta, or any RETRY meta for a task
 * that events report, does not override RECEIVED or STARTED. The key keeps saying RETRY while the retry runs (it is rewritten only when the
 * retry starts with `task_track_started`, or finishes), so a periodic scan would otherwise
 * pull a running task back to RETRY, and count another retry, on every pass.
 */
export function applyResultMeta(model: Model, meta: ResultMeta, live: boolean, at: number): void {
  const record = touchTask(model, meta.taskId, at);
  const previous = record.state;
  const max = model.config.maxValueChars;
  const done = meta.dateDone !== null ? parseCeleryTime(meta.dateDone) : null;
  const stateAt = done ?? at / 1000;
  // When events report this task, its `task-retried` event is authoritative: the RETRY meta may
  // arrive after the retried message was already received again, and must not count twice.
  const staleRetry =
    meta.status === 'RETRY' &&
    precedence('RETRY') > precedence(record.state) &&
    (!live || record.origins.includes('event'));
  const verdict = staleRetry ? 'merge' : applyState(record, meta.status, stateAt);
  const replace = verdict === 'replace';

  // STARTED meta holds `{pid, hostname}` of the worker, not a return value (wire doc 9.1).
  const startedBy = meta.status === 'STARTED' ? stringOf(objectOf(meta.result) ?? {}, 'hostname') : null;
  if (replace) {
    if (meta.exception !== null) {
      record.exception = boundText(record, 'exception', exceptionDisplay(meta.exception), max);
    } else if (!notAResult.has(meta.status)) {
      record.result = boundText(record, 'result', stringifyExact(meta.result), max);
    }
    if (meta.traceback !== null) record.traceback = boundText(record, 'traceback', meta.traceback, max);
    if (done !== null && finalStates.has(meta.status)) record.finishedAt = done;
    if (startedBy !== null) record.worker = intern(startedBy);
  } else if (startedBy !== null && record.worker === null) record.worker = intern(startedBy);

  if (meta.groupId !== null) record.groupId = meta.groupId;
  if (meta.parentId !== null) record.parentId = meta.parentId;
  // `children` is replaced, not pushed to: records share one frozen empty list.
  for (const child of childIds(meta.children, record.id))
    if (!record.children.includes(child)) record.children = [...record.children, child];

  const ext = meta.extended;
  if (ext !== null) {
    // null name: the worker did not know the task (NotRegistered, wire doc 5.2).
    if (ext.name !== null) record.name = intern(ext.name);
    if (ext.args !== null) record.args = holdJson(record, 'args', ext.args, max);
    if (ext.kwargs !== null) record.kwargs = holdJson(record, 'kwargs', ext.kwargs, max);
    if (ext.worker !== null && (replace || record.worker === null)) record.worker = intern(ext.worker);
    if (ext.retries !== null) record.retries = Math.max(record.retries, ext.retries);
    // `queue` is the delivery routing key (wire doc 9.1).
    if (ext.queue !== null && (replace || record.queue === null)) record.queue = intern(ext.queue);
    if (ext.stamps && record.stamps === null) record.stamps = ext.stamps;
  }
  if (meta.exception?.type === 'NotRegistered') addNote(record, 'no worker has this task name registered');

  countTransition(model, record, previous, live, at);
  addOrigin(model, record, 'result');
  addObservation(
    record,
    {
      type: `result-${meta.status.toLowerCase()}`,
      timestamp: stateAt,
      hostname: intern(ext?.worker ?? startedBy),
    },
    model.config.maxTimeline,
  );
}
