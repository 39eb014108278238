/**
 * Warm shutdown of one worker (wire doc 7.3: `shutdown` never replies, the worker raises before it
 * can). So it is sent as a cast, and success is observed instead: a warm shutdown removes the
 * worker's member from the pidbox binding set `_kombu.binding.celery.pidbox` (wire doc 3.1) and
 * sends `worker-offline`. The worker first finishes its running tasks, which may take longer than
 * qtop watches; that is reported, not treated as a failure of the request.
 */
import { bindingMember, mailboxBindingKey, mailboxExchange } from '../../src/celery/names.js';
import type { ControlOutcome } from '../../src/control/controls.js';
import { outcome } from './outcome.js';
import type { ControlRuntime } from './runtime.js';

const POLL_MS = 100;

/** Ask `worker` to shut down warmly and watch it leave the pidbox binding set. */
export async function shutdown(rt: ControlRuntime, worker: string): Promise<ControlOutcome> {
  const refused = rt.refuseWrite();
  if (refused) return refused;
  const { ctx } = rt;
  try {
    const resolved = await rt.resolve([worker]);
    if ('summary' in resolved) return resolved;
    const node = resolved.expect[0]!;
    await rt.round({ method: 'shutdown', arguments: {}, destination: [node] }, [node], false);
    const key = mailboxBindingKey(ctx.wire);
    const member = bindingMember(ctx.wire, '', '', `${node}.${mailboxExchange(ctx.wire)}`);
    const waitMs = ctx.shutdownWaitMs ?? ctx.timeoutMs;
    const deadline = ctx.clock.now() + waitMs;
    for (;;) {
      if ((await ctx.broker.sismember(key, member)) === 0) {
        return outcome('done', `${node} shut down (it left the pidbox binding set)`, [
          { node, status: 'ok', message: 'shut down' },
        ]);
      }
      ctx.signal?.throwIfAborted();
      if (ctx.clock.now() >= deadline) break;
      await new Promise((resolve) => ctx.clock.setTimeout(() => resolve(null), POLL_MS));
    }
    return outcome(
      'partial',
      `shutdown sent to ${node}, but it is still running after ${(waitMs / 1000).toFixed(1)} s ` +
        '(a warm shutdown first finishes the tasks it is running)',
      [{ node, status: 'no-reply', message: 'still in the pidbox binding set' }],
    );
  } catch (error) {
    return rt.failed(error, 'shutdown');
  }
}
