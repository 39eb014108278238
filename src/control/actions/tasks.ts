/** The task actions: revoke, terminate, retry, bulk retry of a name's failures, rate and time limits. */
import { defineAction } from '../action.js';
import {
  type Destination,
  type ExchangeTypeOverrides,
  type RetryOptions,
  type Signal,
  signals,
} from '../controls.js';
import { finishedStates, needTaskNameAndWorker, selected, selectedTaskName } from '../selection.js';
import { count, onWorkers, plain, s } from './text.js';

interface TaskRef {
  taskIds: string[];
  name: string | null;
}

function taskText(r: TaskRef): string {
  return r.taskIds.length === 1 ? `task ${s(r.taskIds[0]!)} (${s(r.name)})` : s(r.name);
}

function tasksTarget(r: TaskRef): string {
  return r.taskIds.length === 1 ? `task ${r.taskIds[0]}` : `${r.taskIds.length} tasks of ${r.name ?? '?'}`;
}

/** What a forced revoke of a finished task may cost: the refusal, the CLI help and the dialog say it. */
export const revokeFinishedLoss =
  'on Celery >= 5.6.2 every worker writes REVOKED meta at once, overwriting a FAILURE ' +
  '(its traceback and extended call are lost, so retry can no longer rebuild it); a SUCCESS is never overwritten';

/** The revoke dialog: a plain one, or for a finished task the second confirmation, naming the loss. */
function revokeDialog(r: TaskRef & { state: string | null }) {
  if (!r.state || !finishedStates.includes(r.state)) {
    return plain('Revoke task', 'Revoke', [
      `Broadcast revoke for ${taskText(r)}, state ${r.state ?? '?'}, to every worker.`,
      'A worker that has not started it discards it; a running task keeps running',
      '(use terminate for that). Workers remember revoked ids until they restart.',
    ]);
  }
  const lost =
    r.state === 'FAILURE'
      ? 'On Celery >= 5.6.2 its FAILURE result is overwritten with REVOKED: the traceback and the'
      : `On Celery >= 5.6.2 workers try to write REVOKED over its ${r.state} result (a SUCCESS is kept);`;
  return {
    ...plain('Revoke a finished task', 'Revoke anyway', [
      `${taskText(r)} already finished (${r.state}): there is nothing to revoke.`,
      lost,
      r.state === 'FAILURE'
        ? 'extended call (args, kwargs) are lost for good, and retry can no longer rebuild it.'
        : 'on older Celery nothing changes. Pick below; "do nothing" is the default.',
    ]),
    choices: ['do nothing', 'revoke anyway'],
  };
}

export const revoke = defineAction<TaskRef & { state: string | null; force?: boolean }>({
  id: 'task.revoke',
  target: 'task',
  log: 'revoke',
  cli: 'revoke <task-id...>',
  writes: true,
  confirm: 'dialog',
  label: 'revoke',
  help: 'Revoke the task: workers discard it if it has not started.',
  describe: tasksTarget,
  dialog: revokeDialog,
  // A finished task's dialog asks twice: Enter, then the pick; only "revoke anyway" forces.
  choose: (r, choice) => (r.state && finishedStates.includes(r.state) ? { ...r, force: choice === 1 } : r),
  run: (controls, r) => {
    if (r.force) return controls.revoke(r.taskIds, { force: true });
    // "do nothing" on a finished task's dialog: nothing is sent.
    if (r.state && finishedStates.includes(r.state) && r.force === false) {
      const summary = `not revoked: task already finished (${r.state}); nothing sent`;
      return Promise.resolve({ ok: false, kind: 'refused' as const, summary, replies: [] });
    }
    return controls.revoke(r.taskIds);
  },
  guard: (sel) => (selected(sel, 'task') ? null : 'no task selected'),
  start: (sel) => {
    const t = selected(sel, 'task')!;
    return { params: { taskIds: [t.id], name: t.name, state: t.state } };
  },
});

export const terminate = defineAction<TaskRef & { signal: Signal }>({
  id: 'task.terminate',
  target: 'task',
  log: 'terminate',
  cli: 'revoke <task-id...> --terminate',
  writes: true,
  confirm: 'dialog',
  label: 'terminate',
  help: `Revoke and kill the running task with a signal you choose (${signals.join(', ')}).`,
  describe: tasksTarget,
  dialog: (r) => ({
    ...plain('Terminate task', 'Terminate', [
      `Revoke ${taskText(r)} and signal the pool process running it.`,
      'Pick the signal with up/down: TERM lets it clean up, KILL does not.',
    ]),
    choices: signals.map((signal) => `SIG${signal}`),
  }),
  choose: (r, choice) => ({ ...r, signal: signals[choice] ?? 'TERM' }),
  run: (controls, r) => controls.revoke(r.taskIds, { terminate: true, signal: r.signal }),
  guard: (sel) => {
    const t = selected(sel, 'task');
    if (!t) return 'no task selected';
    return ['STARTED', 'RECEIVED'].includes(t.state)
      ? null
      : `terminate is for running tasks; this one is ${t.state}`;
  },
  start: (sel) => {
    const t = selected(sel, 'task')!;
    return { params: { taskIds: [t.id], name: t.name, signal: 'TERM' } };
  },
});

