/**
 * The confirmation of each control request: exactly what will happen and to whom, in qtop's
 * words with the cluster's names sanitized. Mass actions (purge, bulk retry, shutdown) ask for
 * the target's name typed; harmless or easily undone ones (pool grow, ping, events on) run at once.
 */
import { type ControlRequest, signals } from './control-requests.js';
import { sanitize } from './sanitize.js';
import type { ConfirmState } from './ui-state.js';

type Dialog = Omit<ConfirmState, 'typed' | 'focus' | 'choice'>;

const s = (text: string | null) => sanitize(text ?? '?');
const list = (names: string[]) => (names.length === 0 ? 'none' : names.map(s).join(', '));

function task(r: { taskIds: string[]; name: string | null }): string {
  return r.taskIds.length === 1 ? `task ${s(r.taskIds[0]!)} (${s(r.name)})` : s(r.name);
}

function running(active: number | null): string {
  if (active === null) return 'finishes the tasks it is running';
  return active === 0
    ? 'has no task running'
    : `finishes the ${active} task${active === 1 ? '' : 's'} it is running`;
}

function limitText(value: number | null): string {
  return value === null ? 'none' : `${value} s`;
}

/** The confirmation for a request, or null when it runs without one (harmless, reversible). */
export function confirmation(request: ControlRequest): Dialog | null {
  const base = { request, typeToConfirm: null, choices: null };
  const r = request;
  switch (r.command) {
    case 'revoke':
      return {
        ...base,
        title: 'Revoke task',
        confirmLabel: 'Revoke',
        lines: [
          `Broadcast revoke for ${task(r)}, state ${r.state ?? '?'}, to every worker.`,
          'A worker that has not started it discards it; a running task keeps running',
          '(use terminate for that). Workers remember revoked ids until they restart.',
        ],
      };
    case 'terminate':
      return {
        ...base,
        title: 'Terminate task',
        confirmLabel: 'Terminate',
        choices: signals.map((signal) => `SIG${signal}`),
        lines: [
          `Revoke ${task(r)} and signal the pool process running it.`,
          'Pick the signal with up/down: TERM lets it clean up, KILL does not.',
        ],
      };
    case 'retry':
      return {
        ...base,
        title: 'Retry task',
        confirmLabel: 'Retry',
        lines: [
          `Publish a new task reproducing the call of ${task(r)}`,
          'to its original queue, with a new id. The old task is linked to the new one.',
        ],
      };
    case 'retry-failed': {
      const groups = r.groups.map((g) => `${s(g.excType ?? 'unknown exception')} ${g.count}`).join(', ');
      return {
        ...base,
        title: 'Retry failed tasks',
        confirmLabel: `Retry ${r.count}`,
        typeToConfirm: r.name,
        lines: [
          `Publish ${r.count} new task${r.count === 1 ? '' : 's'}, one per failed ${s(r.name)} task qtop holds (${groups}),`,
          'each to its original queue with a new id. Every exception type of this name is included.',
          'Tasks whose call cannot be recovered exactly are refused and listed.',
        ],
      };
    }
    case 'pool-shrink':
      return {
        ...base,
        title: 'Shrink pool',
        confirmLabel: 'Shrink',
        lines: [
          `Ask worker ${s(r.worker)} to stop ${r.n} pool process (pool_shrink).`,
          'A busy process finishes its task first.',
        ],
      };
    case 'autoscale':
      return {
        ...base,
        title: 'Set autoscale',
        confirmLabel: 'Set',
        lines: [
          `Set the autoscale range of worker ${s(r.worker)} to max ${r.max}, min ${r.min} (autoscale).`,
          'A worker started without --autoscale refuses, and its reply says so.',
        ],
      };
    case 'rate-limit':
      return {
        ...base,
        title: 'Rate limit',
        confirmLabel: r.rate === null ? 'Remove' : 'Set',
        lines: [
          r.rate === null
            ? `Remove the rate limit of task ${s(r.taskName)} on every worker (rate_limit).`
            : `Limit task ${s(r.taskName)} to ${s(r.rate)} on every worker (rate_limit; each worker counts its own).`,
          'Workers that have not registered the task answer "unknown task".',
        ],
      };
    case 'time-limit':
      return {
        ...base,
        title: 'Time limits',
        confirmLabel: 'Set',
        lines: [
          `Set the time limits of task ${s(r.taskName)} on every worker (time_limit):`,
          `soft ${limitText(r.soft)}, hard ${limitText(r.hard)}. Tasks that start after this get them.`,
        ],
      };
    case 'consumer-add':
    case 'consumer-cancel':
      return consumerDialog(r);
    case 'queue-pause':
      return {
        ...base,
        title: 'Pause queue',
        confirmLabel: 'Pause',
        lines: [
          `Cancel the consumer of queue '${s(r.queue)}' on every worker consuming it now`,
          `(asked live with active_queues; at the last inspect: ${list(r.consumers)}).`,
          'Messages keep arriving and wait. Resume (U) re-adds exactly those workers.',
        ],
      };
    case 'queue-resume':
      return {
        ...base,
        title: 'Resume queue',
        confirmLabel: 'Resume',
        lines: [
          `Re-add the consumer of queue '${s(r.queue)}' on ${list(r.workers)}:`,
          'the workers this qtop paused it on. They start taking its messages at once.',
        ],
      };
    case 'message-delete':
      return {
        ...base,
        title: 'Delete message',
        confirmLabel: 'Delete',
        lines: [
          `Delete the waiting message of task ${s(r.taskId)} (${s(r.name)}) from queue '${s(r.queue)}'.`,
          'Exactly that message, atomically: if a worker takes it first, nothing is deleted.',
          'The task will never run. This cannot be undone.',
        ],
      };
    case 'message-move':
      return {
        ...base,
        title: 'Move message',
        confirmLabel: 'Move',
        lines: [
          `Move the waiting message of task ${s(r.taskId)} (${s(r.name)})`,
          `from queue '${s(r.queue)}' to queue '${s(r.toQueue)}', keeping its priority.`,
          'Atomic: if a worker takes it first, nothing moves.',
        ],
      };
    case 'shutdown':
      return {
        ...base,
        title: 'Shut down worker',
        confirmLabel: 'Shut down',
        typeToConfirm: r.worker,
        lines: [
          `Warm shutdown of worker ${s(r.worker)}: it stops taking tasks, ${running(r.active)}, and exits.`,
          'It comes back only if something restarts it (systemd, supervisor, Kubernetes).',
          'Messages it reserved but did not start go back to their queues.',
        ],
      };
    case 'disable-events':
      return {
        ...base,
        title: 'Turn task events off',
        confirmLabel: 'Turn off',
        lines: [
          'Send disable_events to every worker: qtop, Flower and any other monitor stop seeing task events.',
          'qtop falls back to polling queues, inspect and results. E turns them on again.',
        ],
      };
    case 'purge':
      return {
        ...base,
        title: 'Purge queue',
        confirmLabel: 'Purge',
        typeToConfirm: r.queue,
        lines: [
          `Delete every ready message of queue '${s(r.queue)}' (${r.ready} now, all priority lists).`,
          'Messages workers have already reserved are not touched. This cannot be undone.',
        ],
      };
    case 'hint-apply':
      return r.grows.length === 0
        ? {
            ...base,
            title: 'Apply hint: qtop cannot',
            confirmLabel: 'OK',
            lines: [
              `Queue '${s(r.queue)}' needs ${r.add} more slot${r.add === 1 ? '' : 's'}; the change to make:`,
              s(r.advice),
            ],
          }
        : {
            ...base,
            title: 'Apply hint',
            confirmLabel: 'Grow',
            lines: [
              `Grow the pool of ${r.grows.map((g) => `${s(g.worker)} by ${g.n}`).join(', ')} (pool_grow):`,
              `${r.add} more slot${r.add === 1 ? '' : 's'} for queue '${s(r.queue)}'. Not kept across a restart: raise --concurrency too.`,
              'A worker started with --autoscale refuses to grow past its max: raise it with A instead.',
            ],
          };
    case 'pool-grow':
    case 'ping':
    case 'enable-events':
      return null;
  }
}

function consumerDialog(r: Extract<ControlRequest, { command: 'consumer-add' | 'consumer-cancel' }>): Dialog {
  const add = r.command === 'consumer-add';
  const queue = r.choose === 'queue' ? 'the queue you pick' : `queue '${s(r.queue)}'`;
  const worker = r.choose === 'worker' ? 'the worker you pick' : `worker ${s(r.worker)}`;
  return {
    request: r,
    typeToConfirm: null,
    choices: r.choose ? r.options.map(s) : null,
    title: add ? 'Add consumer' : 'Cancel consumer',
    confirmLabel: add ? 'Add' : 'Stop consuming',
    lines: [
      ...(add
        ? [`Start consuming ${queue} on ${worker} (add_consumer): it takes messages at once.`]
        : [
            `Stop consuming ${queue} on ${worker} (cancel_consumer).`,
            'Its messages stay queued for the other consumers; nothing is lost.',
          ]),
      ...(r.choose ? [`Pick the ${r.choose} with up/down:`] : []),
    ],
  };
}
