import { describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/store.js';
import { formatAge } from '../../views/present/format.js';
import { createViewFrames } from '../../views/state/view-frame.js';
import { createFakeClock } from '../helpers/fake-clock.js';

function setup() {
  const clock = createFakeClock();
  const store = createStore({ clock, notifyEveryMs: 0 });
  const frames = createViewFrames(store, clock, { minIntervalMs: 200, tickMs: 1000 });
  let renders = 0;
  frames.subscribe(() => {
    renders += 1;
  });
  const change = () =>
    store.dispatch({ type: 'source/failed', at: clock.now(), source: 'queues', reason: `x${clock.now()}` });
  return { clock, store, frames, change, renders: () => renders };
}

describe('view frames', () => {
  it('take at most one frame per 200 ms however fast the store changes', () => {
    const { clock, frames, change, renders } = setup();
    frames.start();
    expect(renders()).toBe(1);
    for (let i = 0; i < 100; i++) {
      change();
      clock.advance(5);
    }
    // 500 ms of changes: the immediate frame at start, then one per 200 ms window
    expect(renders()).toBeLessThanOrEqual(4);
    expect(frames.getFrame().version).toBeGreaterThan(0);
  });

  it('while idle with no age drawn, take a frame only every idleTickMs, and none when stopped', () => {
    const { clock, frames, renders } = setup();
    frames.start();
    clock.advance(4999);
    expect(renders()).toBe(1);
    clock.advance(1);
    expect(renders()).toBe(2);
    expect(frames.getFrame().now).toBe(clock.now());
    frames.stop();
    clock.advance(20_000);
    expect(renders()).toBe(2);
    expect(clock.pending()).toBe(0);
  });

  it('while idle, tick once a second when a drawn age in seconds changes its text', () => {
    const { clock, frames, renders } = setup();
    // Each frame "draws" an age of 3 s (as a panel would through formatAge).
    frames.subscribe(() => formatAge(3));
    frames.start();
    clock.advance(3000);
    expect(renders()).toBe(4);
    expect(frames.getFrame().now).toBe(clock.now());
  });

  it('while idle, ages in hours redraw only when their minute changes', () => {
    const clock = createFakeClock();
    const store = createStore({ clock, notifyEveryMs: 0 });
    const frames = createViewFrames(store, clock, { minIntervalMs: 200, tickMs: 1000, idleTickMs: 600_000 });
    const start = clock.now();
    // 2h03m10s at the first frame, drawn at every frame as time passes.
    frames.subscribe(() => formatAge(2 * 3600 + 3 * 60 + 10 + (clock.now() - start) / 1000));
    let renders = 0;
    frames.subscribe(() => {
      renders += 1;
    });
    frames.start();
    clock.advance(49_000);
    expect(renders).toBe(1);
    clock.advance(1000); // 2h04m00s: the text changed
    expect(renders).toBe(2);
    clock.advance(59_000);
    expect(renders).toBe(2);
    clock.advance(1000);
    expect(renders).toBe(3);
  });

  it('computes a memo once per frame', () => {
    const { clock, frames, change } = setup();
    frames.start();
    let computed = 0;
    const read = () =>
      frames.memo('k', () => {
        computed += 1;
        return computed;
      });
    expect(read()).toBe(1);
    expect(read()).toBe(1);
    change();
    clock.advance(300);
    expect(read()).toBe(2);
  });

  it('pause freezes the frame and its memo (no ticks, no store frames) until resumed', () => {
    const { clock, frames, change, renders } = setup();
    frames.start();
    const before = frames.memo('v', (m) => m.version);
    frames.setPaused(true);
    const paused = frames.getFrame();
    expect(paused.paused).toBe(true);
    const count = renders();
    change();
    clock.advance(5000);
    expect(renders()).toBe(count);
    expect(frames.getFrame()).toBe(paused);
    expect(frames.memo('v', (m) => m.version)).toBe(before);
    expect(clock.pending()).toBe(0);
    frames.setPaused(false);
    expect(frames.getFrame().paused).toBe(false);
    expect(frames.memo('v', (m) => m.version)).toBeGreaterThan(before);
  });

  it('keeps a lagging memo across frames and refreshes it outside the frame once stale', () => {
    const { clock, store, frames, change } = setup();
    frames.start();
    let computed = 0;
    const read = () =>
      frames.memoLagging('slow', 2000, (m) => {
        computed += 1;
        return m.version;
      });
    const first = read();
    expect(computed).toBe(1);
    change();
    clock.advance(300);
    // a new frame, but the value is under 2 s old: kept, not recomputed
    expect(read()).toBe(first);
    expect(computed).toBe(1);
    clock.advance(2000);
    change();
    clock.advance(300);
    // stale and the store moved: this frame still shows the kept value, a timer refreshes it
    expect(read()).toBe(first);
    expect(computed).toBe(1);
    clock.advance(1);
    expect(computed).toBe(2);
    change();
    clock.advance(300);
    // the change shows: the next frame reads the refreshed value (the version it was computed at)
    expect(read()).toBe(store.getVersion() - 1);
    expect(read()).toBeGreaterThan(first);
    expect(computed).toBe(2);
  });

  it('a lagging memo refreshes while idle only after idleTickMs, and never while paused', () => {
    const { clock, frames } = setup();
    frames.start();
    let computed = 0;
    const read = () =>
      frames.memoLagging('slow', 2000, () => {
        computed += 1;
        return computed;
      });
    expect(read()).toBe(1);
    clock.advance(4000);
    read();
    clock.advance(10);
    expect(computed).toBe(1);
    clock.advance(1000);
    read(); // 5 s old: the idle limit
    clock.advance(10);
    expect(computed).toBe(2);
    frames.setPaused(true);
    clock.advance(20_000);
    expect(read()).toBe(2);
    expect(computed).toBe(2);
  });
});
