/**
 * The sole Ink entry, imported dynamically by commands/tui-run.ts so `qtop --json` never loads
 * React or Ink. It owns the terminal for the run: alternate screen in, Ink rendering at a few
 * frames a second, and a restored terminal out on every path, with an unexpected error
 * reported as one line after the screen is gone.
 */
import { render } from 'ink';
import type { Clock } from '../src/clock.js';
import type { Controls } from '../src/control.js';
import type { QueueSearch } from '../src/queue-search-api.js';
import type { Store } from '../src/store/store.js';
import { App } from './App.js';
import { openTerminal } from './terminal-session.js';
import { themeFor } from './theme.js';
import { createViewFrames } from './view-frame.js';

/** What a screen run is given: the live store, the clock, the controls, the search and the terminal. */
export interface ScreenRun {
  store: Store;
  clock: Clock;
  controls: Controls;
  /** The in-queue message search (read-only). */
  searchQueue?: QueueSearch;
  /** Masked broker URL for the header. */
  broker: string;
  label: string | null;
  hideArgs: boolean;
  env: NodeJS.ProcessEnv;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
}

/** How the run ended: null, or the one-line message of the error that ended it. */
export interface ScreenEnd {
  error: string | null;
}

// Ink's default is 30 fps; the data changes about once a second and a frame costs bytes on
// a slow link, so 8 is plenty (view-frame.ts already throttles to 5 data frames a second).
// Ink 6.8's `incrementalRendering` is left off: in tmux it left stale lines on screen (seen
// at 200x50 when a panel's line count changed), and a garbled screen costs more than bytes.
const maxFps = 8;

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? 'unknown error';
}

/** Run the screen until the operator quits, a signal arrives, or an error ends it. */
export async function runScreen(run: ScreenRun): Promise<ScreenEnd> {
  const stdin = run.stdin ?? process.stdin;
  const stdout = run.stdout ?? process.stdout;
  const stderr = run.stderr ?? process.stderr;
  const frames = createViewFrames(run.store, run.clock);
  const terminal = openTerminal(stdout, stdin);
  let failure: string | null = null;
  let quit = () => {};
  const onSignal = () => quit();
  const onCrash = (error: unknown) => {
    failure ??= oneLine(error);
    quit();
  };
  const onExit = () => terminal.restore();
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];
  for (const signal of signals) process.on(signal, onSignal);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  process.on('exit', onExit);
  try {
    frames.start();
    const deps = {
      frames,
      controls: run.controls,
      clock: run.clock,
      theme: themeFor(run.env),
      broker: run.broker,
      label: run.label,
      hideArgs: run.hideArgs,
      ...(run.searchQueue ? { searchQueue: run.searchQueue } : {}),
      quit: () => quit(),
    };
    const instance = render(<App deps={deps} />, {
      stdin,
      stdout,
      stderr,
      exitOnCtrlC: false,
      patchConsole: false,
      maxFps,
    });
    quit = () => instance.unmount();
    await instance.waitUntilExit();
  } catch (error) {
    failure ??= oneLine(error);
  } finally {
    frames.stop();
    for (const signal of signals) process.off(signal, onSignal);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    process.off('exit', onExit);
    terminal.restore();
  }
  return { error: failure };
}
