import { afterEach, describe, expect, it } from 'vitest';
import { replayControls, replayReason } from '../../commands/record/replay-controls.js';
import { createPlayback, seekSettleMs } from '../../src/record/playback.js';
import { createTimeline } from '../../src/record/replay.js';
import { footerSegments } from '../../views/chrome/Footer.js';
import { helpLines } from '../../views/chrome/help-lines.js';
import { activeScopes, keymap, resolveKey, visibleBindings } from '../../views/keys/keymap.js';
import { formatSpeed, replaySegments } from '../../views/present/replay-parts.js';
import type { Scope } from '../../views/state/current-view.js';
import { initialUi } from '../../views/state/ui-state.js';
import { createViewFrames } from '../../views/state/view-frame.js';
import { createFakeClock } from '../helpers/fake-clock.js';
import { fixtureActions, header, later, start } from '../record/recording-fixture.js';
import { renderScreen } from './render-screen.js';

const viewScopes: Scope[] = [
  'queues',
  'workers',
  'tasks',
  'runtimes',
  'failures',
  'log',
  'hints',
  'task',
  'worker',
  'queue',
];
const replayKeys = keymap.filter((b) => b.scopes.includes('replay'));
const footerText = (replaying: boolean) =>
  footerSegments('tasks', null, false, false, replaying)
    .map((s) => s.text)
    .join('');

describe('replay keys in the keymap', () => {
  it('are bound only while replaying, in every view, and nothing shadows them', () => {
    expect(replayKeys.map((b) => b.id)).toEqual([
      'replay.pause',
      'replay.back',
      'replay.forward',
      'replay.back-minute',
      'replay.forward-minute',
      'replay.slower',
      'replay.faster',
    ]);
    for (const scope of viewScopes) {
      for (const b of replayKeys) {
        for (const key of b.keys) {
          expect(resolveKey(key, activeScopes(scope, null, true))?.id).toBe(b.id);
          expect(resolveKey(key, activeScopes(scope, null))).toBeNull();
        }
      }
    }
  });

  it('leave every other key where it was: a replay binds no key a view, list or global key uses', () => {
    for (const scope of viewScopes) {
      for (const key of new Set(keymap.flatMap((k) => k.keys))) {
        const live = resolveKey(key, activeScopes(scope, null));
        if (live) expect(resolveKey(key, activeScopes(scope, null, true))).toBe(live);
      }
    }
  });

  it('show in the footer and the help only in a replay', () => {
    expect(footerText(false)).not.toContain('play/pause');
    expect(footerText(true)).toContain('Space play/pause');
    expect(footerText(true)).toContain('← -10s');
    const help = (replaying: boolean) =>
      helpLines('tasks', false, replayReason, false, 100, replaying)
        .map((l) => l.text)
        .join('\n');
    expect(help(false)).not.toContain('Replay');
    expect(help(true)).toContain('Replay (a recording, not the live cluster)');
    expect(help(true)).toContain('Control keys are hidden: replay: control actions are disabled');
    const all = viewScopes.flatMap((s) => activeScopes(s, null, true));
    expect(visibleBindings(all, false).some((b) => b.write)).toBe(false);
  });
});

describe('replay header', () => {
  const status = {
    at: start + 65_000,
    startAt: start,
    endAt: start + 300_000,
    speed: 4,
    paused: false,
    ended: false,
  };
  it('says REPLAY, the recorded time, the offset and the playback state in words', () => {
    const text = (s: typeof status, ascii = false) =>
      replaySegments(s, s.at, ascii)
        .map((x) => x.text)
        .join('');
    expect(text(status)).toBe(' REPLAY  12:01:05 +1m05s/5m00s ▶ 4x');
    expect(text({ ...status, paused: true })).toContain('⏸ paused');
    expect(text({ ...status, paused: true }, true)).toContain('|| paused');
    expect(text({ ...status, at: status.endAt, ended: true })).toContain('■ end');
    expect(formatSpeed(0.5)).toBe('0.5x');
    expect(formatSpeed(1 / 16)).toBe('1/16x');
    expect(formatSpeed(0.25)).toBe('1/4x');
    expect(formatSpeed(1024)).toBe('1024x');
  });
});

