/**
 * The keymap's control bindings: every key that writes to the cluster, one record each (a part
 * of the one keymap table, split out to keep keymap.ts readable; queue and message keys are in
 * queue-bindings.ts). All are `write`, so read-only mode removes them from the footer and help
 * and refuses them with the reason; `danger` ones confirm first (confirmations.ts), and those
 * needing a value ask for it (value-input.ts).
 */
import type { Binding } from './binding.js';
import type { CommandContext } from './command-context.js';
import { finished, needTask, needUpWorker, task, worker } from './command-guards.js';
import { failedGroups, needTaskName, taskName, workerLoad, workersUp } from './control-guards.js';
import { type ControlRequest, signals } from './control-requests.js';
import { splitSlots } from './hint-lines.js';
import { queueBindings } from './queue-bindings.js';
import { sanitize } from './sanitize.js';
import { workerOf } from './view-data.js';

/** Guard: a task name is selected and some worker is up to be told. */
function needNameAndWorker(ctx: CommandContext): string | null {
  return needTaskName(ctx) ?? (workersUp(ctx).length === 0 ? 'no worker is up' : null);
}

/** Workers: pool, consumers, shutdown. */
const workerBindings: Binding[] = [
  {
    id: 'worker.grow',
    keys: ['+'],
    scopes: ['workers', 'worker'],
    label: 'pool +1',
    footer: true,
    write: true,
    help: "Grow the worker's pool by one process (pool_grow).",
    disabledReason: (ctx) =>
      needUpWorker(ctx) ?? (worker(ctx)?.poolType?.includes('solo') ? 'a solo pool cannot grow' : null),
    run: (ctx) => ctx.request({ command: 'pool-grow', worker: worker(ctx)!.hostname, n: 1 }),
  },
  {
    id: 'worker.shrink',
    keys: ['-'],
    scopes: ['workers', 'worker'],
    label: 'pool -1',
    footer: true,
    write: true,
    danger: true,
    help: "Shrink the worker's pool by one process (pool_shrink).",
    disabledReason: (ctx) =>
      needUpWorker(ctx) ?? (worker(ctx)?.poolType?.includes('solo') ? 'a solo pool cannot shrink' : null),
    run: (ctx) => ctx.request({ command: 'pool-shrink', worker: worker(ctx)!.hostname, n: 1 }),
  },
  {
    id: 'worker.autoscale',
    keys: ['A'],
    scopes: ['workers', 'worker'],
    label: 'autoscale',
    write: true,
    danger: true,
    help: "Set the worker's autoscale range: you type MAX MIN (autoscale).",
    disabledReason: needUpWorker,
    run: (ctx) => ctx.ask({ action: 'autoscale', worker: worker(ctx)!.hostname }),
  },
  {
    id: 'worker.consume',
    keys: ['c'],
    scopes: ['workers', 'worker'],
    label: 'add consumer',
    write: true,
    danger: true,
    help: 'Start consuming a queue you type on the worker (add_consumer).',
    disabledReason: needUpWorker,
    run: (ctx) => ctx.ask({ action: 'consumer-add', worker: worker(ctx)!.hostname }),
  },
  {
    id: 'worker.cancel-consumer',
    keys: ['C'],
    scopes: ['workers', 'worker'],
    label: 'cancel consumer',
    write: true,
    danger: true,
    help: 'Stop the worker consuming one of its queues, which you pick (cancel_consumer).',
    disabledReason: (ctx) => {
      const down = needUpWorker(ctx);
      if (down) return down;
      const queues = workerLoad(ctx).queues;
      if (queues === null) return "the worker's queues are not known yet (inspect has not answered)";
      return queues.length === 0 ? 'the worker consumes no queue' : null;
    },
    run: (ctx) => {
      const options = workerLoad(ctx).queues ?? [];
      const hostname = worker(ctx)!.hostname;
      ctx.request({
        command: 'consumer-cancel',
        queue: options[0]!,
        worker: hostname,
        choose: 'queue',
        options,
      });
    },
  },
  {
    id: 'worker.shutdown',
    keys: ['K'],
    scopes: ['workers', 'worker'],
    label: 'shutdown',
    write: true,
    danger: true,
    help: 'Warm shutdown of the worker: it finishes its running tasks and exits (you type its name).',
    disabledReason: needUpWorker,
    run: (ctx) =>
      ctx.request({ command: 'shutdown', worker: worker(ctx)!.hostname, active: workerLoad(ctx).active }),
  },
];

