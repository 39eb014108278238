/**
 * What the control bindings (control-bindings.ts) need to know about the selection beyond
 * command-guards.ts: the waiting message a queue line shows, who consumes a queue, what a
 * worker consumes and runs, the task name an action applies to, and a name's failure groups.
 * All read the frame memo, so a key acts on what the screen shows.
 */
import type { FailureGroup } from '../src/store/select-failures.js';
import type { CommandContext } from './command-context.js';
import { queue, task, worker } from './command-guards.js';
import type { QueuedMessage } from './detail-lines.js';
import { failuresOf, workerOf, workersOf } from './view-data.js';

/** The waiting message on the selected line of a queue's detail (peek or search), or null. */
export function queuedMessage(ctx: CommandContext): (QueuedMessage & { queue: string }) | null {
  const view = ctx.current.view;
  const message = ctx.current.lines?.[ctx.current.index]?.message;
  return view.kind === 'queue' && message ? { ...message, queue: view.name } : null;
}

/** Guard: a waiting message must be selected. */
export function needMessage(ctx: CommandContext): string | null {
  return queuedMessage(ctx) ? null : 'select a waiting message (under Next messages or a search)';
}

/** Hostnames of workers up now, by name. */
export function workersUp(ctx: CommandContext): string[] {
  return workersOf(ctx.frames)
    .filter((w) => w.state === 'online')
    .map((w) => w.hostname);
}

/** Workers up now that consumed `name` at the last inspect (`active_queues`). */
export function consumersOf(ctx: CommandContext, name: string): string[] {
  return workersOf(ctx.frames)
    .filter((w) => w.state === 'online' && w.queues?.includes(name))
    .map((w) => w.hostname);
}

/** The selected worker's queues and running task count, as the last inspect saw them. */
export function workerLoad(ctx: CommandContext): { queues: string[] | null; active: number | null } {
  const w = worker(ctx);
  const detail = w ? workerOf(ctx.frames, w.hostname) : null;
  return { queues: detail?.queues ?? null, active: detail?.busy ?? detail?.activeCount ?? null };
}

/** The task name a limit applies to: the selected task's, or the selected runtime row's. */
export function taskName(ctx: CommandContext): string | null {
  const target = ctx.current.target;
  if (target?.kind === 'task-name') return target.name;
  return task(ctx)?.name ?? null;
}

/** Guard: the selection must name a task. */
export function needTaskName(ctx: CommandContext): string | null {
  if (taskName(ctx)) return null;
  return task(ctx) ? 'the task name of this task is not known yet' : 'no task or task name selected';
}

/** The failure groups (not retrying) of `name`: what a bulk retry of that name covers. */
export function failedGroups(ctx: CommandContext, name: string): FailureGroup[] {
  return failuresOf(ctx.frames).filter((g) => g.name === name && !g.retrying);
}

/** The selected queue's name, from a queue row or a queue's detail. */
export function queueName(ctx: CommandContext): string | null {
  return queue(ctx)?.name ?? null;
}
