/**
 * The shape of one key binding: the record the keymap (keymap.ts) is a table of, and that the key
 * router, the footer, the `?` help, read-only mode and the key table of docs/keys.md all read.
 */

import type { AnyAction } from '../../../src/control/action.js';
import type { Scope } from '../../state/current-view.js';
import type { CommandContext } from './command-context.js';

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
  /** The control action this key starts (src/control/actions), if it is one. */
  action?: AnyAction;
  /** Why the command cannot run now; null when it can. */
  disabledReason?: (ctx: CommandContext) => string | null;
  run: (ctx: CommandContext) => void;
}

/** Where an action's key works, and wording that differs from the record's in this scope. */
interface ActionKey {
  /** Defaults to the action's id; set when one action has keys in several scopes. */
  id?: string;
  keys: string[];
  scopes: Scope[];
  footer?: boolean;
  label?: string;
  help?: string;
}

/**
 * The binding of a control action: its key and scopes here, everything else from the record
 * (guard, label, help, whether it writes or confirms), so the key cannot disagree with the CLI.
 */
export function actionBinding(action: AnyAction, key: ActionKey): Binding {
  return {
    id: key.id ?? action.id,
    keys: key.keys,
    scopes: key.scopes,
    label: key.label ?? action.label,
    help: key.help ?? action.help,
    footer: key.footer,
    write: action.writes,
    danger: action.confirm !== 'none',
    action,
    disabledReason: (ctx) => action.guard?.(ctx.selection) ?? null,
    run: (ctx) => ctx.start(action),
  };
}
