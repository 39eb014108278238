/**
 * The screen's providers and hooks. The cluster store reaches React only through view frames
 * (view-frame.ts): `useSyncExternalStore` on a throttled subscription, so a burst of 10,000
 * events re-renders a few times a second at most, and selector results are shared per frame.
 */
import type React from 'react';
import {
  createContext,
  useContext,
  useEffect,
  useMemo,
  useReducer,
  useState,
  useSyncExternalStore,
} from 'react';
import type { Clock } from '../../src/base/clock.js';
import type { Controls } from '../../src/control/controls.js';
import type { ReplayControl } from '../../src/record/playback.js';
import type { QueueSearch } from '../../src/session/queue-search-api.js';
import type { Contexts } from '../../src/session/screen-session.js';
import type { Model } from '../../src/store/model.js';
import type { Theme } from '../present/theme.js';
import { type BulkRunner, createBulkRunner } from '../state/bulk-runner.js';
import type { EditText } from '../state/edit-text.js';
import { createSearchRunner, type SearchRunner } from '../state/queue-search-runner.js';
import { initialUi, type UiAction, type UiState, uiReducer } from '../state/ui-state.js';
import type { Frame, ViewFrames } from '../state/view-frame.js';

/** What the screen was started with; fixed for the run, or until `:ctx` remounts it on another cluster. */
export interface ScreenDeps {
  frames: ViewFrames;
  controls: Controls;
  clock: Clock;
  theme: Theme;
  /** The broker URL with its password masked. */
  broker: string;
  /** `--label`: the environment name shown in the header; null when not given. */
  label: string | null;
  hideArgs: boolean;
  /** The in-queue message search (read-only); absent when the run has none. */
  searchQueue?: QueueSearch;
  /** Set when the screen plays a recording (`qtop replay`): the replay keys and header read it. */
  replay?: ReplayControl;
  /** The config profile on screen, for the header; null or absent when flags named the cluster. */
  context?: string | null;
  /** Other clusters `:ctx` can switch to (views/context-switch.ts); absent when the run has none. */
  contexts?: Contexts;
  /** Edit and retry's external editor ($VISUAL/$EDITOR); absent: the call is edited inline. */
  editText?: EditText;
  /** Leave the screen (q, Ctrl-C, :q). */
  quit: () => void;
}

/** The UI state, its dispatch, and the runner of in-queue searches (which reports through dispatch). */
export interface UiHandle {
  ui: UiState;
  dispatch: (action: UiAction) => void;
  searches: SearchRunner;
  /** The bulk dialog's search and run (through the injected controls). */
  bulk: BulkRunner;
}

const ScreenContext = createContext<ScreenDeps | null>(null);
const UiContext = createContext<UiHandle | null>(null);

/** Provides the run's dependencies and the UI state to everything below. */
export function ScreenProvider(props: { deps: ScreenDeps; initial?: UiState; children: React.ReactNode }) {
  const [ui, dispatch] = useReducer(uiReducer, props.initial ?? initialUi);
  const { searchQueue, clock } = props.deps;
  // One runner for the provider's life; a search still running when the screen goes is cancelled.
  const [searches] = useState(() => createSearchRunner(searchQueue ?? null, dispatch, clock));
  useEffect(() => () => void searches.cancel(), [searches]);
  const [bulk] = useState(() => createBulkRunner(props.deps.controls, dispatch, clock));
  useEffect(() => () => void bulk.stop(), [bulk]);
  const value = useMemo(() => ({ ui, dispatch, searches, bulk }), [ui, searches, bulk]);
  return (
    <ScreenContext.Provider value={props.deps}>
      <UiContext.Provider value={value}>{props.children}</UiContext.Provider>
    </ScreenContext.Provider>
  );
}

/** The run's dependencies. */
export function useScreen(): ScreenDeps {
  const deps = useContext(ScreenContext);
  if (!deps) throw new Error('useScreen outside ScreenProvider');
  return deps;
}

/** UI state, its dispatch and the search runner. */
export function useUi(): UiHandle {
  const ui = useContext(UiContext);
  if (!ui) throw new Error('useUi outside ScreenProvider');
  return ui;
}

/** The current frame; the component re-renders when a new frame is taken (or pause toggles). */
export function useFrame(): Frame {
  const { frames } = useScreen();
  return useSyncExternalStore(frames.subscribe, frames.getFrame, frames.getFrame);
}

/**
 * A selector result for the current frame, computed once per `key` and frame however many
 * components ask; `key` must name everything the result depends on.
 */
export function useView<T>(key: string, select: (model: Model, now: number) => T): T {
  const { frames } = useScreen();
  useFrame();
  return frames.memo(key, select);
}
