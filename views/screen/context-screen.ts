/**
 * What views/render.tsx needs to put another cluster on screen: the dependencies of the new
 * session and the UI state it starts in. The App is remounted (a new React key) rather than
 * patched, so nothing of the old cluster survives: no pending confirmation, no selection by a
 * task id of the other cluster, no in-queue search still reading the old broker.
 */
import type { Clock } from '../../src/base/clock.js';
import type { ContextSource, Contexts, ScreenSession } from '../../src/session/screen-session.js';
import type { ScreenDeps } from '../hooks/store-context.js';
import { initialUi, type UiState } from '../state/ui-state.js';
import type { ViewFrames } from '../state/view-frame.js';

/** `source` with the screen's `show` bound, as the view calls it. */
export function bindContexts(source: ContextSource, show: (session: ScreenSession) => void): Contexts {
  return { list: () => source.list(), switchTo: (name) => source.switchTo(name, show) };
}

/**
 * `deps` for `session` drawn through `frames`. Everything else (theme, quit, the contexts, and
 * whatever else the run added) is kept.
 */
export function sessionDeps(deps: ScreenDeps, session: ScreenSession, frames: ViewFrames): ScreenDeps {
  const { searchQueue: _old, ...rest } = deps;
  return {
    ...rest,
    frames,
    controls: session.controls,
    broker: session.broker,
    label: session.label,
    context: session.context,
    hideArgs: session.hideArgs,
    ...(session.searchQueue ? { searchQueue: session.searchQueue } : {}),
  };
}

/** The UI state after a switch: the start state, with a toast naming the new cluster. */
export function switchedUi(session: ScreenSession, clock: Clock): UiState {
  const name = session.context ?? session.label ?? session.broker;
  const text = `switched to ${name} (${session.broker})${session.controls.canWrite ? '' : ' · read-only'}`;
  return { ...initialUi, flash: { text, level: 'ok', at: clock.now() } };
}
