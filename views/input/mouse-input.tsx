/**
 * Mouse reports from the stdin filter to the screen: render.tsx creates one MouseInput per run
 * and provides it; the key router subscribes, and the lists and buttons register their places
 * (hit-registry.ts). A run without the mouse provides nothing, and nothing of this runs.
 */
import type React from 'react';
import { createContext, useContext, useEffect } from 'react';
import { HitContext, HitRegistry } from './hit-registry.js';
import type { MouseEvent } from './sgr-mouse.js';

/** The run's mouse: where reports arrive and where the screen's targets are registered. */
export interface MouseInput {
  registry: HitRegistry;
  emit(event: MouseEvent): void;
  subscribe(listener: (event: MouseEvent) => void): () => void;
}

export function createMouseInput(): MouseInput {
  const listeners = new Set<(event: MouseEvent) => void>();
  return {
    registry: new HitRegistry(),
    emit: (event) => {
      for (const listener of listeners) listener(event);
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

const MouseContext = createContext<MouseInput | null>(null);

/** Gives `mouse` (or nothing, when null) to the screen below. */
export function MouseProvider(props: { mouse: MouseInput | null; children: React.ReactNode }) {
  return (
    <MouseContext.Provider value={props.mouse}>
      <HitContext.Provider value={props.mouse?.registry ?? null}>{props.children}</HitContext.Provider>
    </MouseContext.Provider>
  );
}

/** The run's hit registry, or null when the mouse is off. */
export function useMouseRegistry(): HitRegistry | null {
  return useContext(MouseContext)?.registry ?? null;
}

/** Calls `listener` with each mouse report while mounted (never, when the mouse is off). */
export function useMouse(listener: (event: MouseEvent) => void): void {
  const mouse = useContext(MouseContext);
  useEffect(() => mouse?.subscribe(listener), [mouse, listener]);
}
