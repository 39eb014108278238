import { afterEach, describe, expect, it, vi } from 'vitest';

// Like render.test.tsx: Ink decides once, on import, whether it runs in CI (and then draws
// only the last frame). Hoisted above the imports below.
vi.hoisted(() => {
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
});

import { runScreen, screenInkOptions } from '../../views/render.js';
import { createFakeClock } from '../helpers/fake-clock.js';
import { eventsAction, taskEvent } from '../store/task-fixtures.js';
import { clusterStore } from './cluster-fixture.js';
import { FakeTty, FakeTtyIn } from './fake-tty.js';
import { commandSequence } from './key-input.js';
import { fakeControls } from './render-screen.js';

// Input first (issue 15): a key's frame is drawn as the key is handled, never held by a render
// throttle; only the redraws data arrival causes wait (view-frame.ts, on the injected clock).
// Time is frozen with fake timers (Date and setTimeout), so any throttle would hold the frame.

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
const realTick = () => new Promise<void>((resolve) => setTimeout(resolve, 20));

afterEach(() => vi.useRealTimers());

describe('input first', () => {
  it('Ink itself does not throttle the screen', () => {
    expect(screenInkOptions.maxFps).toBe(0);
  });

  it('draws each key at once while data redraws wait for the data throttle', async () => {
    const clock = createFakeClock();
    const store = clusterStore(clock);
    const stdout = new FakeTty();
    stdout.columns = 160;
    const stdin = new FakeTtyIn();
    const run = runScreen({
      store,
      clock,
      controls: fakeControls(),
      broker: 'redis://localhost:6379/0',
      label: null,
      hideArgs: false,
      env: { NO_COLOR: '1' },
      stdin: stdin as unknown as NodeJS.ReadStream,
      stdout: stdout as unknown as NodeJS.WriteStream,
      stderr: new FakeTty() as unknown as NodeJS.WriteStream,
    });
    for (let i = 0; i < 250 && !stdout.text().includes('celery'); i++) await realTick();
    // From here no time passes: neither wall time (Ink's throttle reads Date) nor the screen's clock.
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });

    // Two keys back to back at the same instant: each one's frame is written before the next key.
    for (const id of ['panel.next', 'panel.next', 'app.help']) {
      const from = stdout.written.length;
      stdin.send(commandSequence(id));
      await settle();
      await settle();
      expect(stdout.since(from), `no frame for ${id}`).not.toBe('');
    }
    stdin.send(commandSequence('app.back'));
    await settle();

    // Data: a task event changes the store; its redraw waits for the data throttle's interval.
    const version = store.getVersion();
    store.dispatch(
      eventsAction(
        clock.now(),
        taskEvent('task-received', '77777777-aaaa-4000-8000-000000000007', clock.now() / 1000, {
          hostname: 'w1@vm',
          name: 'proj.tasks.fresh',
        }),
      ),
    );
    expect(store.getVersion()).toBeGreaterThan(version);
    await settle();
    const from = stdout.written.length;
    await settle();
    expect(stdout.since(from)).toBe('');
    // the store's notification (100 ms) and the frame interval (200 ms) both run on the fake clock
    clock.advance(300);
    await settle();
    expect(stdout.since(from)).not.toBe('');

    vi.useRealTimers();
    stdin.send(commandSequence('app.quit'));
    await expect(run).resolves.toEqual({ error: null });
  });
});
