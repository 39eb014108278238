/**
 * Control actions as data: what the operator asked for, how the log names it, and the one place
 * a request becomes a `Controls` call. Keeping requests as plain values lets the confirmation
 * (confirmations.ts) and the value prompt live in UI state and be tested.
 */
import type { ControlOutcome, Controls, Destination, Signal } from '../src/control.js';

/** One control action an operator asked for, as plain data (it lives in UI state while confirmed). */
export type ControlRequest =
  | { command: 'revoke'; taskIds: string[]; name: string | null; state: string | null }
  | { command: 'terminate'; taskIds: string[]; name: string | null; signal: Signal }
  | { command: 'retry'; taskIds: string[]; name: string | null }
  /** Every failed task of a name (a mass action: the name must be typed); `groups` by exception. */
  | {
      command: 'retry-failed';
      name: string;
      count: number;
      groups: { excType: string | null; count: number }[];
    }
  | { command: 'pool-grow' | 'pool-shrink'; worker: string; n: number }
  /**
   * A queue hint applied: grow each consumer's pool by its share of `add` slots. With no
   * `grows` qtop cannot apply it, and `advice` says the change to make instead.
   */
  | {
      command: 'hint-apply';
      queue: string;
      add: number;
      grows: { worker: string; n: number }[];
      advice: string | null;
    }
  | { command: 'autoscale'; worker: string; max: number; min: number }
  /** On every worker; `rate` null removes the limit. */
  | { command: 'rate-limit'; taskName: string; rate: string | null }
  | { command: 'time-limit'; taskName: string; soft: number | null; hard: number | null }
  /**
   * One worker's consumer of one queue. When `choose` names a field, the confirmation lists
   * `options` for it (workers of a queue, queues of a worker) and the pick replaces the field.
   */
  | {
      command: 'consumer-add' | 'consumer-cancel';
      queue: string;
      worker: string;
      choose: 'worker' | 'queue' | null;
      options: string[];
    }
  /** `consumers`: who consumed it at the last inspect (the pause itself asks the workers live). */
  | { command: 'queue-pause'; queue: string; consumers: string[] }
  /** `workers`: the ones this qtop's pause cancelled, which the resume re-adds. */
  | { command: 'queue-resume'; queue: string; workers: string[] }
  | { command: 'message-delete'; queue: string; taskId: string; name: string | null }
  | { command: 'message-move'; queue: string; taskId: string; name: string | null; toQueue: string }
  /** Warm shutdown; `active` is how many tasks it runs now (it finishes them first), null if unknown. */
  | { command: 'shutdown'; worker: string; active: number | null }
  | { command: 'ping'; destination: Destination }
  | { command: 'purge'; queue: string; ready: number }
  | { command: 'enable-events' | 'disable-events' };

/** Signals a terminate can send, in the order the dialog offers them (TERM first: the gentlest). */
export const signals: Signal[] = ['TERM', 'KILL', 'INT', 'USR1'];

/** The command as the log names it: 'queue pause', 'rate limit'. */
export function commandName(request: ControlRequest): string {
  return request.command.replace('-', ' ');
}

/** Who the command goes to, as the log names it. */
export function targetName(request: ControlRequest): string {
  switch (request.command) {
    case 'revoke':
    case 'terminate':
    case 'retry':
      return request.taskIds.length === 1
        ? `task ${request.taskIds[0]}`
        : `${request.taskIds.length} tasks of ${request.name ?? '?'}`;
    case 'retry-failed':
      return `${request.count} failed ${request.name}`;
    case 'pool-grow':
    case 'pool-shrink':
    case 'autoscale':
    case 'shutdown':
      return `worker ${request.worker}`;
    case 'rate-limit':
    case 'time-limit':
      return `task ${request.taskName} on all workers`;
    case 'consumer-add':
    case 'consumer-cancel':
      return `queue ${request.queue} on ${request.worker}`;
    case 'ping':
      return request.destination === 'all' ? 'all workers' : request.destination.join(',');
    case 'purge':
    case 'queue-pause':
    case 'queue-resume':
    case 'hint-apply':
      return `queue ${request.queue}`;
    case 'message-delete':
      return `task ${request.taskId} in ${request.queue}`;
    case 'message-move':
      return `task ${request.taskId} ${request.queue} → ${request.toQueue}`;
    case 'enable-events':
    case 'disable-events':
      return 'all workers';
  }
}

/** The request with the dialog's pick (index into its choices) filled in. */
export function withChoice(request: ControlRequest, choice: number): ControlRequest {
  if (request.command === 'terminate') return { ...request, signal: signals[choice] ?? 'TERM' };
  if ((request.command === 'consumer-add' || request.command === 'consumer-cancel') && request.choose) {
    const picked = request.options[choice];
    return picked === undefined ? request : { ...request, [request.choose]: picked };
  }
  return request;
}

/** Grow every pool of the split; one outcome for all of them (ok when every grow was). */
async function applyHint(
  controls: Controls,
  grows: { worker: string; n: number }[],
): Promise<ControlOutcome> {
  if (grows.length === 0)
    return { ok: true, summary: 'nothing sent: qtop cannot apply this hint', replies: [] };
  const outcomes = await Promise.all(grows.map((g) => controls.poolGrow(g.worker, g.n)));
  return {
    ok: outcomes.every((o) => o.ok),
    summary: outcomes.map((o, i) => `${grows[i]!.worker} +${grows[i]!.n}: ${o.summary}`).join('; '),
    replies: outcomes.flatMap((o) => o.replies),
  };
}

function call(controls: Controls, r: ControlRequest): Promise<ControlOutcome> {
  switch (r.command) {
    case 'revoke':
      return controls.revoke(r.taskIds);
    case 'terminate':
      return controls.revoke(r.taskIds, { terminate: true, signal: r.signal });
    case 'retry':
      return controls.retry(r.taskIds);
    case 'retry-failed':
      return controls.retryFailed(r.name);
    case 'pool-grow':
      return controls.poolGrow(r.worker, r.n);
    case 'pool-shrink':
      return controls.poolShrink(r.worker, r.n);
    case 'hint-apply':
      return applyHint(controls, r.grows);
    case 'autoscale':
      return controls.autoscale(r.worker, r.max, r.min);
    case 'rate-limit':
      return controls.rateLimit(r.taskName, r.rate);
    case 'time-limit':
      return controls.timeLimit(r.taskName, r.soft, r.hard);
    case 'consumer-add':
      return controls.addConsumer(r.queue, [r.worker]);
    case 'consumer-cancel':
      return controls.cancelConsumer(r.queue, [r.worker]);
    case 'queue-pause':
      return controls.pauseQueue(r.queue);
    case 'queue-resume':
      return controls.resumeQueue(r.queue);
    case 'message-delete':
      return controls.deleteMessage(r.queue, r.taskId);
    case 'message-move':
      return controls.moveMessage(r.queue, r.taskId, r.toQueue);
    case 'shutdown':
      return controls.shutdown(r.worker);
    case 'ping':
      return controls.ping(r.destination);
    case 'purge':
      return controls.purgeQueue(r.queue);
    case 'enable-events':
    case 'disable-events':
      return controls.setEvents(r.command === 'enable-events');
  }
}

/** Run the request through the injected controls; a thrown error becomes a failed outcome. */
export async function execute(controls: Controls, request: ControlRequest): Promise<ControlOutcome> {
  try {
    return await call(controls, request);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, summary: `failed: ${message.split('\n')[0]}`, replies: [] };
  }
}
