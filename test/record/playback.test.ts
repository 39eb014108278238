import { describe, expect, it } from 'vitest';
import { createPlayback, seekSettleMs } from '../../src/record/playback.js';
import { createTimeline } from '../../src/record/replay.js';
import { createFakeClock } from '../helpers/fake-clock.js';
import { fixtureActions, header, later, start } from './recording-fixture.js';

const t0 = start + 5_000;

function setup(speed = 1, at = start) {
  const real = createFakeClock(Date.UTC(2027, 0, 1));
  const timeline = createTimeline({ header, actions: fixtureActions(), truncated: false });
  const playback = createPlayback(timeline, { clock: real, at, speed });
  let notified = 0;
  playback.store.subscribe(() => {
    notified += 1;
  });
  return { real, timeline, playback, notified: () => notified };
}

const stateOf = (p: ReturnType<typeof setup>['playback'], id: string) =>
  p.store.getModel().tasks.get(id)?.state;

describe('playback', () => {
  it('stands still until started, then runs at its speed and keeps the store at the virtual time', () => {
    const { real, playback } = setup(2, t0 + 15_000);
    real.advance(5_000);
    expect(playback.clock.now()).toBe(t0 + 15_000);
    expect(stateOf(playback, later.done)).toBeUndefined();
    playback.start();
    real.advance(3_000);
    expect(playback.clock.now()).toBe(t0 + 21_000);
    expect(stateOf(playback, later.done)).toBe('STARTED');
    real.advance(1_000);
    expect(stateOf(playback, later.done)).toBe('SUCCESS');
    expect(playback.status()).toMatchObject({ speed: 2, paused: false, ended: false });
  });

  it('gives the screen a clock whose timers run in real time', () => {
    const { real, playback } = setup(16);
    playback.start();
    let fired = 0;
    playback.clock.setTimeout(() => {
      fired = playback.clock.now();
    }, 1_000);
    real.advance(999);
    expect(fired).toBe(0);
    real.advance(1);
    expect(fired).toBe(start + 16_000);
  });

  it('pauses and resumes the virtual time, telling subscribers', () => {
    const { real, playback, notified } = setup(1, t0);
    playback.start();
    real.advance(2_000);
    const before = notified();
    playback.togglePause();
    expect(notified()).toBeGreaterThan(before);
    real.advance(60_000);
    expect(playback.status()).toMatchObject({ at: t0 + 2_000, paused: true });
    playback.togglePause();
    real.advance(500);
    expect(playback.clock.now()).toBe(t0 + 2_500);
  });

  it('seeks back by rebuilding the store, and forward by applying the next actions', () => {
    const { real, playback, notified } = setup(1, t0 + 25_000);
    playback.start();
    playback.togglePause();
    expect(stateOf(playback, later.done)).toBe('SUCCESS');
    const model = playback.store.getModel();
    const version = playback.store.getVersion();
    const before = notified();
    playback.seekBy(-10_000);
    expect(playback.clock.now()).toBe(t0 + 15_000);
    real.advance(seekSettleMs);
    expect(playback.store.getModel()).not.toBe(model);
    expect(playback.store.getVersion()).not.toBe(version);
    expect(notified()).toBe(before + 1);
    expect(stateOf(playback, later.done)).toBeUndefined();
    playback.seekBy(6_500);
    real.advance(seekSettleMs);
    expect(stateOf(playback, later.done)).toBe('STARTED');
    playback.seekBy(1_000);
    real.advance(seekSettleMs);
    expect(stateOf(playback, later.done)).toBe('SUCCESS');
  });

  it('applies a burst of seeks once, after the keys settle', () => {
    const { real, playback, notified } = setup(1, t0 + 40_000);
    playback.start();
    playback.togglePause();
    const model = playback.store.getModel();
    const before = notified();
    for (let i = 0; i < 5; i++) playback.seekBy(-5_000);
    expect(playback.store.getModel()).toBe(model);
    real.advance(seekSettleMs);
    expect(playback.clock.now()).toBe(t0 + 15_000);
    expect(notified()).toBe(before + 1);
    expect(stateOf(playback, later.done)).toBeUndefined();
  });

  it('keeps time within the recording and says when it has reached the end', () => {
    const { real, timeline, playback } = setup(1024);
    playback.seekBy(-5_000);
    expect(playback.clock.now()).toBe(start);
    playback.start();
    real.advance(1_000);
    expect(playback.status()).toMatchObject({ at: timeline.endAt, ended: true });
    expect(playback.store.getModel().tasks.has(later.failed)).toBe(true);
    playback.seekBy(10_000);
    expect(playback.clock.now()).toBe(timeline.endAt);
    playback.seekBy(-10_000);
    expect(playback.status()).toMatchObject({ at: timeline.endAt - 10_000, ended: false });
  });

  it('changes speed within its range, keeping the current time', () => {
    const { real, playback } = setup(1, t0);
    playback.start();
    real.advance(1_000);
    playback.changeSpeed(4);
    expect(playback.clock.now()).toBe(t0 + 1_000);
    real.advance(1_000);
    expect(playback.clock.now()).toBe(t0 + 5_000);
    for (let i = 0; i < 20; i++) playback.changeSpeed(0.5);
    expect(playback.status().speed).toBe(1 / 16);
    for (let i = 0; i < 20; i++) playback.changeSpeed(2);
    expect(playback.status().speed).toBe(1024);
  });

  it('stops following time on stop', () => {
    const { real, playback } = setup(1, t0);
    playback.start();
    real.advance(1_000);
    playback.stop();
    real.advance(10_000);
    expect(playback.clock.now()).toBe(t0 + 1_000);
    expect(real.pending()).toBe(0);
  });
});
