import { describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/store.js';
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

  it('tick once a second while idle, and not at all when stopped', () => {
    const { clock, frames, renders } = setup();
    frames.start();
    clock.advance(3000);
    expect(renders()).toBe(4);
    expect(frames.getFrame().now).toBe(clock.now());
    frames.stop();
    clock.advance(5000);
    expect(renders()).toBe(4);
    expect(clock.pending()).toBe(0);
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
});
