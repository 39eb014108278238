/**
 * Where the live screen can go besides quitting: the list of every profile (`:all`), and, when
 * the screen was opened from that list, back to it with Esc once there is nothing else to go
 * back from. render.tsx provides it; the key router reads it.
 */
import { createContext, useContext } from 'react';

export interface ScreenExits {
  /** Leave for the list of every profile; null when the run has no profiles. */
  showAll: (() => void) | null;
  /** Esc at the top of the screen returns to the list (the screen was opened from it). */
  escToList: boolean;
}

const none: ScreenExits = { showAll: null, escToList: false };
export const ScreenExitsContext = createContext<ScreenExits>(none);

export function useScreenExits(): ScreenExits {
  return useContext(ScreenExitsContext);
}
