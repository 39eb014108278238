/**
 * Switching clusters from the screen (`:ctx NAME`, issue 10). The view never connects to
 * anything: the command layer injects a `ContextSource` that opens the named profile's session
 * first and hands it to the screen only once it is connected, so a typo or an unreachable
 * cluster leaves the current one on screen with a one-line reason.
 */
import { sanitize } from '../../src/output/sanitize.js';
import type { ContextList, Contexts } from '../../src/session/screen-session.js';
import type { Flash } from './ui-state.js';

type FlashFn = (text: string, level?: Flash['level']) => void;

// A replay, or a test's screen: nothing to switch to.
const cannotSwitch = 'this run cannot switch clusters (:ctx needs the live screen)';

/** The `:ctx` line: every profile, the current one marked, or why there are none. */
export function contextListText(list: ContextList): string {
  if (list.error !== null) return `profiles: ${sanitize(list.error)}`;
  if (list.names.length === 0) return 'no profiles in the config file: add [profiles.NAME] tables';
  const names = list.names.map((name) => sanitize(name) + (name === list.current ? ' (current)' : ''));
  return `profiles: ${names.join(', ')} · :ctx NAME switches`;
}

/** `:ctx` alone: list the profiles in a toast. */
export function listContexts(contexts: Contexts | null, flash: FlashFn): void {
  if (!contexts) {
    flash(cannotSwitch, 'error');
    return;
  }
  const list = contexts.list();
  flash(contextListText(list), list.error === null && list.names.length > 0 ? 'info' : 'error');
}

/**
 * `:ctx NAME`: say that it is connecting, then why it failed. Success says nothing here: the
 * screen is remounted on the new cluster, which shows its own toast.
 */
export function switchContext(contexts: Contexts | null, name: string, flash: FlashFn): void {
  if (!contexts) {
    flash(cannotSwitch, 'error');
    return;
  }
  const shown = sanitize(name);
  flash(`connecting to profile ${shown}…`);
  void contexts.switchTo(name).then(
    (result) => {
      if (result.kind === 'failed') flash(`:ctx ${shown}: ${sanitize(result.error)}`, 'error');
      else if (result.kind === 'unchanged') flash(`already on profile ${shown}`);
    },
    // The source reports failures as results; a rejection is a bug, shown rather than lost.
    (error: unknown) => flash(`:ctx ${shown}: ${sanitize(errorText(error))}`, 'error'),
  );
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
