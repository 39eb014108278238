/**
 * The current view (current-view.ts) for the rendering frame, laid out at the screen width.
 * The key router and the panels both call it, and get the same answer from the frame memo.
 */
import { type CurrentView, currentView } from '../state/current-view.js';
import { useFrame, useScreen, useUi } from './store-context.js';
import { useLayout } from './use-layout.js';

/** What is on screen and selected now. */
export function useCurrentView(): CurrentView {
  const { frames, theme, hideArgs } = useScreen();
  const { ui } = useUi();
  const { width, bodyHeight } = useLayout();
  useFrame();
  return currentView(frames, ui, { theme, width, hideArgs, height: bodyHeight });
}
