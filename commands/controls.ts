/**
 * `createControls`: THE implementation of the `Controls` interface (src/control.ts) that views receive
 * injected, and that the CLI subcommands call too, so each action exists once. Every write qtop makes
 * to Redis is in the action files this wires together; each respects the write gate and resolves with
 * an outcome (never throws for an expected failure) that is also handed to `onLog`.
 */
import type { Redis } from 'ioredis';
import { replyBindingKey } from '../src/celery/names.js';
import type { WireOptions } from '../src/celery/options.js';
import type { ControlOutcome, Controls, Destination } from '../src/control.js';
import { addConsumer, cancelConsumer, pauseQueue, resumeQueue } from './consumers.js';
import type { ControlsContext } from './control-context.js';
import { isNoPerm, noPermReason } from './control-outcome.js';
import { createRuntime } from './control-runtime.js';
import { setEvents } from './events.js';
import { inspect } from './inspect-cli.js';
import { ping } from './ping.js';
import { autoscale, poolResize } from './pool.js';
import { purgeQueue } from './purge.js';
import { deleteMessage, moveMessage } from './queue-message.js';
import { rateLimit, timeLimit } from './rate-limit.js';
import { retry, retryFailed } from './retry.js';
import { revoke } from './revoke.js';
import { shutdown } from './shutdown.js';

// The context types and the store lookup, so callers need only this module.
export type { ControlLookup, ControlsContext, ControlTask } from './control-context.js';
export { controlsFromStore } from './control-lookup.js';

/** Controls plus what only the CLI and the process owner need. */
export interface ControlsHandle extends Controls {
  /** Read-only inspect round (`qtop inspect WHAT`); allowed in read-only mode. */
  inspect(what: string, destination?: Destination): Promise<ControlOutcome>;
  /** Close the dedicated reply connection (the caller owns `broker` and `backend`). */
  close(): void;
}

/** Build the controls over `ctx`. Rounds run one at a time on a reply connection of their own. */
export function createControls(ctx: ControlsContext): ControlsHandle {
  const rt = createRuntime(ctx);
  const log = async (command: string, target: string, run: Promise<ControlOutcome>) => {
    const result = await run;
    ctx.onLog?.({ at: ctx.clock.now(), command, target, outcome: result });
    return result;
  };
  const on = (d?: Destination) => (d === undefined || d === 'all' ? 'all workers' : d.join(', '));
  return {
    get canWrite() {
      return rt.writeBlock() === null;
    },
    get readOnlyReason() {
      return rt.writeBlock()?.reason ?? null;
    },
    revoke: (ids, options) => log('revoke', ids.join(' '), revoke(rt, ids, options)),
    retry: (ids, options) => log('retry', ids.join(' '), retry(rt, ids, options)),
    retryFailed: (name, options) => log('retry --failed', name, retryFailed(rt, name, options)),
    poolGrow: (w, n) => log('pool grow', `${w} +${n}`, poolResize(rt, w, n, true)),
    poolShrink: (w, n) => log('pool shrink', `${w} -${n}`, poolResize(rt, w, n, false)),
    autoscale: (w, max, min) => log('autoscale', `${w} max=${max} min=${min}`, autoscale(rt, w, max, min)),
    rateLimit: (t, r, d) => log('rate-limit', `${t} ${r ?? 'none'} on ${on(d)}`, rateLimit(rt, t, r, d)),
    timeLimit: (t, s, h, d) =>
      log('time-limit', `${t} soft=${s} hard=${h} on ${on(d)}`, timeLimit(rt, t, s, h, d)),
    addConsumer: (q, d) => log('consumer add', `${q} on ${on(d)}`, addConsumer(rt, q, d)),
    cancelConsumer: (q, d) => log('consumer cancel', `${q} on ${on(d)}`, cancelConsumer(rt, q, d)),
    pauseQueue: (q) => log('queue pause', q, pauseQueue(rt, q)),
    resumeQueue: (q, workers) => log('queue resume', q, resumeQueue(rt, q, workers)),
    pausedOn: (q) => [...(rt.paused.get(q) ?? [])],
    setEvents: (enabled, d) => log(`events ${enabled ? 'on' : 'off'}`, on(d), setEvents(rt, enabled, d)),
    purgeQueue: (q) => log('purge', q, purgeQueue(rt, q)),
    deleteMessage: (q, id) => log('message delete', `${id} in ${q}`, deleteMessage(rt, q, id)),
    moveMessage: (q, id, to) => log('message move', `${id} ${q} -> ${to}`, moveMessage(rt, q, id, to)),
    shutdown: (w) => log('shutdown', w, shutdown(rt, w)),
    // Read-only rounds: not logged as commands.
    ping: (d) => ping(rt, d),
    inspect: (what, d) => inspect(rt, what, d),
    close: () => rt.close(),
  };
}

/**
 * `createControls` for a long-lived screen: unless read-only already, first probe whether the Redis
 * user may write, so keys for writes can be disabled with the reason before one is pressed.
 */
export async function openControls(ctx: ControlsContext): Promise<ControlsHandle> {
  if (ctx.readOnly) return createControls(ctx);
  const denied = await probeWriteAccess(ctx.broker, ctx.wire);
  return createControls(denied ? { ...ctx, writeDenied: denied } : ctx);
}

/**
 * Whether this Redis user may write, found without changing anything: an SREM of a member that is
 * never there, on the reply binding set every control round writes (an ACL `ACL DRYRUN` would need
 * admin rights). Resolves null when writes work, else the reason; other errors reject.
 */
export async function probeWriteAccess(broker: Redis, wire: WireOptions): Promise<string | null> {
  try {
    await broker.srem(replyBindingKey(wire), 'qtop-write-probe (never a member)');
    return null;
  } catch (error) {
    if (isNoPerm(error)) return noPermReason(error);
    throw error;
  }
}
