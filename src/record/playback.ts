/**
 * Playing a recording back in time: a virtual clock that moves at N× the real one (pause,
 * seek, speed), a cursor that keeps the store at the virtual time, and a Store facade the
 * screen reads like a live store. The screen gets the virtual clock: its `now()` is the
 * recording's time (ages on screen are as they were), while its timers run in real time (frames
 * still come a few times a second).
 */
import type { Clock, TimerHandle } from '../base/clock.js';
import type { Action } from '../store/actions.js';
import type { Store } from '../store/store.js';
import { createCursor, type Timeline } from './replay.js';
import { clampSpeed } from './speed.js';

/** Where the playback is. */
export interface PlaybackStatus {
  /** Virtual time, ms. */
  at: number;
  startAt: number;
  endAt: number;
  speed: number;
  paused: boolean;
  /** At the last action: time stands still until a seek back. */
  ended: boolean;
}

/** What the replay screen's keys may do. */
export interface ReplayControl {
  status(): PlaybackStatus;
  togglePause(): void;
  /** Move the virtual time by `ms` (negative: back), kept within the recording. */
  seekBy(ms: number): void;
  /** Multiply the speed by `factor`, kept within `speedRange`. */
  changeSpeed(factor: number): void;
  /** The operator's (real) time, ms: toasts last seconds of it whatever the speed or a seek. */
  wallNow(): number;
}

/** The playback a replay run owns. */
export interface Playback extends ReplayControl {
  /** `now()` is the virtual time; timers are the real clock's. */
  readonly clock: Clock;
  /** The store at the virtual time; its model is a new object after a backward seek. */
  readonly store: Store;
  /** Follow the virtual time until `stop`. */
  start(): void;
  stop(): void;
}

/**
 * A seek applies this long after the key, so a held or repeated arrow key costs one rebuild
 * instead of one per press (a backward seek replays the file from the start: about 2 s for a
 * 100,000-action file, docs/replay.md).
 */
export const seekSettleMs = 40;

export interface PlaybackOptions {
  /** The real clock. */
  clock: Clock;
  /** Where to begin (clamped to the recording), ms. */
  at: number;
  speed: number;
  paused?: boolean;
  /** Real ms between two catch-ups of the store while playing (default 100). */
  tickMs?: number;
}

/** A playback of `timeline`; call `start` to let time run. */
export function createPlayback(timeline: Timeline, options: PlaybackOptions): Playback {
  const real = options.clock;
  const tickMs = options.tickMs ?? 100;
  const clamp = (t: number) => Math.min(timeline.endAt, Math.max(timeline.startAt, t));
  const cursor = createCursor(timeline);
  const listeners = new Set<() => void>();
  let version = 0;
  let speed = clampSpeed(options.speed);
  let paused = options.paused ?? false;
  // Virtual time is anchorAt plus the real time since anchorReal, times the speed.
  let anchorAt = clamp(options.at);
  let anchorReal = real.now();
  let ticker: TimerHandle | null = null;
  let seeking: TimerHandle | null = null;
  let running = false;

  // Time stands still until `start`, after `stop`, and while paused.
  const moving = () => running && !paused;
  const now = () => (moving() ? clamp(anchorAt + (real.now() - anchorReal) * speed) : anchorAt);
  const reanchor = () => {
    anchorAt = now();
    anchorReal = real.now();
  };
  const notify = () => {
    version += 1;
    for (const listener of [...listeners]) listener();
  };
  /** Bring the store to the virtual time; tell the screen when anything moved. */
  const catchUp = (force: boolean) => {
    const before = cursor.applied;
    const rebuilt = cursor.seek(now());
    if (force || rebuilt || cursor.applied !== before) notify();
  };
  const schedule = () => {
    if (ticker !== null) real.clearTimeout(ticker);
    ticker = moving() ? real.setTimeout(tick, tickMs) : null;
  };
  const tick = () => {
    catchUp(false);
    schedule();
  };
  const settleSeek = () => {
    seeking ??= real.setTimeout(() => {
      seeking = null;
      catchUp(true);
    }, seekSettleMs);
  };
  cursor.seek(anchorAt);

  const store: Store = {
    getModel: () => cursor.store.getModel(),
    getVersion: () => version,
    // Nothing dispatches during a replay (controls are off); kept for the Store contract.
    dispatch(action: Action) {
      cursor.store.dispatch(action);
      notify();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    flush: () => {},
  };

  return {
    clock: { now, setTimeout: real.setTimeout, clearTimeout: real.clearTimeout },
    store,
    wallNow: () => real.now(),
    status: () => {
      const at = now();
      return {
        at,
        startAt: timeline.startAt,
        endAt: timeline.endAt,
        speed,
        paused,
        ended: at >= timeline.endAt,
      };
    },
    togglePause() {
      reanchor();
      paused = !paused;
      schedule();
      catchUp(true);
    },
    seekBy(ms) {
      anchorAt = clamp(now() + ms);
      anchorReal = real.now();
      settleSeek();
    },
    changeSpeed(factor) {
      reanchor();
      speed = clampSpeed(speed * factor);
      catchUp(true);
    },
    start() {
      if (running) return;
      anchorReal = real.now();
      running = true;
      schedule();
    },
    stop() {
      reanchor();
      running = false;
      schedule();
      if (seeking !== null) real.clearTimeout(seeking);
      seeking = null;
    },
  };
}
