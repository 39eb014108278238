/**
 * Queue consumers: `add_consumer` / `cancel_consumer` (wire doc 7.3), and pause/resume of a queue.
 *
 * Celery has no pause. Cancelling the queue's consumer on every worker that consumes it stops the
 * queue from being served while messages keep arriving; re-adding the consumer on exactly those
 * workers resumes it. Who consumed it is asked live (`active_queues`), not taken from the model, and
 * remembered in this process only (the runtime's `paused` map): Redis holds no record of it, so a
 * new qtop (or a CLI run) must be told the workers, which `pause` prints.
 */
import type { Json } from '../../src/celery/types.js';
import type { ControlOutcome, Destination } from '../../src/control/controls.js';
import { fromReplies, outcome } from './outcome.js';
import { type ControlRuntime, sendCommand } from './runtime.js';

/** Start consuming `queue` on `destination`; the worker declares it (creates its binding). */
export function addConsumer(rt: ControlRuntime, queue: string, destination: Destination = 'all') {
  const refused = rt.refuseWrite() ?? badQueue(queue);
  if (refused) return Promise.resolve(refused);
  // What `celery control add_consumer` sends: exchange and routing key default to the queue name.
  const args = { queue, exchange: null, exchange_type: 'direct', routing_key: null };
  return sendCommand(
    rt,
    destination,
    { method: 'add_consumer', arguments: args },
    (t) => `consuming ${queue} on ${t}`,
  );
}

/** Stop consuming `queue` on `destination`; its messages stay queued and its binding stays. */
export function cancelConsumer(rt: ControlRuntime, queue: string, destination: Destination = 'all') {
  const refused = rt.refuseWrite() ?? badQueue(queue);
  if (refused) return Promise.resolve(refused);
  return sendCommand(
    rt,
    destination,
    { method: 'cancel_consumer', arguments: { queue } },
    (t) => `no longer consuming ${queue} on ${t}`,
  );
}

/**
 * Workers fetch with one BRPOP over all their lists and a 1 s timeout (wire doc 3.2), so a BRPOP
 * issued before `cancel_consumer` can still take a message of the queue until it returns. Seen
 * in CI: a task sent right after the pause replies was taken. Pause reports done only after
 * that window, so "paused" means no worker takes a new message.
 */
export const fetchSettleMs = 1_250;

/** Resolves after `ms` on `rt`'s clock, or at once when the run is interrupted. */
function settle(rt: ControlRuntime, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const signal = rt.ctx.signal;
    if (signal?.aborted) return resolve();
    const timer = rt.ctx.clock.setTimeout(done, ms);
    function done() {
      rt.ctx.clock.clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Cancel `queue`'s consumer on every worker that consumes it now, and remember exactly those. */
export async function pauseQueue(rt: ControlRuntime, queue: string): Promise<ControlOutcome> {
  const refused = rt.refuseWrite() ?? badQueue(queue);
  if (refused) return refused;
  try {
    const live = await rt.liveWorkers();
    if (live.length === 0) return outcome('not-found', 'no workers: no worker is running on this broker');
    const asked = await rt.round({ method: 'active_queues', destination: null }, live);
    const consumers = asked.round.replies.filter((r) => consumes(r.value, queue)).map((r) => r.node);
    const unasked = asked.replies.filter((r) => r.status !== 'ok').map((r) => r.node);
    if (consumers.length === 0) {
      const note = unasked.length ? ` (no answer from ${unasked.join(', ')})` : '';
      return outcome('not-found', `no running worker consumes queue '${queue}'${note}`, asked.replies);
    }
    const { replies } = await rt.round(
      { method: 'cancel_consumer', arguments: { queue }, destination: consumers },
      consumers,
    );
    const paused = replies.filter((r) => r.status === 'ok').map((r) => r.node);
    if (paused.length > 0) await settle(rt, fetchSettleMs);
    const memory = rt.paused.get(queue) ?? new Set<string>();
    for (const node of paused) memory.add(node);
    rt.paused.set(queue, memory);
    const resume = `qtop queue resume ${queue} ${[...memory].map((n) => `--worker ${n}`).join(' ')}`;
    const done = `paused queue ${queue}: consumer cancelled on ${paused.join(', ')}; resume with: ${resume}`;
    return fromReplies(done, replies, { queue, workers: [...memory], resume, notAsked: unasked });
  } catch (error) {
    return rt.failed(error, 'pause');
  }
}

/** Re-add `queue`'s consumer on the workers `pauseQueue` remembered, or on `workers` when given. */
export async function resumeQueue(
  rt: ControlRuntime,
  queue: string,
  workers?: string[],
): Promise<ControlOutcome> {
  const refused = rt.refuseWrite() ?? badQueue(queue);
  if (refused) return refused;
  const memory = rt.paused.get(queue);
  const targets = workers?.length ? workers : [...(memory ?? [])];
  if (targets.length === 0) {
    return outcome(
      'refused',
      `refused: this qtop did not pause '${queue}', so it does not know which workers to resume; ` +
        'name them with --worker (qtop queue pause prints them)',
    );
  }
  const result = await addConsumer(rt, queue, targets);
  for (const reply of result.replies) if (reply.status === 'ok') memory?.delete(reply.node);
  if (memory?.size === 0) rt.paused.delete(queue);
  return { ...result, summary: result.summary.replace(/^consuming/, `resumed: consuming`) };
}

/** Whether an `active_queues` reply value (a list of queue declarations) names `queue`. */
export function consumes(value: Json, queue: string): boolean {
  return (
    Array.isArray(value) &&
    value.some((q) => q !== null && typeof q === 'object' && !Array.isArray(q) && q.name === queue)
  );
}

function badQueue(queue: string): ControlOutcome | null {
  return queue ? null : outcome('refused', 'refused: a queue name is required');
}
