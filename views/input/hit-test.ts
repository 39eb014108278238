/**
 * The one place a mouse report becomes something the screen does. Every intent is a key of the
 * keymap where one exists (a tab is its panel's number key, a footer hint its key, the wheel
 * the list's up/down), so the mouse can do nothing the keyboard cannot; the rest is selecting
 * a row (a click on the selected row opens it, like Enter) and pressing a dialog button.
 */
import type { Binding } from '../keys/context/binding.js';
import { displayKey } from '../keys/key-names.js';
import { bindingById } from '../keys/keymap.js';
import { displayWidth } from '../present/text-width.js';
import type { PanelId } from '../state/ui-state.js';
import type { Region } from './hit-registry.js';
import type { MouseEvent } from './sgr-mouse.js';

/** What a mouse report asks for. */
export type MouseIntent =
  /** Press a key through the keymap. */
  | { kind: 'key'; name: string }
  /** The wheel: the list's up/down by `lines` (negative: up). */
  | { kind: 'scroll'; lines: number }
  /** Put the list's cursor on `index` (or open it when the cursor is there). */
  | { kind: 'select'; index: number }
  | { kind: 'button'; which: 'cancel' | 'confirm' };

/** The cells a tab covers on the tab bar line (chrome/tab-parts.ts), end excluded. */
export interface TabSpan {
  panel: PanelId;
  start: number;
  end: number;
}

/** A footer hint's cells on the footer line, end excluded, and the key it stands for. */
export interface KeySpan {
  start: number;
  end: number;
  key: string;
}

/** Where things are on the screen at the moment of the click. */
export interface Scene {
  tabY: number;
  tabs: TabSpan[];
  footerY: number;
  footer: KeySpan[];
  /** Registered lists and buttons of the body (hit-registry.ts). */
  regions: Region[];
  /** The open modal's kind: tabs and rows then take no clicks (the keyboard has them too). */
  modal: string | null;
}

/** Lines one wheel notch moves: what terminals and pagers scroll by. */
export const wheelLines = 3;

/** The footer's hints laid end to end, as Footer draws them (key, then ` label  `). */
export function footerSpans(bindings: Binding[], ascii: boolean): KeySpan[] {
  const spans: KeySpan[] = [];
  let at = 0;
  for (const b of bindings) {
    const key = b.keys[0]!;
    const cells = displayWidth(displayKey(key, ascii)) + displayWidth(` ${b.label}  `);
    spans.push({ start: at, end: at + cells - 2, key });
    at += cells;
  }
  return spans;
}

/** The key a tab stands for: its panel binding's first key. */
function tabKey(tab: TabSpan): string | null {
  return bindingById.get(`panel.${tab.panel}`)?.keys[0] ?? null;
}

function inside(region: Region, x: number, y: number): boolean {
  return x >= region.x && x < region.x + region.width && y >= region.y && y < region.y + region.height;
}

/** The intent of one report in `scene`; null when it asks for nothing. */
export function hitTest(event: MouseEvent, scene: Scene): MouseIntent | null {
  if (event.kind === 'wheel-up' || event.kind === 'wheel-down')
    return { kind: 'scroll', lines: event.kind === 'wheel-up' ? -wheelLines : wheelLines };
  // A click acts on the press; the release, drags and other buttons do nothing.
  if (event.kind !== 'press' || event.button !== 0) return null;
  const { x, y } = event;
  if (y === scene.footerY) {
    const hint = scene.footer.find((s) => x >= s.start && x < s.end);
    return hint ? { kind: 'key', name: hint.key } : null;
  }
  if (y === scene.tabY) {
    if (scene.modal !== null) return null;
    const tab = scene.tabs.find((s) => x >= s.start && x < s.end);
    const key = tab ? tabKey(tab) : null;
    return key ? { kind: 'key', name: key } : null;
  }
  for (const region of scene.regions) {
    if (!inside(region, x, y)) continue;
    const target = region.target;
    if (target.kind === 'button') return { kind: 'button', which: target.which };
    if (scene.modal !== null) return null;
    const index = target.indexOf(target.start + (y - region.y));
    return index === null ? null : { kind: 'select', index };
  }
  return null;
}
