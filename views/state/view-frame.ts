/**
 * The screen's view of the store: "frames". The store changes at wire speed; the screen takes a
 * new frame at most every `minIntervalMs` (a few per second, so a slow SSH link is not flooded)
 * and once a second for ages. Pausing freezes the frame: selector results computed for it are
 * kept, so the view stands still while the sources and the store keep running behind it.
 */
import type { Clock, TimerHandle } from '../../src/base/clock.js';
import type { Model } from '../../src/store/model.js';
import type { Store } from '../../src/store/store.js';

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
  setPaused(paused: boolean): void;
  /** Follow the store and tick once a second until `stop`. */
  start(): void;
  stop(): void;
}

/** Frame timing. */
export interface ViewFrameOptions {
  /** Fewest ms between two frames (default 200: 5 frames/s at most). */
  minIntervalMs?: number;
  /** Frame cadence when nothing changes, for ages (default 1000). */
  tickMs?: number;
}

/** Frames over `store`, timed by the injected `clock` (tests pass a fake one). */
export function createViewFrames(store: Store, clock: Clock, options: ViewFrameOptions = {}): ViewFrames {
  const minIntervalMs = options.minIntervalMs ?? 200;
  const tickMs = options.tickMs ?? 1000;
  const listeners = new Set<() => void>();
  let cache = new Map<string, unknown>();
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
    publish({ seq: frame.seq + 1, version: store.getVersion(), now: lastEmitAt, paused: false });
    if (unsubscribe !== null) tick = clock.setTimeout(emit, tickMs);
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
    },
  };
}
