/**
 * Key names: what Ink reports for a key press, as the one string the keymap binds
 * ('q', 'G', 'ctrl+c', 'up', 'return', 'escape', 'shift+tab', 'backspace'), and how each name
 * is shown to people in the footer, the help overlay and docs/keys.md.
 */
import type { Key } from 'ink';

/** The key name of a press, or null for pasted text and keys qtop does not name. */
export function keyName(input: string, key: Key): string | null {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'return';
  if (key.escape) return 'escape';
  if (key.tab) return key.shift ? 'shift+tab' : 'tab';
  // Most terminals send DEL (0x7f) for Backspace, which Ink calls `delete` (parse-keypress.js).
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && input.length === 1) return `ctrl+${input.toLowerCase()}`;
  if (input === ' ') return 'space';
  return [...input].length === 1 ? input : null;
}

/** Printable text a press carries (typing into the filter, prompt or confirmation), or ''. */
export function typedText(input: string, key: Key): string {
  if (key.ctrl || key.meta || key.escape || key.return || key.tab) return '';
  return [...input].filter((ch) => ch >= ' ' && ch !== '\u007f').join('');
}

const shown: Record<string, [string, string]> = {
  up: ['↑', 'Up'],
  down: ['↓', 'Down'],
  left: ['←', 'Left'],
  right: ['→', 'Right'],
  pageup: ['PgUp', 'PgUp'],
  pagedown: ['PgDn', 'PgDn'],
  home: ['Home', 'Home'],
  end: ['End', 'End'],
  return: ['Enter', 'Enter'],
  escape: ['Esc', 'Esc'],
  tab: ['Tab', 'Tab'],
  'shift+tab': ['S-Tab', 'S-Tab'],
  backspace: ['Bksp', 'Bksp'],
  space: ['Space', 'Space'],
};

/** A key name as people read it: `↑`, `Enter`, `C-c`, `G`; `ascii` avoids arrows. */
export function displayKey(name: string, ascii = false): string {
  const known = shown[name];
  if (known) return ascii ? known[1] : known[0];
  if (name.startsWith('ctrl+')) return `C-${name.slice(5)}`;
  return name;
}
