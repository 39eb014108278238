/**
 * What an action's guard and start read on the screen: the selected subject and a few facts about
 * the cluster as the screen shows them. The views build it from their frame memo; the records in
 * src/control/actions/ read only this, so they stay pure and testable without a screen.
 */
import type { JsonObject } from '../celery/types.js';
import type { Finding, QueueHint } from '../hints/maths/types.js';
import type { BeatEntryRow } from '../store/select-beat.js';
import type { FailureGroup } from '../store/select-failures.js';
import type { TaskRow } from '../store/select-tasks.js';
import type { WorkerState } from '../store/worker-state.js';
import type { CommandLogEntry } from './controls.js';

/** The subject of an action: the selected row, or the detail view's own subject. */
export type Target =
  | {
      kind: 'task';
      id: string;
      name: string | null;
      state: string;
      row: TaskRow | null;
      /** Celery >= 5.3 canvas stamps, when known (revoke by stamp offers them). */
      stamps?: JsonObject | null;
    }
  | { kind: 'worker'; hostname: string; state: WorkerState; poolType: string | null }
  | { kind: 'queue'; name: string; ready: number }
  | { kind: 'task-name'; name: string }
  | { kind: 'failure'; group: FailureGroup }
  | { kind: 'log'; entry: CommandLogEntry }
  | { kind: 'queue-hint'; hint: QueueHint }
  | { kind: 'finding'; finding: Finding }
  | { kind: 'beat-entry'; entry: BeatEntryRow };

/** A waiting message selected in a queue's view (peek or search), by task id. */
export interface SelectedMessage {
  queue: string;
  id: string;
  name: string | null;
}

export interface SelectionFacts {
  target: Target | null;
  message: SelectedMessage | null;
  /** Whether workers send task events (null: not known yet). */
  taskEvents: boolean | null;
  /** Hostnames of the workers up now. */
  workersUp(): string[];
  /** Workers up now that consumed `queue` at the last inspect. */
  consumersOf(queue: string): string[];
  /** A worker's queues and running task count at the last inspect. */
  workerLoad(hostname: string): { queues: string[] | null; active: number | null };
  /** A worker's state and pool, or null when it is not known. */
  worker(hostname: string): { state: WorkerState; poolType: string | null } | null;
  /** The failure groups (not retrying) of a task name: what a bulk retry of that name covers. */
  failedGroups(name: string): FailureGroup[];
  /** The workers this screen's pause of `queue` cancelled (what a resume re-adds). */
  pausedOn(queue: string): string[];
}

type Of<K extends Target['kind']> = Extract<Target, { kind: K }>;

/** The selected subject when it is of `kind`, else null. */
export function selected<K extends Target['kind']>(s: SelectionFacts, kind: K): Of<K> | null {
  return s.target?.kind === kind ? (s.target as Of<K>) : null;
}

/** Task states after which revoke has nothing to stop. */
export const finishedStates = ['SUCCESS', 'FAILURE', 'REVOKED', 'REJECTED'];

/** Guard: an online worker must be selected. */
export function needUpWorker(s: SelectionFacts): string | null {
  const w = selected(s, 'worker');
  if (!w) return 'no worker selected';
  return w.state === 'online' ? null : `worker ${w.hostname} is ${w.state}`;
}

/** The task name an action applies to: the selected runtime row's, or the selected task's. */
export function selectedTaskName(s: SelectionFacts): string | null {
  return selected(s, 'task-name')?.name ?? selected(s, 'task')?.name ?? null;
}

/** Guard: the selection names a task, and some worker is up to be told. */
export function needTaskNameAndWorker(s: SelectionFacts): string | null {
  if (!selectedTaskName(s))
    return selected(s, 'task')
      ? 'the task name of this task is not known yet'
      : 'no task or task name selected';
  return s.workersUp().length === 0 ? 'no worker is up' : null;
}

/** Guard: a waiting message must be selected. */
export function needMessage(s: SelectionFacts): string | null {
  return s.message ? null : 'select a waiting message (under Next messages or a search)';
}
