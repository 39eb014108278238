/**
 * `createControls`: THE implementation of the `Controls` interface (src/control.ts) that views receive
 * injected, and that the CLI subcommands call too, so each action exists once. Every write qtop makes
 * to Redis is in the action files this wires together; each respects the write gate and resolves with
 * an outcome (never throws for an expected failure). The command log is kept by the caller (the
 * screen's, the CLI's output), which names each action by its record (src/control/actions).
 */
import type { Redis } from 'ioredis';
import { replyBindingKey } from '../../src/celery/names.js';
import type { WireOptions } from '../../src/celery/options.js';
import type { ControlOutcome, Controls, Destination } from '../../src/control/controls.js';
import { type BeatWriteContext, runBeatEntryNow, setBeatEntryEnabled } from './beat.js';
import { addConsumer, cancelConsumer, pauseQueue, resumeQueue } from './consumers.js';
import type { ControlsContext } from './context.js';
import { inspect } from './inspect.js';
import { isNoPerm, noPermReason } from './outcome.js';
import { ping } from './ping.js';
import { autoscale, poolResize } from './pool.js';
import { purgeQueue } from './purge.js';
import { deleteMessage, moveMessage } from './queue-message.js';
import { rateLimit, timeLimit } from './rate-limit.js';
import { retry, retryFailed } from './retry.js';
import { revoke } from './revoke.js';
import { createRuntime } from './runtime.js';
import { shutdown } from './shutdown.js';
import { setEvents } from './task-events.js';

// The context types and the store lookup, so callers need only this module.
export type { ControlLookup, ControlsContext, ControlTask } from './context.js';
export { controlsFromStore } from './lookup.js';

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
  const beat = (): BeatWriteContext => ({
    redis: ctx.broker,
    wire: ctx.wire,
    prefix: ctx.beatPrefix,
    origin: rt.origin,
    refuseWrite: () => rt.refuseWrite(),
    now: () => ctx.clock.now(),
  });
  return {
    get canWrite() {
      return rt.writeBlock() === null;
    },
    get readOnlyReason() {
      return rt.writeBlock()?.reason ?? null;
    },
    revoke: (ids, options) => revoke(rt, ids, options),
    retry: (ids, options) => retry(rt, ids, options),
    retryFailed: (name, options) => retryFailed(rt, name, options),
    poolGrow: (w, n) => poolResize(rt, w, n, true),
    poolShrink: (w, n) => poolResize(rt, w, n, false),
    autoscale: (w, max, min) => autoscale(rt, w, max, min),
    rateLimit: (t, r, d) => rateLimit(rt, t, r, d),
    timeLimit: (t, s, h, d) => timeLimit(rt, t, s, h, d),
    addConsumer: (q, d) => addConsumer(rt, q, d),
    cancelConsumer: (q, d) => cancelConsumer(rt, q, d),
    pauseQueue: (q) => pauseQueue(rt, q),
    resumeQueue: (q, workers) => resumeQueue(rt, q, workers),
    pausedOn: (q) => [...(rt.paused.get(q) ?? [])],
    setEvents: (enabled, d) => setEvents(rt, enabled, d),
    purgeQueue: (q) => purgeQueue(rt, q),
    deleteMessage: (q, id) => deleteMessage(rt, q, id),
    moveMessage: (q, id, to, options) => moveMessage(rt, q, id, to, options),
    shutdown: (w) => shutdown(rt, w),
    runBeatEntry: (entry, options) => runBeatEntryNow(beat(), entry, options),
    setBeatEntryEnabled: (entry, enabled) => setBeatEntryEnabled(beat(), entry, enabled),
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
