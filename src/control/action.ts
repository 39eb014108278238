/**
 * The control-action record: everything qtop knows about one action an operator can take, in
 * one place. The keymap (views/keys), the confirmation and value prompt on the screen, the CLI
 * subcommand (commands/control) and the command log all read it; the write itself is the
 * `Controls` method `run` calls, implemented once in commands/control/. Adding an action = one
 * record in src/control/actions/ + one function that writes in commands/control/.
 */
import type { ControlOutcome, Controls } from './controls.js';
import type { SelectionFacts } from './selection.js';

/**
 * How an action is confirmed. `none`: harmless or reversible, runs at once. `dialog`: the screen
 * says exactly what will happen and Cancel has the focus. `typed-name`: a mass or irreversible
 * action: the operator types the target's name (`--confirm NAME` on the CLI). `typed-count`: a
 * bulk action: the operator types how many items it acts on (`--confirm N` on the CLI).
 */
export type ConfirmRule = 'none' | 'dialog' | 'typed-name' | 'typed-count';

/** What a confirmation shows. `typeToConfirm` is set for the typed rules; `choices` to pick one. */
export interface Dialog {
  title: string;
  lines: string[];
  confirmLabel: string;
  typeToConfirm: string | null;
  choices: string[] | null;
}

/** What the action applies to (for the docs and the guards' wording). */
export type ActionTarget =
  | 'task'
  | 'task-name'
  | 'worker'
  | 'queue'
  | 'message'
  | 'queue-hint'
  | 'workers'
  | 'beat-entry';

/**
 * A value the screen asks for before the confirmation (autoscale's MAX MIN, a rate, a queue):
 * `seed` is what the selection gave; the typed text completes it into the action's params.
 */
export interface ValuePrompt<P, S> {
  /** The field's name: 'MAX MIN', 'rate', 'queue'. */
  label: string;
  title(seed: S): string;
  /** What to type, in qtop's words. */
  lines(seed: S): string[];
  /** Text the field starts with (edit and retry's call); empty when absent. */
  initial?(seed: S): string;
  /** The params the typed text gives, or why it is not accepted. */
  parse(seed: S, draft: string): P | { error: string };
}

/** How a key press starts the action: with params ready, or by asking for a value first. */
export type ActionStart<P, S> = { params: P } | { seed: S };

export interface ControlAction<P = unknown, S = unknown> {
  /** `family.verb`, unique: the command log and the docs name the action by it. */
  id: string;
  target: ActionTarget;
  /** The command log's and `--json`'s name for it: 'revoke', 'queue pause'. */
  log: string;
  /** The CLI subcommand, as its usage line: 'revoke <task-id...>', 'pool <worker> grow <n>'. */
  cli: string;
  /** Whether it changes the cluster (read-only mode refuses it and hides its key). */
  writes: boolean;
  confirm: ConfirmRule;
  /** For the footer. */
  label: string;
  /** One sentence for the help overlay, the docs and the CLI's description. */
  help: string;
  /** No key on the screen: the CLI only (the keymap test accepts no binding for these). */
  cliOnly?: true;
  /** The command log's target: 'task 1fd8…', 'queue parked on w1@host'. */
  describe(params: P): string;
  /** The confirmation; null exactly when `confirm` is 'none'. */
  dialog(params: P): Dialog | null;
  /** The params with the dialog's pick (an index into `dialog().choices`) filled in. */
  choose?(params: P, choice: number): P;
  /** The write, through the injected controls; resolves with an outcome, never throws for an expected failure. */
  run(controls: Controls, params: P): Promise<ControlOutcome>;
  /** Screen: why the action cannot run on this selection now, or null. */
  guard?(selection: SelectionFacts): string | null;
  /** Screen: the params from the selection (only called when `guard` said null). */
  start?(selection: SelectionFacts): ActionStart<P, S>;
  /** Screen: the value prompt for starts that return a seed. */
  prompt?: ValuePrompt<P, S>;
}

/** An action asked for with its params: plain data, held in UI state while it is confirmed. */
export interface ActionRequest {
  id: string;
  params: unknown;
}

/**
 * A record with its params' type erased, for tables and lookups: the params of a request were made
 * by the same record's `start` or `prompt`, so they always fit its `run`.
 */
// biome-ignore lint/suspicious/noExplicitAny: params are checked where each record is defined (defineAction)
export type AnyAction = ControlAction<any, any>;

/** Define a record with its params' type checked; the registry holds them type-erased. */
export function defineAction<P, S = never>(action: ControlAction<P, S>): ControlAction<P, S> {
  return action;
}
