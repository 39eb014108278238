/**
 * The shape of one key binding: the record the keymap (keymap.ts) is a table of, and that the key
 * router, the footer, the `?` help, read-only mode and the key table of docs/keys.md all read.
 */
import type { CommandContext } from './command-context.js';
import type { Scope } from './current-view.js';

/** One command: its keys, where they work, what it says, and what it does. */
export interface Binding {
  /** `scope.verb`, unique. */
  id: string;
  /** Key names (key-names.ts): 'q', 'G', 'ctrl+c', 'up', 'return', 'escape', 'shift+tab'. */
  keys: string[];
  scopes: Scope[];
  /** Short, for the footer. */
  label: string;
  /** One sentence, for the help overlay and docs/keys.md. */
  help: string;
  footer?: boolean;
  /** Writes to Redis: removed from footer and help, and refused, when controls cannot write. */
  write?: boolean;
  /** Opens a confirmation that says exactly what will happen. */
  danger?: boolean;
  /** Why the command cannot run now; null when it can. */
  disabledReason?: (ctx: CommandContext) => string | null;
  run: (ctx: CommandContext) => void;
}
