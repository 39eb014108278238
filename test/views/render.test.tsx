import { afterEach, describe, expect, it, vi } from 'vitest';

// Like commands/tui-run.ts before it loads the screen: Ink draws only the last frame when it
// believes it runs in CI, which it decides once, on import. Hoisted above the imports below.
vi.hoisted(() => {
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
});

import { runScreen } from '../../views/render.js';
import { enterSequence, leaveSequence, openTerminal } from '../../views/screen/terminal-session.js';
import { createFakeClock } from '../helpers/fake-clock.js';
import { clusterStore } from './cluster-fixture.js';
import { FakeTty, FakeTtyIn } from './fake-tty.js';
import { commandSequence } from './key-input.js';
import { fakeControls } from './render-screen.js';

// The render entry end to end with fake terminal streams: the alternate screen is entered and
// always left, process hooks are removed, and an error ends the run as one line.

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 20));

async function start(store = clusterStore(createFakeClock())) {
  const stdout = new FakeTty();
  const stdin = new FakeTtyIn();
  const clock = createFakeClock();
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
  // bounded wait for the first frame with rows (a loaded machine may take more than one frame)
  for (let i = 0; i < 250 && !stdout.text().includes('celery'); i++) await tick();
  return { run, stdout, stdin, clock };
}

const hooks = () =>
  ['SIGTERM', 'SIGINT', 'SIGHUP', 'uncaughtException', 'exit'].map((e) => process.listenerCount(e));

afterEach(() => vi.restoreAllMocks());

describe('terminal session', () => {
  it('enters the alternate screen on a terminal and restores once', () => {
    const out = new FakeTty();
    const modes: boolean[] = [];
    const session = openTerminal(out, { isTTY: true, setRawMode: (m: boolean) => modes.push(m) });
    session.restore();
    session.restore();
    expect(out.text()).toBe(enterSequence + leaveSequence);
    expect(modes).toEqual([false]);
  });

  it('does nothing when stdout is not a terminal', () => {
    const out = new FakeTty();
    out.isTTY = false;
    openTerminal(out, {}).restore();
    expect(out.written).toEqual([]);
  });
});

describe('runScreen', () => {
  it('draws in the alternate screen and leaves it on q', async () => {
    const { run, stdout, stdin } = await start();
    expect(stdout.written[0]).toBe(enterSequence);
    expect(stdout.text()).toContain('celery');
    stdin.send(commandSequence('app.quit'));
    await expect(run).resolves.toEqual({ error: null });
    expect(stdout.text().endsWith(leaveSequence)).toBe(true);
    expect(stdin.rawModes.at(-1)).toBe(false);
  });

  it('removes its process hooks when it ends (no leak from run to run)', async () => {
    // Measured after a first run: Ink's cli-cursor registers its own exit hooks once per process.
    const before = hooks();
    const { run, stdin } = await start();
    expect(hooks()).not.toEqual(before);
    stdin.send(commandSequence('app.quit'));
    await run;
    expect(hooks()).toEqual(before);
  });

  it('leaves on SIGTERM', async () => {
    const { run, stdout } = await start();
    process.emit('SIGTERM', 'SIGTERM');
    await expect(run).resolves.toEqual({ error: null });
    expect(stdout.text().endsWith(leaveSequence)).toBe(true);
  });

  it('an error while drawing ends the run as one line, with the terminal restored', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const store = clusterStore(createFakeClock());
    const { run, stdout, clock } = await start(store);
    store.getModel = () => {
      throw new Error('model exploded\n    at somewhere');
    };
    clock.advance(1000); // the once-a-second frame redraws, and the selectors now throw
    await expect(run).resolves.toEqual({ error: 'model exploded' });
    expect(stdout.text().endsWith(leaveSequence)).toBe(true);
  });
});