/**
 * `queue` overrides the route (the CLI's --queue); `removeOriginal` retries a task whose original
 * still waits and removes that original in the same atomic step (--remove-original, or the dialog's
 * second pick); `exchangeTypes` are --exchange-type overrides.
 */
export const retry = defineAction<
  TaskRef & { queue?: string; removeOriginal?: boolean; exchangeTypes?: ExchangeTypeOverrides }
>({
  id: 'task.retry',
  target: 'task',
  log: 'retry',
  cli: 'retry <task-id...>',
  writes: true,
  confirm: 'dialog',
  label: 'retry',
  help: 'Publish a new task with the same call (new id), routed as kombu routes the original.',
  describe: tasksTarget,
  dialog: (r) => ({
    ...plain('Retry task', 'Retry', [
      `Publish a new task reproducing the call of ${taskText(r)}, with a new id,`,
      'to the queues its exchange and routing key reach. If its original message still waits',
      '(a queue, or unacked), a plain retry is refused and says where: pick "retry and remove the',
      'original" to do both in one atomic step. Esc cancels.',
    ]),
    choices: ['retry only if the original no longer waits', 'retry and remove the original, atomically'],
  }),
  choose: (r, choice) => ({ ...r, removeOriginal: choice === 1 }),
  run: (controls, r) => {
    const options: RetryOptions = {};
    if (r.queue) options.queue = r.queue;
    if (r.removeOriginal) options.removeOriginal = true;
    if (r.exchangeTypes) options.exchangeTypes = r.exchangeTypes;
    return Object.keys(options).length ? controls.retry(r.taskIds, options) : controls.retry(r.taskIds);
  },
  guard: (sel) => {
    const t = selected(sel, 'task');
    if (!t) return 'no task selected';
    return ['PENDING', 'RECEIVED', 'STARTED'].includes(t.state)
      ? `task is still ${t.state}: retry is for finished tasks`
      : null;
  },
  start: (sel) => {
    const t = selected(sel, 'task')!;
    return { params: { taskIds: [t.id], name: t.name } };
  },
});

interface FailedOfName {
  name: string;
  /** Publish to this queue instead of each original one (the CLI's --queue). */
  queue?: string;
  exchangeTypes?: ExchangeTypeOverrides;
  count: number;
  groups: { excType: string | null; count: number }[];
}

/** Every failed task of a name: a mass action, so the operator types how many. */
export const retryFailed = defineAction<FailedOfName>({
  id: 'failures.retry',
  target: 'task-name',
  log: 'retry --failed',
  cli: 'retry --failed <task-name>',
  writes: true,
  confirm: 'typed-count',
  label: 'retry all',
  help: "Retry every failed task of the group's task name that qtop holds (you type how many to confirm).",
  describe: (r) => `${r.count} failed ${r.name}`,
  dialog: (r) => {
    const groups = r.groups.map((g) => `${s(g.excType ?? 'unknown exception')} ${g.count}`).join(', ');
    return {
      ...plain('Retry failed tasks', `Retry ${r.count}`, [
        `Publish ${count(r.count, 'new task')}, one per failed ${s(r.name)} task qtop holds (${groups}),`,
        'each to its original queue with a new id. Every exception type of this name is included.',
        'Tasks whose call cannot be recovered exactly are refused and listed.',
      ]),
      typeToConfirm: String(r.count),
    };
  },
  run: (controls, r) =>
    r.queue || r.exchangeTypes
      ? controls.retryFailed(r.name, {
          ...(r.queue ? { queue: r.queue } : {}),
          ...(r.exchangeTypes ? { exchangeTypes: r.exchangeTypes } : {}),
        })
      : controls.retryFailed(r.name),
  guard: (sel) => {
    const f = selected(sel, 'failure');
    if (!f) return 'no failure group selected';
    if (f.group.retrying) return 'these tasks are already retrying';
    return f.group.name === null ? 'the task name is not known: retry these one by one from Tasks' : null;
  },
  start: (sel) => {
    const name = selected(sel, 'failure')!.group.name!;
    const groups = sel.failedGroups(name).map((g) => ({ excType: g.excType, count: g.count }));
    return { params: { name, count: groups.reduce((sum, g) => sum + g.count, 0), groups } };
  },
});

