/**
 * The sole Ink entry, imported dynamically by commands/tui-run.ts so `qtop --json` never loads
 * React or Ink. It owns the terminal for the run: alternate screen in, Ink rendering at a few
 * frames a second (keys at once), and a restored terminal out on every path, with an unexpected error
 * reported as one line after the screen is gone.
 */
import { render } from 'ink';
import type { ReactNode } from 'react';
import type { Clock } from '../src/base/clock.js';
import type { Controls } from '../src/control/controls.js';
import type { ReplayControl } from '../src/record/playback.js';
import type { QueueSearch } from '../src/session/queue-search-api.js';
import type { ContextSource, ScreenSession } from '../src/session/screen-session.js';
import type { Store } from '../src/store/store.js';
import type { ScreenDeps } from './hooks/store-context.js';
import { createMouseInput, type MouseInput, MouseProvider } from './input/mouse-input.js';
import { MouseFilterStream } from './input/mouse-stream.js';
import { themeFor } from './present/theme.js';
import { App } from './screen/App.js';
import { bindContexts, sessionDeps, switchedUi } from './screen/context-screen.js';
import { editorCommand, externalEditor } from './screen/external-editor.js';
import { type ScreenExits, ScreenExitsContext } from './screen/screen-exits.js';
import { openTerminal } from './screen/terminal-session.js';
import { createViewFrames } from './state/view-frame.js';

/** What a screen run is given: the live store, the clock, the controls, the search and the terminal. */
export interface ScreenRun {
  store: Store;
  clock: Clock;
  controls: Controls;
  /** The in-queue message search (read-only). */
  searchQueue?: QueueSearch;
  /** A recording's playback (`qtop replay`); absent on a live cluster. */
  replay?: ReplayControl;
  /** Masked broker URL for the header. */
  broker: string;
  label: string | null;
  hideArgs: boolean;
  /** The config profile on screen; null or absent when flags named the cluster. */
  context?: string | null;
  /** The clusters `:ctx` can switch to; absent when the run cannot switch. */
  contexts?: ContextSource;
  env: NodeJS.ProcessEnv;
  /** `:all` leaves the screen for the list of every profile (the run has a config file's profiles). */
  showAll?: boolean;
  /** The screen was opened from that list: Esc with nothing else to close goes back to it. */
  escToList?: boolean;
  /** Mouse reporting (`--no-mouse`: false); it is off anyway with TERM=dumb or without a terminal. */
  mouse?: boolean;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
}

/** How the run ended: null, or the one-line message of the error that ended it. */
export interface ScreenEnd {
  error: string | null;
  /** Set when the operator asked for the list of every profile (`:all`, or Esc back to it). */
  next?: 'all';
}

// Input first: Ink's own throttle (`maxFps`, leading and trailing edge) held every redraw, so a
// key pressed just after a data frame waited up to 1000/maxFps ms for its frame. Data redraws
// are throttled where data arrives instead (view-frame.ts: 5 data frames a second at most, one
// a second for ages), so Ink is left unthrottled (0: every commit is drawn as it happens) and a
// key's effect is drawn at once. Ink 6.8's `incrementalRendering` stays off: in tmux it left
// stale lines on screen (seen at 200x50 when a panel's line count changed).
/** Ink's render options for the screen (exported for the test that a key is drawn at once). */
export const screenInkOptions = { exitOnCtrlC: false, patchConsole: false, maxFps: 0 } as const;

/** Whether the run turns mouse reporting on: asked for, on a terminal that is not dumb. */
export function mouseWanted(run: Pick<ScreenRun, 'mouse' | 'env'>, stdin: { isTTY?: boolean }): boolean {
  return run.mouse !== false && run.env.TERM !== 'dumb' && stdin.isTTY === true;
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? 'unknown error';
}

