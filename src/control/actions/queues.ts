/** The queue actions: purge, pause and resume, and delete or move of one waiting message. */
import { defineAction } from '../action.js';
import type { ExchangeTypeOverrides } from '../controls.js';
import { needMessage, selected } from '../selection.js';
import { list, plain, s } from './text.js';

const noQueue = 'no queue selected';

export const purge = defineAction<{ queue: string; ready: number }>({
  id: 'queue.purge',
  target: 'queue',
  log: 'purge',
  cli: 'purge <queue> --confirm <queue>',
  writes: true,
  confirm: 'typed-name',
  label: 'purge',
  help: 'Purge the queue: delete every ready message (you type the queue name to confirm).',
  describe: (r) => `queue ${r.queue}`,
  dialog: (r) => ({
    ...plain('Purge queue', 'Purge', [
      `Delete every ready message of queue '${s(r.queue)}' (${r.ready} now, all priority lists).`,
      'Messages workers have already reserved are not touched. This cannot be undone.',
    ]),
    typeToConfirm: r.queue,
  }),
  run: (controls, r) => controls.purgeQueue(r.queue),
  guard: (sel) => {
    const q = selected(sel, 'queue');
    if (!q) return noQueue;
    return q.ready === 0 ? `queue ${q.name} has no ready messages` : null;
  },
  start: (sel) => {
    const q = selected(sel, 'queue')!;
    return { params: { queue: q.name, ready: q.ready } };
  },
});

/** `consumers`: who consumed it at the last inspect (the pause itself asks the workers live). */
export const queuePause = defineAction<{ queue: string; consumers: string[] }>({
  id: 'queue.pause',
  target: 'queue',
  log: 'queue pause',
  cli: 'queue pause <queue>',
  writes: true,
  confirm: 'dialog',
  label: 'pause queue',
  help: 'Pause the queue: cancel its consumer on every worker consuming it (qtop remembers which).',
  describe: (r) => `queue ${r.queue}`,
  dialog: (r) =>
    plain('Pause queue', 'Pause', [
      `Cancel the consumer of queue '${s(r.queue)}' on every worker consuming it now`,
      `(asked live with active_queues; at the last inspect: ${list(r.consumers)}).`,
      'Messages keep arriving and wait. Resume (U) re-adds exactly those workers.',
    ]),
  run: (controls, r) => controls.pauseQueue(r.queue),
  guard: (sel) => {
    const q = selected(sel, 'queue');
    if (!q) return noQueue;
    if (sel.pausedOn(q.name).length > 0) return `queue ${q.name} is already paused (U resumes it)`;
    return sel.consumersOf(q.name).length === 0
      ? `no worker up consumes queue ${q.name} (as of the last inspect)`
      : null;
  },
  start: (sel) => {
    const name = selected(sel, 'queue')!.name;
    return { params: { queue: name, consumers: sel.consumersOf(name) } };
  },
});

/** `workers`: the ones this qtop's pause cancelled, which the resume re-adds. */
export const queueResume = defineAction<{ queue: string; workers: string[] }>({
  id: 'queue.resume',
  target: 'queue',
  log: 'queue resume',
  cli: 'queue resume <queue> -w <worker>',
  writes: true,
  confirm: 'dialog',
  label: 'resume queue',
  help: 'Resume a queue this qtop paused: re-add its consumer on exactly the workers it was cancelled on.',
  describe: (r) => `queue ${r.queue}`,
  dialog: (r) =>
    plain('Resume queue', 'Resume', [
      `Re-add the consumer of queue '${s(r.queue)}' on ${list(r.workers)}:`,
      'the workers this qtop paused it on. They start taking its messages at once.',
    ]),
  run: (controls, r) => controls.resumeQueue(r.queue, r.workers),
  guard: (sel) => {
    const q = selected(sel, 'queue');
    if (!q) return noQueue;
    return sel.pausedOn(q.name).length === 0
      ? `queue ${q.name} was not paused by this qtop (another run's pause: qtop queue resume ${q.name} -w W)`
      : null;
  },
  start: (sel) => {
    const name = selected(sel, 'queue')!.name;
    return { params: { queue: name, workers: sel.pausedOn(name) } };
  },
});

interface MessageRef {
  queue: string;
  taskId: string;
  name: string | null;
}

export const messageDelete = defineAction<MessageRef>({
  id: 'message.delete',
  target: 'message',
  log: 'message delete',
  cli: 'message delete <queue> <task-id>',
  writes: true,
  confirm: 'dialog',
  label: 'delete msg',
  help: 'Delete the selected waiting message from the queue: exactly that one, atomically.',
  describe: (r) => `task ${r.taskId} in ${r.queue}`,
  dialog: (r) =>
    plain('Delete message', 'Delete', [
      `Delete the waiting message of task ${s(r.taskId)} (${s(r.name)}) from queue '${s(r.queue)}'.`,
      'Exactly that message, atomically: if a worker takes it first, nothing is deleted.',
      'The task will never run. This cannot be undone.',
    ]),
  run: (controls, r) => controls.deleteMessage(r.queue, r.taskId),
  guard: needMessage,
  start: (sel) => {
    const m = sel.message!;
    return { params: { queue: m.queue, taskId: m.id, name: m.name } };
  },
});

export const messageMove = defineAction<
  MessageRef & { toQueue: string; exchangeTypes?: ExchangeTypeOverrides },
  MessageRef
>({
  id: 'message.move',
  target: 'message',
  log: 'message move',
  cli: 'message move <queue> <task-id> --to <queue>',
  writes: true,
  confirm: 'dialog',
  label: 'move msg',
  help: 'Move the selected waiting message to another queue you type, atomically, keeping its priority.',
  describe: (r) => `task ${r.taskId} ${r.queue} → ${r.toQueue}`,
  dialog: (r) =>
    plain('Move message', 'Move', [
      `Move the waiting message of task ${s(r.taskId)} (${s(r.name)})`,
      `from queue '${s(r.queue)}' to queue '${s(r.toQueue)}', keeping its priority.`,
      'Its delivery_info is set so a later kombu restore puts it back in that queue.',
      'Atomic: if a worker takes it first, nothing moves.',
    ]),
  run: (controls, r) =>
    r.exchangeTypes
      ? controls.moveMessage(r.queue, r.taskId, r.toQueue, { exchangeTypes: r.exchangeTypes })
      : controls.moveMessage(r.queue, r.taskId, r.toQueue),
  guard: needMessage,
  start: (sel) => {
    const m = sel.message!;
    return { seed: { queue: m.queue, taskId: m.id, name: m.name } };
  },
  prompt: {
    label: 'to queue',
    title: (seed) => `Move task ${s(seed.taskId)}`,
    lines: (seed) => [`The queue to move it to from '${s(seed.queue)}'; it keeps its priority.`],
    parse: (seed, draft) => {
      const text = draft.trim();
      if (!/^\S+$/.test(text)) return { error: 'type a queue name (no spaces)' };
      if (text === seed.queue) return { error: `the message is already in '${s(text)}'` };
      return { ...seed, toQueue: text };
    },
  },
});
