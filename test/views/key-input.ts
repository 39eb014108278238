/**
 * The bytes a terminal sends for each key name of the keymap, so tests press keys by command
 * id (`press('task.revoke')`) and never spell characters.
 */
import { bindingById } from '../../views/keys/keymap.js';

const sequences: Record<string, string> = {
  up: '\u001b[A',
  down: '\u001b[B',
  right: '\u001b[C',
  left: '\u001b[D',
  pageup: '\u001b[5~',
  pagedown: '\u001b[6~',
  home: '\u001b[H',
  end: '\u001b[F',
  return: '\r',
  escape: '\u001b',
  tab: '\t',
  'shift+tab': '\u001b[Z',
  backspace: '\u007f',
  space: ' ',
};

/** The bytes for a key name: named keys, `ctrl+x` (0x01-0x1a), or the character itself. */
export function keySequence(name: string): string {
  if (sequences[name]) return sequences[name];
  if (name.startsWith('ctrl+')) return String.fromCharCode(name.charCodeAt(5) - 96);
  return name;
}

/** The bytes of command `id`'s `which`-th key; throws for an unknown id. */
export function commandSequence(id: string, which = 0): string {
  const binding = bindingById.get(id);
  if (!binding) throw new Error(`no binding ${id}`);
  const key = binding.keys[which];
  if (key === undefined) throw new Error(`${id} has no key #${which}`);
  return keySequence(key);
}