/** Tasks and task names. */
const taskBindings: Binding[] = [
  {
    id: 'task.revoke',
    keys: ['r'],
    scopes: ['tasks', 'task'],
    label: 'revoke',
    footer: true,
    write: true,
    danger: true,
    help: 'Revoke the task: workers discard it if it has not started.',
    disabledReason: (ctx) => {
      const t = task(ctx);
      if (!t) return 'no task selected';
      return finished.includes(t.state) ? `task already finished (${t.state}): nothing to revoke` : null;
    },
    run: (ctx) => {
      const t = task(ctx)!;
      ctx.request({ command: 'revoke', taskIds: [t.id], name: t.name, state: t.state });
    },
  },
  {
    id: 'task.terminate',
    keys: ['T'],
    scopes: ['tasks', 'task'],
    label: 'terminate',
    write: true,
    danger: true,
    help: `Revoke and kill the running task with a signal you choose (${signals.join(', ')}).`,
    disabledReason: (ctx) => {
      const t = task(ctx);
      if (!t) return 'no task selected';
      return ['STARTED', 'RECEIVED'].includes(t.state)
        ? null
        : `terminate is for running tasks; this one is ${t.state}`;
    },
    run: (ctx) => {
      const t = task(ctx)!;
      ctx.request({ command: 'terminate', taskIds: [t.id], name: t.name, signal: 'TERM' });
    },
  },
  {
    id: 'task.retry',
    keys: ['R'],
    scopes: ['tasks', 'task'],
    label: 'retry',
    footer: true,
    write: true,
    danger: true,
    help: 'Publish a new task with the same call (new id) to the original queue.',
    disabledReason: (ctx) => {
      const t = task(ctx);
      if (!t) return needTask(ctx);
      return ['PENDING', 'RECEIVED', 'STARTED'].includes(t.state)
        ? `task is still ${t.state}: retry is for finished tasks`
        : null;
    },
    run: (ctx) => {
      const t = task(ctx)!;
      ctx.request({ command: 'retry', taskIds: [t.id], name: t.name });
    },
  },
  {
    id: 'task.rate-limit',
    keys: ['L'],
    scopes: ['tasks', 'task', 'runtimes'],
    label: 'rate limit',
    write: true,
    danger: true,
    help: "Set or remove the task name's rate limit on every worker: you type 10/m, 5/s, 100/h or none.",
    disabledReason: needNameAndWorker,
    run: (ctx) => ctx.ask({ action: 'rate-limit', taskName: taskName(ctx)! }),
  },
  {
    id: 'task.time-limit',
    keys: ['O'],
    scopes: ['tasks', 'task', 'runtimes'],
    label: 'time limits',
    write: true,
    danger: true,
    help: "Set the task name's soft and hard time limits on every worker: you type SOFT HARD seconds.",
    disabledReason: needNameAndWorker,
    run: (ctx) => ctx.ask({ action: 'time-limit', taskName: taskName(ctx)! }),
  },
  {
    id: 'failures.retry',
    keys: ['R'],
    scopes: ['failures'],
    label: 'retry all',
    footer: true,
    write: true,
    danger: true,
    help: "Retry every failed task of the group's task name that qtop holds (you type the name to confirm).",
    disabledReason: (ctx) => {
      const t = ctx.current.target;
      if (t?.kind !== 'failure') return 'no failure group selected';
      if (t.group.retrying) return 'these tasks are already retrying';
      return t.group.name === null ? 'the task name is not known: retry these one by one from Tasks' : null;
    },
    run: (ctx) => {
      const t = ctx.current.target;
      if (t?.kind !== 'failure' || t.group.name === null) return;
      const groups = failedGroups(ctx, t.group.name).map((g) => ({ excType: g.excType, count: g.count }));
      const count = groups.reduce((sum, g) => sum + g.count, 0);
      ctx.request({ command: 'retry-failed', name: t.group.name, count, groups });
    },
  },
];

/** The selected queue hint, or null. */
function queueHint(ctx: CommandContext) {
  return ctx.current.target?.kind === 'queue-hint' ? ctx.current.target.hint : null;
}

/** The request for the selected hint: its slots split over the up consumers whose pools can grow. */
function hintRequest(ctx: CommandContext): ControlRequest {
  const hint = queueHint(ctx)!;
  const add = hint.addSlots ?? 0;
  const growable = hint.slots.workers
    .map((w) => w.hostname)
    .filter((h) => {
      const w = workerOf(ctx.frames, h);
      return w?.state === 'online' && !w.poolType?.includes('solo');
    });
  const grows = splitSlots(add, growable);
  const advice =
    grows.length > 0
      ? null
      : hint.slots.workers.length === 0
        ? `no worker up consumes it: start workers with -Q ${hint.queue} --concurrency ${add} (or add replicas of the deployment consuming it, ${add} slots in all)`
        : `its consumers cannot grow (solo pools): raise --concurrency, or add replicas (${add} slots in all)`;
  return { command: 'hint-apply', queue: hint.queue, add, grows, advice };
}

/** Hints: apply a queue hint's slots. */
const hintBindings: Binding[] = [
  {
    id: 'hint.apply',
    keys: ['a'],
    scopes: ['hints'],
    label: 'apply',
    footer: true,
    write: true,
    danger: true,
    help: "Apply the queue hint: grow its consumers' pools by the slots to add, split evenly (pool_grow); else say what to change.",
    disabledReason: (ctx) => {
      const hint = queueHint(ctx);
      if (!hint) return 'select a queue hint (findings have a fix to read, not apply)';
      if (hint.addSlots === null) return 'the slots needed are not known yet (see the notes)';
      return hint.addSlots > 0 ? null : `queue ${sanitize(hint.queue)} needs no more slots`;
    },
    run: (ctx) => ctx.request(hintRequest(ctx)),
  },
];

/** Every binding that writes, in the order the help and docs/keys.md list them. */
export const controlBindings: Binding[] = [
  ...queueBindings,
  ...workerBindings,
  ...taskBindings,
  ...hintBindings,
];
