/**
 * Where the clickable parts of the body were drawn. A list or a dialog button registers itself
 * while it renders (its scroll offset, what a line selects) and marks its place with a Box;
 * the place is read from Ink's own layout (Yoga) at click time, so a click lands where the
 * operator saw the line, whatever the panel's arrangement. Without a registry (mouse off,
 * tests) nothing registers and nothing extra is drawn.
 */
import type { DOMElement } from 'ink';
import { createContext, useCallback, useContext, useLayoutEffect, useRef } from 'react';

/** A list's visible lines: line `start + i` is drawn `header + i` lines below the mark. */
export interface RowsTarget {
  kind: 'rows';
  start: number;
  header: number;
  count: number;
  /** The selection index a line stands for; null when the line selects nothing. */
  indexOf: (line: number) => number | null;
}

/** A dialog button. */
export interface ButtonTarget {
  kind: 'button';
  which: 'cancel' | 'confirm';
}

export type HitTarget = RowsTarget | ButtonTarget;

/** A target with the cells it covers on screen (0-based). */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
  target: HitTarget;
}

interface Entry {
  node: DOMElement | null;
  target: HitTarget | null;
}

/** Absolute place of an Ink node: its Yoga offsets summed up to the root. */
function placeOf(node: DOMElement): { x: number; y: number; width: number; height: number } | null {
  const own = node.yogaNode;
  if (!own) return null;
  let x = 0;
  let y = 0;
  for (let at: DOMElement | undefined = node; at?.yogaNode; at = at.parentNode) {
    x += at.yogaNode.getComputedLeft();
    y += at.yogaNode.getComputedTop();
  }
  return { x, y, width: own.getComputedWidth(), height: own.getComputedHeight() };
}

/** The registered targets of one screen. */
export class HitRegistry {
  private readonly entries = new Set<Entry>();

  add(entry: Entry): () => void {
    this.entries.add(entry);
    return () => this.entries.delete(entry);
  }

  /** Every target with its place as last laid out. */
  regions(): Region[] {
    const out: Region[] = [];
    for (const entry of this.entries) {
      if (!entry.node || !entry.target) continue;
      const place = placeOf(entry.node);
      if (!place) continue;
      if (entry.target.kind === 'rows') {
        const t = entry.target;
        out.push({ x: place.x, y: place.y + t.header, width: place.width, height: t.count, target: t });
      } else out.push({ ...place, target: entry.target });
    }
    return out;
  }
}

export const HitContext = createContext<HitRegistry | null>(null);

/**
 * Registers `target` for the component's life (its fields as of the last render) and returns
 * the ref for the Box that marks its place; null when no registry listens (draw no mark then).
 */
export function useHitTarget(target: HitTarget | null): ((node: DOMElement | null) => void) | null {
  const registry = useContext(HitContext);
  const entry = useRef<Entry>({ node: null, target: null }).current;
  entry.target = target;
  // In the commit itself: a click that comes right after a dialog opens finds its buttons.
  useLayoutEffect(() => registry?.add(entry), [registry, entry]);
  const ref = useCallback(
    (node: DOMElement | null) => {
      entry.node = node;
    },
    [entry],
  );
  return registry ? ref : null;
}
