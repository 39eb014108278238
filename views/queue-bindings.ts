/**
 * The keymap's control bindings for events, queues and their waiting messages (a part of the one
 * keymap table, with control-bindings.ts): pause/resume, consumers, purge, and delete or move of
 * one message in a queue's view. All write; read-only mode removes them (see control-bindings.ts).
 */
import type { Binding } from './binding.js';
import { queue } from './command-guards.js';
import { consumersOf, needMessage, queuedMessage, workersUp } from './control-guards.js';

const noQueue = 'no queue selected';

/** Events, queues and their messages, in the order the help and docs/keys.md list them. */
export const queueBindings: Binding[] = [
  {
    id: 'events.enable',
    keys: ['E'],
    scopes: ['global'],
    label: 'events on',
    write: true,
    help: 'Send enable_events to every worker (what `celery control enable_events` does).',
    disabledReason: (ctx) =>
      ctx.events.taskEvents === true
        ? 'task events are already on'
        : ctx.workersUp === 0
          ? 'no worker is up'
          : null,
    run: (ctx) => ctx.request({ command: 'enable-events' }),
  },
  {
    id: 'events.disable',
    keys: ['e'],
    scopes: ['global'],
    label: 'events off',
    write: true,
    danger: true,
    help: 'Send disable_events to every worker: task events stop for every monitor (qtop then polls).',
    disabledReason: (ctx) =>
      ctx.events.taskEvents === false
        ? 'task events are already off'
        : ctx.workersUp === 0
          ? 'no worker is up'
          : null,
    run: (ctx) => ctx.request({ command: 'disable-events' }),
  },
  {
    id: 'queue.purge',
    keys: ['X'],
    scopes: ['queues', 'queue'],
    label: 'purge',
    footer: true,
    write: true,
    danger: true,
    help: 'Purge the queue: delete every ready message (you type the queue name to confirm).',
    disabledReason: (ctx) => {
      const q = queue(ctx);
      if (!q) return noQueue;
      return q.ready === 0 ? `queue ${q.name} has no ready messages` : null;
    },
    run: (ctx) => {
      const q = queue(ctx)!;
      ctx.request({ command: 'purge', queue: q.name, ready: q.ready });
    },
  },
  {
    id: 'queue.pause',
    keys: ['P'],
    scopes: ['queues', 'queue'],
    label: 'pause queue',
    write: true,
    danger: true,
    help: 'Pause the queue: cancel its consumer on every worker consuming it (qtop remembers which).',
    disabledReason: (ctx) => {
      const q = queue(ctx);
      if (!q) return noQueue;
      if (ctx.controls.pausedOn(q.name).length > 0) return `queue ${q.name} is already paused (U resumes it)`;
      return consumersOf(ctx, q.name).length === 0
        ? `no worker up consumes queue ${q.name} (as of the last inspect)`
        : null;
    },
    run: (ctx) => {
      const name = queue(ctx)!.name;
      ctx.request({ command: 'queue-pause', queue: name, consumers: consumersOf(ctx, name) });
    },
  },
  {
    id: 'queue.resume',
    keys: ['U'],
    scopes: ['queues', 'queue'],
    label: 'resume queue',
    write: true,
    danger: true,
    help: 'Resume a queue this qtop paused: re-add its consumer on exactly the workers it was cancelled on.',
    disabledReason: (ctx) => {
      const q = queue(ctx);
      if (!q) return noQueue;
      return ctx.controls.pausedOn(q.name).length === 0
        ? `queue ${q.name} was not paused by this qtop (another run's pause: qtop queue resume ${q.name} -w W)`
        : null;
    },
    run: (ctx) => {
      const name = queue(ctx)!.name;
      ctx.request({ command: 'queue-resume', queue: name, workers: ctx.controls.pausedOn(name) });
    },
  },
  {
    id: 'queue.consume',
    keys: ['c'],
    scopes: ['queues', 'queue'],
    label: 'add consumer',
    write: true,
    danger: true,
    help: 'Start consuming the queue on a worker you pick from those up and not consuming it (add_consumer).',
    disabledReason: (ctx) => {
      const q = queue(ctx);
      if (!q) return noQueue;
      const consuming = consumersOf(ctx, q.name);
      const up = workersUp(ctx);
      if (up.length === 0) return 'no worker is up';
      return up.every((w) => consuming.includes(w)) ? `every worker up already consumes ${q.name}` : null;
    },
    run: (ctx) => {
      const name = queue(ctx)!.name;
      const consuming = consumersOf(ctx, name);
      const options = workersUp(ctx).filter((w) => !consuming.includes(w));
      ctx.request({ command: 'consumer-add', queue: name, worker: options[0]!, choose: 'worker', options });
    },
  },
  {
    id: 'queue.cancel-consumer',
    keys: ['C'],
    scopes: ['queues', 'queue'],
    label: 'cancel consumer',
    write: true,
    danger: true,
    help: 'Stop consuming the queue on one worker you pick from those consuming it (cancel_consumer).',
    disabledReason: (ctx) => {
      const q = queue(ctx);
      if (!q) return noQueue;
      return consumersOf(ctx, q.name).length === 0
        ? `no worker up consumes queue ${q.name} (as of the last inspect)`
        : null;
    },
    run: (ctx) => {
      const name = queue(ctx)!.name;
      const options = consumersOf(ctx, name);
      ctx.request({
        command: 'consumer-cancel',
        queue: name,
        worker: options[0]!,
        choose: 'worker',
        options,
      });
    },
  },
  {
    id: 'message.delete',
    keys: ['d'],
    scopes: ['queue'],
    label: 'delete msg',
    footer: true,
    write: true,
    danger: true,
    help: 'Delete the selected waiting message from the queue: exactly that one, atomically.',
    disabledReason: needMessage,
    run: (ctx) => {
      const m = queuedMessage(ctx)!;
      ctx.request({ command: 'message-delete', queue: m.queue, taskId: m.id, name: m.name });
    },
  },
  {
    id: 'message.move',
    keys: ['m'],
    scopes: ['queue'],
    label: 'move msg',
    footer: true,
    write: true,
    danger: true,
    help: 'Move the selected waiting message to another queue you type, atomically, keeping its priority.',
    disabledReason: needMessage,
    run: (ctx) => {
      const m = queuedMessage(ctx)!;
      ctx.ask({ action: 'message-move', queue: m.queue, taskId: m.id, name: m.name });
    },
  },
];
