import type { Clock, TimerHandle } from '../base/clock.js';
import { classifyRedisError, maskSecrets, type RedisTarget, targetLabel } from '../redis/index.js';
import type { Action, SourceName } from '../store/actions.js';

/** One poll the sampler repeats: what it reads, how often, and which source's health it reports. */
export interface SamplerJob {
  source: SourceName;
  /** Shown in `stats()`; defaults to `source` (two jobs may feed one source). */
  name?: string;
  everyMs: number;
  /** One poll. `signal` aborts when the sampler stops, so a long pidbox round ends promptly. */
  run: (at: number, signal: AbortSignal) => Promise<Action[] | Action | null>;
}

export interface SamplerOptions {
  clock: Clock;
  onAction: (action: Action) => void;
  jobs: SamplerJob[];
  /** The broker target: Redis errors are then classified and masked as `connectRedis` does. */
  target?: RedisTarget;
  /** Longest wait between retries of a failing job; default 30 s (or `everyMs` if longer). */
  maxBackoffMs?: number;
}

export interface JobStats {
  name: string;
  source: SourceName;
  runs: number;
  failures: number;
  /** Consecutive failures right now; 0 when the last run succeeded. */
  failing: number;
  lastDurationMs: number | null;
}

export interface Sampler {
  start(): void;
  /** Stops scheduling, aborts in-flight runs' signals and awaits them. */
  stop(): Promise<void>;
  /** Run every job (of `source`, if given) once now and await them all; used by `qtop --json`. */
  runOnce(source?: SourceName): Promise<void>;
  /**
   * Run every job that is failing now instead of at the end of its backoff: called when a dropped
   * connection is back, so sources resume at once rather than up to 30 s later.
   */
  retryFailing(): void;
  stats(): JobStats[];
}

export const DEFAULT_MAX_BACKOFF_MS = 30_000;

interface JobState {
  job: SamplerJob;
  timer: TimerHandle | null;
  inFlight: Promise<void> | null;
  runs: number;
  failures: number;
  failing: number;
  lastDurationMs: number | null;
}

/**
 * Runs the pollers at their cadences (architecture: "no overlapping polls, failures recorded as gaps").
 * - Cadence is a grid from each run's start: a run that overruns `everyMs` skips the ticks it missed
 *   instead of catching up, so a slow Redis never sees a job twice at once or back to back.
 * - A failure dispatches `source/failed` (one masked line) every time, each being a gap, and waits
 *   `everyMs × 2^(n-1)` after the n-th consecutive failure, capped: one blip costs nothing, an outage
 *   is not hammered. The first success after failures dispatches `source/recovered` before its data.
 * Errors of `run` never escape; neither does a throwing `onAction` (it is reported as a failure).
 * A run that rejects after `stop()` aborted its signal is not a failure and dispatches nothing.
 */
export function createSampler(options: SamplerOptions): Sampler {
  const { clock, onAction } = options;
  const cap = options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
  const states: JobState[] = options.jobs.map((job) => ({
    job,
    timer: null,
    inFlight: null,
    runs: 0,
    failures: 0,
    failing: 0,
    lastDurationMs: null,
  }));
  let started = false;
  let aborter = new AbortController();

  const cancel = (state: JobState) => {
    if (state.timer !== null) clock.clearTimeout(state.timer);
    state.timer = null;
  };

  const schedule = (state: JobState, delayMs: number) => {
    cancel(state);
    state.timer = clock.setTimeout(
      () => {
        state.timer = null;
        void execute(state);
      },
      Math.max(0, delayMs),
    );
  };

  const fail = (state: JobState, error: unknown) => {
    state.failures++;
    state.failing++;
    const reason = describeError(error, options.target);
    try {
      onAction({ type: 'source/failed', at: clock.now(), source: state.job.source, reason });
    } catch {
      // The store itself is broken; there is nothing left to report to.
    }
  };

  const execute = (state: JobState): Promise<void> => {
    const run = (async () => {
      const { job } = state;
      const startedAt = clock.now();
      const signal = aborter.signal;
      let ok = true;
      try {
        const result = await job.run(startedAt, signal);
        if (state.failing > 0) onAction({ type: 'source/recovered', at: clock.now(), source: job.source });
        state.failing = 0;
        if (Array.isArray(result)) for (const action of result) onAction(action);
        else if (result) onAction(result);
      } catch (error) {
        ok = false;
        // Stopped mid-run: the abort is ours, not a gap in the source.
        if (!signal.aborted) fail(state, error);
      }
      const finishedAt = clock.now();
      state.runs++;
      state.lastDurationMs = finishedAt - startedAt;
      if (!started) return;
      const every = Math.max(1, job.everyMs);
      if (ok) {
        const periods = Math.max(1, Math.ceil((finishedAt - startedAt) / every));
        schedule(state, startedAt + periods * every - finishedAt);
      } else {
        const backoff = every * 2 ** Math.min(state.failing - 1, 30);
        schedule(state, Math.min(backoff, Math.max(cap, every)));
      }
    })();
    // A new run may start (timer at delay 0) before this one's `finally`; only clear our own slot.
    const tracked: Promise<void> = run.finally(() => {
      if (state.inFlight === tracked) state.inFlight = null;
    });
    state.inFlight = tracked;
    return tracked;
  };

  const runNow = async (state: JobState) => {
    while (state.inFlight) await state.inFlight; // never overlap the job with itself
    cancel(state);
    await execute(state);
  };

  return {
    start() {
      if (started) return;
      started = true;
      if (aborter.signal.aborted) aborter = new AbortController();
      for (const state of states) if (!state.inFlight) schedule(state, 0);
    },
    async stop() {
      started = false;
      for (const state of states) cancel(state);
      aborter.abort();
      await Promise.all(states.map((state) => state.inFlight));
    },
    async runOnce(source) {
      if (aborter.signal.aborted) aborter = new AbortController();
      await Promise.all(states.filter((s) => source === undefined || s.job.source === source).map(runNow));
    },
    retryFailing() {
      if (!started) return;
      for (const state of states) if (state.failing > 0 && !state.inFlight) schedule(state, 0);
    },
    stats: () =>
      states.map((s) => ({
        name: s.job.name ?? s.job.source,
        source: s.job.source,
        runs: s.runs,
        failures: s.failures,
        failing: s.failing,
        lastDurationMs: s.lastDurationMs,
      })),
  };
}

const REDIS_ERROR_NAMES = /^(ReplyError|AbortError|MaxRetriesPerRequestError|ParserError|ConnectError)$/;
const REDIS_ERROR_TEXT =
  /Connection is closed|Stream isn't writeable|Reached the max retries|ECONN|ETIMEDOUT/;

/**
 * One line for the status bar. Redis errors go through `classifyRedisError` (cause + fix, URL masked)
 * when the target is known; anything else is its message, flattened and scrubbed of URL passwords.
 */
export function describeError(error: unknown, target?: RedisTarget): string {
  const message = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : '';
  const isRedis =
    REDIS_ERROR_NAMES.test(name) ||
    typeof (error as { code?: unknown } | null)?.code === 'string' ||
    REDIS_ERROR_TEXT.test(message);
  // Mid-session these only mean the connection dropped; the connect-time hints would mislead.
  if (target && /^(Connection is closed|Stream isn't writeable)/.test(message))
    return `not connected to Redis at ${targetLabel(target)}: the connection dropped, reconnecting`;
  if (target && isRedis) return classifyRedisError(error, target).message;
  const text = maskSecrets(message, [target?.password])
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .trim();
  return text || name || 'unknown error';
}
