/**
 * The root component: providers, then the screen. Everything else lives in its own file.
 */

import { type ScreenDeps, ScreenProvider } from '../hooks/store-context.js';
import type { UiState } from '../state/ui-state.js';
import { Screen } from './Screen.js';

/** The app for one run; `initial` lets tests start in a given UI state. */
export function App(props: { deps: ScreenDeps; initial?: UiState }) {
  return (
    <ScreenProvider deps={props.deps} {...(props.initial ? { initial: props.initial } : {})}>
      <Screen />
    </ScreenProvider>
  );
}