describe('the screen on a recording', () => {
  type Screen = Awaited<ReturnType<typeof renderScreen>>;
  let screen: Screen | undefined;
  afterEach(() => screen?.unmount());

  async function replayScreen(at: number) {
    const real = createFakeClock(Date.UTC(2027, 0, 1));
    const timeline = createTimeline({ header, actions: fixtureActions(), truncated: false });
    const playback = createPlayback(timeline, { clock: real, at, speed: 1 });
    playback.start();
    // The screen's clock: the recording's time, with timers (and `advance`) in real time.
    const clock = {
      ...playback.clock,
      advance: (ms: number) => real.advance(ms),
      pending: () => real.pending(),
    };
    screen = await renderScreen({
      columns: 120,
      rows: 30,
      clock,
      store: playback.store,
      controls: { ...replayControls(), calls: [] },
      replay: playback,
      initial: { ...initialUi, panel: 'tasks' },
    });
    return { screen, playback };
  }

  it('plays, pauses, seeks and changes speed from its keys; the header follows', async () => {
    const { screen, playback } = await replayScreen(start + 26_000);
    await screen.waitForFrame(' REPLAY ');
    expect(screen.lastFrame()).toMatch(/REPLAY {2}12:00:26 \+26s\/1m04s ▶ 1x/);
    await screen.press('replay.pause');
    await screen.advance(1_000);
    expect(screen.lastFrame()).toContain('⏸ paused');
    expect(playback.status().paused).toBe(true);
    await screen.press('replay.faster');
    await screen.press('replay.pause');
    await screen.advance(1_000);
    expect(screen.lastFrame()).toMatch(/12:00:28 \+28s\/1m04s ▶ 2x/);
    expect(screen.lastFrame()).toContain(later.done.slice(0, 8));
    await screen.press('replay.back-minute');
    await screen.press('replay.pause');
    await screen.advance(300);
    expect(playback.status().at).toBe(start);
    expect(screen.lastFrame()).toMatch(/12:00:00 \+0s\/1m04s ⏸ paused/);
    expect(screen.lastFrame()).not.toContain(later.done.slice(0, 8));
    await screen.press('replay.back');
    await screen.waitForFrame('-10s: at the start of the recording');
  });

  it('refuses a control key with the replay reason, and hides control keys', async () => {
    const { screen } = await replayScreen(start + 10_000);
    await screen.waitForFrame('SUCCESS');
    expect(screen.lastFrame()).not.toContain('r revoke');
    await screen.press('task.revoke');
    await screen.waitForFrame(`revoke: ${replayReason}`);
  });
});

describe('the live screen', () => {
  it('binds no replay key and shows no replay header', async () => {
    const screen = await renderScreen({ columns: 120, rows: 30, initial: { ...initialUi, panel: 'tasks' } });
    try {
      await screen.press('replay.pause');
      await screen.press('replay.back');
      expect(screen.lastFrame()).not.toContain('REPLAY');
      expect(screen.lastFrame()).not.toMatch(/play\/pause|works in: replay/);
    } finally {
      screen.unmount();
    }
  });
});

describe('view frames on a replay clock', () => {
  it('take a frame within one interval of a settled seek back, though the clock went back', () => {
    const real = createFakeClock(Date.UTC(2027, 0, 1));
    const timeline = createTimeline({ header, actions: fixtureActions(), truncated: false });
    const playback = createPlayback(timeline, { clock: real, at: start + 40_000, speed: 1 });
    const frames = createViewFrames(playback.store, playback.clock, { minIntervalMs: 200, tickMs: 1000 });
    frames.start();
    playback.start();
    playback.seekBy(-30_000);
    real.advance(seekSettleMs + 200);
    expect(frames.getFrame().now).toBe(start + 10_000 + seekSettleMs + 200);
    frames.stop();
    playback.stop();
  });
});
