/**
 * The screen's view of the store: "frames". The store changes at wire speed; the screen takes a
 * new frame at most every `minIntervalMs` (a few per second, so a slow SSH link is not flooded).
 * While the store stands still a frame costs a whole render for nothing, so the clock alone
 * takes one only when an age drawn on screen would read differently (age-watch.ts: once a
 * second for `3s`, never when no age is drawn), and every `idleTickMs` for what time alone
 * changes (a worker whose heartbeats stopped turns lost, rate windows slide). Pausing freezes
 * the frame: selector results computed for it are kept, so the view stands still while the
 * sources and the store keep running behind it.
 */
import type { Clock, TimerHandle } from '../../src/base/clock.js';
import type { Model } from '../../src/store/model.js';
import type { Store } from '../../src/store/store.js';
import { takeAgeChange } from '../present/age-watch.js';

/** One picture of the cluster the screen draws: the store version and the time it was taken. */
export interface Frame {
  readonly seq: number;
  readonly version: number;
  /** Clock time (ms) of the frame: every age on screen is computed against it. */
  readonly now: number;
  readonly paused: boolean;
}

/** The frame source the screen subscribes to. */
export interface ViewFrames {
  /** The current frame; the same object until the next one (for `useSyncExternalStore`). */
  getFrame(): Frame;
  subscribe(listener: () => void): () => void;
  /**
   * The value of `compute` for this frame, computed once per key and frame. While paused the
   * values stay: a key first asked for while paused is computed then and kept.
   */
  memo<T>(key: string, compute: (model: Model, now: number) => T): T;
  /**
   * For a costly result that may lag the frame (the hints report: seconds of tasks and queues
   * over 300 s windows): the value is kept across frames, computed in the frame only the first
   * time, and refreshed outside any frame (a timer of its own, so no frame and no key waits for
   * it) once it is `everyMs` old and the store has moved, or `idleTickMs` old whatever. The
   * refresh is seen by the next frame. Paused, the value stays.
   */
  memoLagging<T>(key: string, everyMs: number, compute: (model: Model, now: number) => T): T;
  setPaused(paused: boolean): void;
  /** Follow the store and tick once a second until `stop`. */
  start(): void;
  stop(): void;
}

/** Frame timing. */
export interface ViewFrameOptions {
  /** Fewest ms between two frames (default 200: 5 frames/s at most). */
  minIntervalMs?: number;
  /** How often, while nothing changes, the clock checks whether an age on screen changed (default 1000). */
  tickMs?: number;
  /** Longest time without a frame while nothing changes (default 5000). */
  idleTickMs?: number;
}

/** Frames over `store`, timed by the injected `clock` (tests pass a fake one). */
export function createViewFrames(store: Store, clock: Clock, options: ViewFrameOptions = {}): ViewFrames {
  const minIntervalMs = options.minIntervalMs ?? 200;
  const tickMs = options.tickMs ?? 1000;
  const idleTickMs = Math.max(tickMs, options.idleTickMs ?? 5000);
  const listeners = new Set<() => void>();
  let cache = new Map<string, unknown>();
  const lagging = new Map<
    string,
    { value: unknown; version: number; at: number; refresh: TimerHandle | null }
  >();
  let frame: Frame = { seq: 0, version: store.getVersion(), now: clock.now(), paused: false };
  let lastEmitAt = Number.NEGATIVE_INFINITY;
  let pending: TimerHandle | null = null;
  let tick: TimerHandle | null = null;
  let unsubscribe: (() => void) | null = null;

  const publish = (next: Frame) => {
    frame = next;
    for (const listener of [...listeners]) listener();
  };
  const clearTimers = () => {
    if (pending !== null) clock.clearTimeout(pending);
    if (tick !== null) clock.clearTimeout(tick);
    pending = null;
    tick = null;
  };
  const emit = () => {
    clearTimers();
    if (frame.paused) return;
    lastEmitAt = clock.now();
    cache = new Map();
    takeAgeChange(); // what the previous frame drew no longer counts
    publish({ seq: frame.seq + 1, version: store.getVersion(), now: lastEmitAt, paused: false });
    if (unsubscribe !== null) tick = clock.setTimeout(check, tickMs);
  };
  // The store stood still for `tickMs`: draw only if an age drawn since the last frame now reads
  // differently, or the idle limit passed. An age noted stays noted until a frame is taken.
  let ageChangeMs = Number.POSITIVE_INFINITY;
  const check = () => {
    tick = null;
    ageChangeMs = Math.min(ageChangeMs, takeAgeChange());
    const since = clock.now() - lastEmitAt;
    if (since >= ageChangeMs || since >= idleTickMs) {
      ageChangeMs = Number.POSITIVE_INFINITY;
      emit();
    } else if (unsubscribe !== null) tick = clock.setTimeout(check, tickMs);
  };
  const changed = () => {
    if (frame.paused || pending !== null) return;
    // Never more than one interval: a clock that went back (a replay's seek) must not hold frames.
    const wait = Math.min(minIntervalMs, lastEmitAt + minIntervalMs - clock.now());
    if (wait <= 0) emit();
    else pending = clock.setTimeout(emit, wait);
  };

  return {
    getFrame: () => frame,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    memo<T>(key: string, compute: (model: Model, now: number) => T): T {
      if (cache.has(key)) return cache.get(key) as T;
      const value = compute(store.getModel(), frame.now);
      cache.set(key, value);
      return value;
    },
    memoLagging<T>(key: string, everyMs: number, compute: (model: Model, now: number) => T): T {
      const kept = lagging.get(key);
      if (kept === undefined) {
        const value = compute(store.getModel(), frame.now);
        lagging.set(key, { value, version: frame.version, at: frame.now, refresh: null });
        return value;
      }
      const age = frame.now - kept.at;
      // A clock that went back (a replay's seek) makes the kept value one from the future.
      const stale = (kept.version !== frame.version && age >= everyMs) || age >= idleTickMs || age < 0;
      if (stale && !frame.paused && kept.refresh === null && unsubscribe !== null) {
        kept.refresh = clock.setTimeout(() => {
          kept.refresh = null;
          if (frame.paused || unsubscribe === null) return;
          kept.value = compute(store.getModel(), clock.now());
          kept.version = store.getVersion();
          kept.at = clock.now();
        }, 0);
      }
      return kept.value as T;
    },
    setPaused(paused) {
      if (paused === frame.paused) return;
      if (paused) {
        clearTimers();
        publish({ ...frame, seq: frame.seq + 1, paused: true });
      } else {
        frame = { ...frame, paused: false };
        emit();
      }
    },
    start() {
      if (unsubscribe !== null) return;
      unsubscribe = store.subscribe(changed);
      emit();
    },
    stop() {
      unsubscribe?.();
      unsubscribe = null;
      clearTimers();
      for (const kept of lagging.values()) {
        if (kept.refresh !== null) clock.clearTimeout(kept.refresh);
        kept.refresh = null;
      }
    },
  };
}