/** Run the screen until the operator quits, a signal arrives, or an error ends it. */
export async function runScreen(run: ScreenRun): Promise<ScreenEnd> {
  const stdin = run.stdin ?? process.stdin;
  const stdout = run.stdout ?? process.stdout;
  const stderr = run.stderr ?? process.stderr;
  // Frames belong to one store: a `:ctx` switch stops these and starts the new cluster's.
  let frames = createViewFrames(run.store, run.clock);
  // Ink reads a filter in front of the terminal that takes mouse reports out before its key
  // parser could fire their bytes as keys (views/input/mouse-stream.ts). With the mouse off the
  // reports are dropped: a terminal left reporting by another program types nothing here either.
  const mouse: MouseInput | null = mouseWanted(run, stdin) && stdout.isTTY ? createMouseInput() : null;
  const input = stdin.isTTY ? new MouseFilterStream(stdin, mouse ? mouse.emit : () => {}) : null;
  let next: 'all' | null = null;
  const exits: ScreenExits = {
    showAll: run.showAll
      ? () => {
          next = 'all';
          quit();
        }
      : null,
    escToList: run.escToList === true,
  };
  const screen = (app: ReactNode) => (
    <ScreenExitsContext.Provider value={exits}>
      <MouseProvider mouse={mouse}>{app}</MouseProvider>
    </ScreenExitsContext.Provider>
  );
  const terminal = openTerminal(stdout, stdin, { mouse: mouse !== null });
  let failure: string | null = null;
  let ended = false;
  let quit = () => {};
  const onSignal = () => quit();
  const onCrash = (error: unknown) => {
    failure ??= oneLine(error);
    quit();
  };
  const onExit = () => terminal.restore();
  // A job-control stop (kill -TSTP; raw mode keeps Ctrl-Z a key) gives the shell a sane terminal.
  const onStop = () => {
    terminal.suspend();
    process.kill(process.pid, 'SIGSTOP');
  };
  const onContinue = () => terminal.resume();
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];
  for (const signal of signals) process.on(signal, onSignal);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  process.on('exit', onExit);
  process.on('SIGTSTP', onStop);
  process.on('SIGCONT', onContinue);
  try {
    frames.start();
    // Remounts the App on a connected session (a new key: no UI state crosses clusters).
    const show = (session: ScreenSession) => {
      if (ended) return; // a switch that connected as the screen closed: nothing left to show
      const next = createViewFrames(session.store, run.clock);
      next.start();
      frames.stop();
      frames = next;
      deps = sessionDeps(deps, session, next);
      generation += 1;
      instance.rerender(
        screen(<App key={generation} deps={deps} initial={switchedUi(session, run.clock)} />),
      );
    };
    let generation = 0;
    const editor = editorCommand(run.env);
    let deps: ScreenDeps = {
      frames,
      controls: run.controls,
      clock: run.clock,
      theme: themeFor(run.env),
      broker: run.broker,
      label: run.label,
      hideArgs: run.hideArgs,
      ...(run.searchQueue ? { searchQueue: run.searchQueue } : {}),
      ...(run.replay ? { replay: run.replay } : {}),
      quit: () => quit(),
      ...(editor
        ? {
            editText: externalEditor(
              editor,
              { stdin, stdout, mouse: mouse !== null, redraw: () => instance.clear() },
              run.env,
            ),
          }
        : {}),
      context: run.context ?? null,
      ...(run.contexts ? { contexts: bindContexts(run.contexts, show) } : {}),
    };
    const instance = render(screen(<App deps={deps} />), {
      stdin: input ? (input as unknown as NodeJS.ReadStream) : stdin,
      stdout,
      stderr,
      ...screenInkOptions,
    });
    quit = () => instance.unmount();
    await instance.waitUntilExit();
  } catch (error) {
    failure ??= oneLine(error);
  } finally {
    ended = true;
    frames.stop();
    for (const signal of signals) process.off(signal, onSignal);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    process.off('exit', onExit);
    process.off('SIGTSTP', onStop);
    process.off('SIGCONT', onContinue);
    terminal.restore();
    input?.destroy();
  }
  return next === null || failure !== null ? { error: failure } : { error: null, next };
}