// Celery's rate syntax (celery.utils.time.rate); commands/control/rate-limit.ts checks the same.
const ratePattern = /^\d+(\.\d+)?(\/[smh])?$/;
const secondsPattern = /^\d+(\.\d+)?$/;

/** `destination`: the workers told (the CLI's -w); every worker when absent. */
export const rateLimit = defineAction<
  { taskName: string; rate: string | null; destination?: Destination },
  { taskName: string }
>({
  id: 'task.rate-limit',
  target: 'task-name',
  log: 'rate-limit',
  cli: 'rate-limit <task-name> <rate>',
  writes: true,
  confirm: 'dialog',
  label: 'rate limit',
  help: "Set or remove the task name's rate limit on every worker: you type 10/m, 5/s, 100/h or none.",
  describe: (r) => `task ${r.taskName} on ${onWorkers(r.destination)}`,
  dialog: (r) =>
    plain('Rate limit', r.rate === null ? 'Remove' : 'Set', [
      r.rate === null
        ? `Remove the rate limit of task ${s(r.taskName)} on every worker (rate_limit).`
        : `Limit task ${s(r.taskName)} to ${s(r.rate)} on every worker (rate_limit; each worker counts its own).`,
      'Workers that have not registered the task answer "unknown task".',
    ]),
  run: (controls, r) => controls.rateLimit(r.taskName, r.rate, r.destination),
  guard: needTaskNameAndWorker,
  start: (sel) => ({ seed: { taskName: selectedTaskName(sel)! } }),
  prompt: {
    label: 'rate',
    title: (seed) => `Rate limit of ${s(seed.taskName)}`,
    lines: () => ['Tasks per second, minute or hour on each worker: 10/m, 5/s, 100/h, 2; none removes it.'],
    parse: (seed, draft) => {
      const text = draft.trim();
      if (text.toLowerCase() === 'none') return { taskName: seed.taskName, rate: null };
      if (!ratePattern.test(text))
        return { error: 'type a rate like 10/m, 5/s, 100/h or 2 (per second), or none' };
      return { taskName: seed.taskName, rate: text };
    },
  },
});

function limitWord(word: string): number | null | undefined {
  if (word === 'none') return null;
  const value = secondsPattern.test(word) ? Number(word) : Number.NaN;
  return value > 0 ? value : undefined;
}

const limitText = (value: number | null) => (value === null ? 'none' : `${value} s`);

export const timeLimit = defineAction<
  { taskName: string; soft: number | null; hard: number | null; destination?: Destination },
  { taskName: string }
>({
  id: 'task.time-limit',
  target: 'task-name',
  log: 'time-limit',
  cli: 'time-limit <task-name> <soft> <hard>',
  writes: true,
  confirm: 'dialog',
  label: 'time limits',
  help: "Set the task name's soft and hard time limits on every worker: you type SOFT HARD seconds.",
  describe: (r) => `task ${r.taskName} on ${onWorkers(r.destination)}`,
  dialog: (r) =>
    plain('Time limits', 'Set', [
      `Set the time limits of task ${s(r.taskName)} on every worker (time_limit):`,
      `soft ${limitText(r.soft)}, hard ${limitText(r.hard)}. Tasks that start after this get them.`,
    ]),
  run: (controls, r) => controls.timeLimit(r.taskName, r.soft, r.hard, r.destination),
  guard: needTaskNameAndWorker,
  start: (sel) => ({ seed: { taskName: selectedTaskName(sel)! } }),
  prompt: {
    label: 'SOFT HARD',
    title: (seed) => `Time limits of ${s(seed.taskName)}`,
    lines: () => ['Seconds, soft then hard (none for no limit): 50 60, none 60; none alone removes both.'],
    parse: (seed, draft) => {
      const words = draft
        .trim()
        .toLowerCase()
        .split(/[\s,]+/)
        .filter(Boolean);
      const [soft, hard] = words.length === 1 && words[0] === 'none' ? [null, null] : words.map(limitWord);
      if (words.length > 2 || soft === undefined || hard === undefined)
        return { error: 'type SOFT HARD in seconds > 0 or none (e.g. 50 60, none 60), or none' };
      if (soft !== null && hard !== null && soft > hard)
        return { error: 'the soft limit must not exceed the hard one' };
      return { taskName: seed.taskName, soft, hard };
    },
  },
});
