/**
 * The one render helper for screen tests: the real App over a fixture store, a fake clock, a
 * recording fake `Controls`, and a terminal of any size (ink-testing-library's is fixed at 100
 * columns). Keys are pressed by command id; waits are bounded and end with a setImmediate turn
 * so Ink has re-armed its input handler before the next key (MCP Inspector's finding).
 */
import { EventEmitter } from 'node:events';
import { render } from 'ink';
import { type ControlOutcome, type Controls, readOnlyModeReason } from '../../src/control/controls.js';
import type { ReplayControl } from '../../src/record/playback.js';
import type { QueueSearch } from '../../src/session/queue-search-api.js';
import type { Store } from '../../src/store/store.js';
import { createMouseInput, MouseProvider } from '../../views/input/mouse-input.js';
import { MouseFilterStream } from '../../views/input/mouse-stream.js';
import type { Theme } from '../../views/present/theme.js';
import { App } from '../../views/screen/App.js';
import type { UiState } from '../../views/state/ui-state.js';
import { createViewFrames, type ViewFrames } from '../../views/state/view-frame.js';
import { createFakeClock, type FakeClock } from '../helpers/fake-clock.js';
import { clusterStore } from './cluster-fixture.js';
import { commandSequence, keySequence } from './key-input.js';

class FakeStdout extends EventEmitter {
  frames: string[] = [];
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (frame: string) => {
    this.frames.push(frame);
    return true;
  };
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write(data: string) {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read = () => {
    const data = this.data;
    this.data = null;
    return data;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

/** A call the fake controls received. */
export interface ControlCall {
  method: string;
  args: unknown[];
}

/**
 * Fake controls that record every call and answer `outcome`. Like the real ones they remember
 * the queues they paused (on the fixture's worker) until resumed, for `pausedOn`.
 */
export function fakeControls(
  canWrite = true,
  outcome: ControlOutcome = { ok: true, summary: 'done on 1 worker', replies: [] },
): Controls & { calls: ControlCall[] } {
  const calls: ControlCall[] = [];
  const paused = new Map<string, string[]>();
  const method =
    (name: string) =>
    (...given: unknown[]) => {
      // An optional argument passed as undefined is the same call as one left out.
      const args = [...given];
      while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
      calls.push({ method: name, args });
      if (outcome.ok && name === 'pauseQueue') paused.set(String(args[0]), ['w1@vm']);
      if (outcome.ok && name === 'resumeQueue') paused.delete(String(args[0]));
      return Promise.resolve(outcome);
    };
  const names = [
    'revoke',
    'revokeStamped',
    'retry',
    'retryFailed',
    'poolGrow',
    'poolShrink',
    'autoscale',
    'rateLimit',
    'timeLimit',
    'addConsumer',
    'cancelConsumer',
    'pauseQueue',
    'resumeQueue',
    'runBeatEntry',
    'setBeatEntryEnabled',
    'setEvents',
    'purgeQueue',
    'deleteMessage',
    'moveMessage',
    'ping',
    'shutdown',
  ];
  const controls = Object.fromEntries(names.map((n) => [n, method(n)]));
  return {
    ...(controls as unknown as Controls),
    canWrite,
    readOnlyReason: canWrite ? null : readOnlyModeReason,
    pausedOn: (queue: string) => paused.get(queue) ?? [],
    calls,
  };
}

export interface ScreenOptions {
  columns?: number;
  rows?: number;
  clock?: FakeClock;
  store?: Store;
  controls?: Controls & { calls: ControlCall[] };
  theme?: Theme;
  label?: string | null;
  hideArgs?: boolean;
  initial?: UiState;
  /** The in-queue search the screen is given; default none. */
  searchQueue?: QueueSearch;
  /** A recording's playback: the screen is then a replay. */
  replay?: ReplayControl;
  /** Edit and retry's external editor; default none (the call is edited inline). */
  editText?: (text: string) => Promise<string | null>;
  /** Mouse on, as render.tsx turns it on: stdin through the report filter, targets registered. */
  mouse?: boolean;
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Render the app; returns the handles a test drives it with. */
export async function renderScreen(options: ScreenOptions = {}) {
  const clock = options.clock ?? createFakeClock();
  const store = options.store ?? clusterStore(clock);
  const controls = options.controls ?? fakeControls();
  const frames: ViewFrames = createViewFrames(store, clock);
  const stdout = new FakeStdout(options.columns ?? 80, options.rows ?? 24);
  const stdin = new FakeStdin();
  let quitCalls = 0;
  frames.start();
  const deps = {
    frames,
    controls,
    clock,
    theme: options.theme ?? { color: false, ascii: false },
    broker: 'redis://:***@redis.example:6379/0',
    label: options.label ?? null,
    hideArgs: options.hideArgs ?? false,
    ...(options.searchQueue ? { searchQueue: options.searchQueue } : {}),
    ...(options.replay ? { replay: options.replay } : {}),
    ...(options.editText ? { editText: options.editText } : {}),
    quit: () => {
      quitCalls += 1;
    },
  };
  const mouse = options.mouse ? createMouseInput() : null;
  const app = <App deps={deps} {...(options.initial ? { initial: options.initial } : {})} />;
  const instance = render(<MouseProvider mouse={mouse}>{app}</MouseProvider>, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: (mouse ? new MouseFilterStream(stdin, mouse.emit) : stdin) as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const lastFrame = () => stdout.frames.at(-1) ?? '';
  const waitForFrame = async (match: string | RegExp, tries = 50) => {
    for (let i = 0; i < tries; i++) {
      const frame = lastFrame();
      if (typeof match === 'string' ? frame.includes(match) : match.test(frame)) {
        await settle();
        return frame;
      }
      await settle();
    }
    throw new Error(`no frame with ${String(match)}; last frame:\n${lastFrame()}`);
  };
  const screen = {
    clock,
    store,
    frames,
    controls,
    stdout,
    lastFrame,
    waitForFrame,
    quitCalls: () => quitCalls,
    /** Press command `id` (its `which`-th key) and let the screen update. */
    async press(id: string, which = 0) {
      stdin.write(commandSequence(id, which));
      await settle();
      await settle();
    },
    /** Type text into whatever has the focus (filter, prompt, confirmation). */
    async type(text: string) {
      stdin.write(text);
      await settle();
      await settle();
    },
    /** Write a raw key name that no binding is meant to have (for "unbound key" tests). */
    async pressKey(name: string) {
      stdin.write(keySequence(name));
      await settle();
      await settle();
    },
    /** A left click (press and release, as SGR reports) on cell `x`, `y` (0-based). */
    async click(x: number, y: number) {
      stdin.write(`\u001b[<0;${x + 1};${y + 1}M\u001b[<0;${x + 1};${y + 1}m`);
      await settle();
      await settle();
    },
    /** One wheel notch over cell `x`, `y`. */
    async wheel(direction: 'up' | 'down', x = 0, y = 5) {
      stdin.write(`\u001b[<${direction === 'up' ? 64 : 65};${x + 1};${y + 1}M`);
      await settle();
      await settle();
    },
    /** Move the fake clock (new frames are taken on it) and let the screen update. */
    async advance(ms: number) {
      clock.advance(ms);
      await settle();
      await settle();
    },
    async resize(columns: number, rows: number) {
      stdout.columns = columns;
      stdout.rows = rows;
      stdout.emit('resize');
      await settle();
      await settle();
    },
    unmount() {
      instance.unmount();
      frames.stop();
    },
  };
  await settle();
  return screen;
}

/** The lines of a frame (Ink's debug frames end without a newline). */
export function linesOf(frame: string): string[] {
  return frame.split('\n');
}
