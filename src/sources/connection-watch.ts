/**
 * How long a connection has been down, and why. ioredis reconnects by itself (src/redis/client.ts);
 * this only follows its status events so that a headless run can give up with a one-line reason
 * instead of printing snapshots of an unreachable cluster forever (docs/reliability.md).
 */
import type { Redis } from 'ioredis';
import type { Clock, TimerHandle } from '../base/clock.js';
import { type ConnectFailure, classifyRedisError, type RedisTarget, targetLabel } from '../redis/index.js';

export interface ConnectionWatch {
  /** Since when (qtop clock, ms) the connection has been down, with the cause; null while it is up. */
  outage(): { since: number; failure: ConnectFailure } | null;
  /**
   * Call `onGiveUp` once an outage has lasted `ms` (the current one counts from its start). Replaces
   * an earlier registration.
   */
  giveUpAfter(ms: number, onGiveUp: (failure: ConnectFailure) => void): void;
  /** Detach; call before disconnecting the client on purpose, which is not an outage. */
  stop(): void;
}

/** Statuses of a live connection; ioredis passes 'connect' on the way to 'ready'. */
const UP = new Set(['ready', 'connect']);

/** Follow `client`, which must be connected already (`connectRedis`). */
export function watchConnection(client: Redis, target: RedisTarget, clock: Clock): ConnectionWatch {
  let since: number | null = null;
  let lastError: unknown = null;
  let timer: TimerHandle | null = null;
  let limit: { ms: number; onGiveUp: (failure: ConnectFailure) => void } | null = null;

  const failure = (): ConnectFailure =>
    describeOutage(lastError, target, clock.now() - (since ?? clock.now()));
  const arm = () => {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
    if (since === null || limit === null) return;
    const { ms, onGiveUp } = limit;
    timer = clock.setTimeout(
      () => {
        timer = null;
        if (since !== null) onGiveUp(failure());
      },
      Math.max(0, since + ms - clock.now()),
    );
  };
  const down = () => {
    if (since !== null) return;
    since = clock.now();
    arm();
  };
  const up = () => {
    since = null;
    lastError = null;
    arm();
  };
  const onError = (error: unknown) => {
    lastError = error;
  };
  client.on('close', down).on('end', down).on('error', onError).on('ready', up);
  if (!UP.has(client.status)) down();

  return {
    outage() {
      // A close that ioredis has not reported yet still shows in its status.
      if (since === null && !UP.has(client.status)) down();
      return since === null ? null : { since, failure: failure() };
    },
    giveUpAfter(ms, onGiveUp) {
      limit = { ms, onGiveUp };
      arm();
    },
    stop() {
      limit = null;
      arm();
      client.off('close', down).off('end', down).off('error', onError).off('ready', up);
    },
  };
}

/**
 * One line for a lost connection. The last reconnect error says why it stays down (refused, TLS,
 * WRONGPASS after a password change…); with none, the server simply closed the connection, and the
 * connect-time hint "is this a Redis port?" would mislead, so the line says what happened instead.
 */
export function describeOutage(error: unknown, target: RedisTarget, forMs: number): ConnectFailure {
  const after = `${(forMs / 1000).toFixed(1)} s`;
  if (error === null) {
    return {
      code: 'unreachable',
      message: `lost the connection to Redis at ${targetLabel(target)}, down for ${after} (restarted, stopped, or the network dropped it)`,
    };
  }
  const classified = classifyRedisError(error, target);
  return {
    code: classified.code,
    message: `lost the connection, still down after ${after}: ${classified.message}`,
  };
}

/**
 * Null when `client` answers a PING within `ms`, else why not. A frozen server (SIGSTOP, or a
 * partition that sends no reset) keeps its sockets open, so only an unanswered command shows it.
 */
export async function probeConnection(
  client: Redis,
  target: RedisTarget,
  ms: number,
  clock: Clock,
): Promise<ConnectFailure | null> {
  try {
    if (await within(client.ping(), ms, clock)) return null;
  } catch (error) {
    return classifyRedisError(error, target);
  }
  return {
    code: 'timeout',
    message: `Redis at ${targetLabel(target)} stopped answering (no reply to PING within ${ms} ms)`,
  };
}

/** True when `work` settled within `ms`, false when it did not; its rejection passes through. */
export function within(work: Promise<unknown>, ms: number, clock: Clock): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const timer = clock.setTimeout(() => resolve(false), ms);
    work.then(
      () => {
        clock.clearTimeout(timer);
        resolve(true);
      },
      (error: unknown) => {
        clock.clearTimeout(timer);
        reject(error);
      },
    );
  });
}
