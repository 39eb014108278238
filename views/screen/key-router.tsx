/**
 * The one root key handler. A key press becomes a key name, the name a binding, looked up by
 * precedence: an open dialog, prompt or filter takes every key (text goes into it); otherwise
 * the focused view's scope, then list keys, then global keys. A binding that cannot run says
 * why (a write in read-only mode, or its `disabledReason`); a key bound only elsewhere says where.
 */
import { type Key, useInput } from 'ink';
import { useCallback, useRef } from 'react';
import { useFrame, useScreen, useUi } from '../hooks/store-context.js';
import { useCurrentView } from '../hooks/use-current-view.js';
import { useLayout } from '../hooks/use-layout.js';
import { type CommandContext, createCommandContext } from '../keys/context/command-context.js';
import { displayKey, keyName, typedText } from '../keys/key-names.js';
import { activeScopes, type Binding, keymap, resolveKey } from '../keys/keymap.js';
import { type UiAction, type UiState, uiReducer } from '../state/ui-state.js';
import { eventsOf, totalsOf } from '../state/view-data.js';

/** One key press: its name (null when unnamed) and the text it types. */
interface Press {
  name: string | null;
  text: string;
}

const chunkKeys: Record<string, string> = {
  '\r': 'return',
  '\t': 'tab',
  '\u007f': 'backspace',
  '\b': 'backspace',
};

/**
 * The presses in one read. Ink hands over several characters at once when they arrive together
 * (a paste, `/state:FAILURE⏎` typed ahead over a slow link); each is then a press of its own.
 */
export function splitPresses(input: string, key: Key): Press[] {
  const name = keyName(input, key);
  const chars = [...input];
  if (name !== null || chars.length < 2 || input.includes('\u001b') || key.ctrl || key.meta) {
    return [{ name, text: typedText(input, key) }];
  }
  return chars.map((ch) => {
    const named = chunkKeys[ch];
    if (named) return { name: named, text: '' };
    if (ch < ' ') return { name: null, text: '' };
    return { name: ch === ' ' ? 'space' : ch, text: ch };
  });
}

function runBinding(binding: Binding, ctx: CommandContext): void {
  const reason =
    binding.write && !ctx.controls.canWrite
      ? (ctx.controls.readOnlyReason ?? 'read-only')
      : (binding.disabledReason?.(ctx) ?? null);
  if (reason !== null) ctx.flash(`${binding.label}: ${reason}`, 'error');
  else binding.run(ctx);
}

/** Handles every key press of the screen; renders nothing. */
export function KeyRouter(): null {
  const deps = useScreen();
  const { ui, dispatch, searches, bulk } = useUi();
  const current = useCurrentView();
  const layout = useLayout();
  useFrame();
  // The handler reads the latest render's values through a ref: Ink re-subscribes a changed
  // handler only in a passive effect, so keys arriving before it runs would see stale state.
  const latest = useRef({ deps, ui, dispatch, searches, bulk, current, layout });
  latest.current = { deps, ui, dispatch, searches, bulk, current, layout };
  const handler = useCallback((input: string, key: Key) => {
    const { deps, dispatch, searches, bulk, current, layout } = latest.current;
    const { frames, controls } = deps;
    // Presses of one read see each other's effects: the UI state is folded locally as well.
    let local: UiState = latest.current.ui;
    const track = (action: UiAction) => {
      local = uiReducer(local, action);
      dispatch(action);
    };
    for (const press of splitPresses(input, key)) {
      const modal = local.modal?.kind ?? null;
      const ctx = createCommandContext({
        ui: local,
        current,
        dispatch: track,
        controls,
        frames,
        clock: deps.clock,
        events: eventsOf(frames),
        workersUp: totalsOf(frames).workersUp,
        pageSize: Math.max(1, layout.bodyHeight - 2),
        searches,
        bulk,
        ...(deps.editText ? { editText: deps.editText } : {}),
        ...(deps.contexts ? { contexts: deps.contexts } : {}),
        quit: deps.quit,
        replay: deps.replay ?? null,
      });
      const scopes = activeScopes(current.scope, modal, deps.replay !== undefined);
      const binding = press.name === null ? null : resolveKey(press.name, scopes);
      if (binding) runBinding(binding, ctx);
      else if (press.text !== '' && (modal === 'filter' || modal === 'prompt' || modal === 'input'))
        track({ type: 'draft/typed', text: press.text });
      else if (press.text !== '' && (modal === 'confirm' || modal === 'bulk'))
        track({ type: 'confirm/typed', text: press.text });
      else if (modal === null && press.name !== null) {
        const name = press.name;
        const elsewhere = keymap.filter(
          (b) =>
            b.keys.includes(name) &&
            (controls.canWrite || !b.write) &&
            (deps.replay !== undefined || !b.scopes.includes('replay')),
        );
        if (elsewhere.length > 0) {
          const what = [...new Set(elsewhere.map((b) => b.label))].join(', ');
          const where = [...new Set(elsewhere.flatMap((b) => b.scopes))].join(', ');
          ctx.flash(`${displayKey(name)} (${what}) works in: ${where}`);
        }
      }
    }
  }, []);
  useInput(handler);
  return null;
}
