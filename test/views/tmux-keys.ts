/**
 * Pressing keymap commands in a real terminal: a command id becomes its first key, as tmux
 * names it, so end-to-end tests name commands (`press(tmux, 'queue.pause')`), never characters.
 */
import { bindingById } from '../../views/keys/keymap.js';
import type { TmuxSession } from '../helpers/tmux.js';

const tmuxKeys: Record<string, string> = {
  return: 'Enter',
  escape: 'Escape',
  up: 'Up',
  down: 'Down',
  left: 'Left',
  right: 'Right',
  space: 'Space',
  tab: 'Tab',
  'shift+tab': 'BTab',
  backspace: 'BSpace',
  pageup: 'PPage',
  pagedown: 'NPage',
  home: 'Home',
  end: 'End',
};

/** Press command `id` in the pane. */
export async function pressIn(tmux: TmuxSession, id: string): Promise<void> {
  const key = bindingById.get(id)?.keys[0];
  if (key === undefined) throw new Error(`no binding ${id}`);
  if (tmuxKeys[key]) await tmux.sendKeys(tmuxKeys[key]);
  else if (key.startsWith('ctrl+')) await tmux.sendKeys(`C-${key.slice(5)}`);
  else await tmux.sendText(key);
}

/** The line of a capture that carries the selection marker ('> '), or ''. */
export function selectedLineOf(screen: string): string {
  return screen.split('\n').find((line) => line.startsWith('> ')) ?? '';
}
