/**
 * The one root key handler. A key press becomes a key name, the name a binding, looked up by
 * precedence: an open dialog, prompt or filter takes every key (text goes into it); otherwise
 * the focused view's scope, then list keys, then global keys. A binding that cannot run says
 * why (a write in read-only mode, or its `disabledReason`); a key bound only elsewhere says where.
 * A mouse report goes through the same path: hit-test.ts turns it into keys of the keymap (or a
 * row to select), which run here like typed ones.
 */
import { type Key, useInput } from 'ink';
import { useCallback, useRef } from 'react';
import { footerBindings } from '../chrome/Footer.js';
import { tabParts } from '../chrome/tab-parts.js';
import { useFrame, useScreen, useUi } from '../hooks/store-context.js';
import { useCurrentView } from '../hooks/use-current-view.js';
import { useHeaderHeight, useLayout } from '../hooks/use-layout.js';
import type { Region } from '../input/hit-registry.js';
import { footerSpans, hitTest, type MouseIntent, type Scene } from '../input/hit-test.js';
import { useMouse, useMouseRegistry } from '../input/mouse-input.js';
import type { MouseEvent } from '../input/sgr-mouse.js';
import { type CommandContext, createCommandContext } from '../keys/context/command-context.js';
import { backReason } from '../keys/context/command-guards.js';
import { displayKey, keyName, typedText } from '../keys/key-names.js';
import { activeScopes, type Binding, keymap, resolveKey } from '../keys/keymap.js';
import { type UiAction, type UiState, uiReducer } from '../state/ui-state.js';
import { eventsOf, totalsOf } from '../state/view-data.js';
import { type ScreenExits, useScreenExits } from './screen-exits.js';

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

/** A press, or a step only the mouse takes (select a row, focus a button), run in the same context. */
type Step = Press | { run: (ctx: CommandContext) => void };

/** What a handler reads of the latest render. */
interface Latest {
  deps: ReturnType<typeof useScreen>;
  ui: UiState;
  dispatch: (action: UiAction) => void;
  searches: ReturnType<typeof useUi>['searches'];
  bulk: ReturnType<typeof useUi>['bulk'];
  current: ReturnType<typeof useCurrentView>;
  layout: ReturnType<typeof useLayout>;
  headerHeight: number;
  exits: ScreenExits;
}

/** Runs presses one after the other; each sees the UI state the ones before it left. */
function runSteps(steps: Step[], latest: Latest): void {
  const { deps, dispatch, searches, bulk, current, layout } = latest;
  const { frames, controls } = deps;
  // Presses of one read see each other's effects: the UI state is folded locally as well.
  let local: UiState = latest.ui;
  const track = (action: UiAction) => {
    local = uiReducer(local, action);
    // Keys that arrive in a later read before React renders (a busy machine, a fast typist) see
    // this state too, not the last render's: the render that follows carries the same actions.
    latest.ui = local;
    dispatch(action);
  };
  for (const press of steps) {
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
      ...(latest.exits.showAll ? { showAll: latest.exits.showAll } : {}),
      replay: deps.replay ?? null,
    });
    if ('run' in press) {
      press.run(ctx);
      continue;
    }
    const scopes = activeScopes(current.scope, modal, deps.replay !== undefined);
    const binding = press.name === null ? null : resolveKey(press.name, scopes);
    // Opened from the list of every profile, Esc with nothing left to close goes back to it.
    if (
      binding?.id === 'app.back' &&
      latest.exits.escToList &&
      latest.exits.showAll &&
      backReason(ctx) !== null
    )
      latest.exits.showAll();
    else if (binding) runBinding(binding, ctx);
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
}

/** The steps a mouse intent takes: keys of the keymap wherever one exists. */
function mouseSteps(intent: MouseIntent, latest: Latest): Step[] {
  switch (intent.kind) {
    case 'key':
      return [{ name: intent.name, text: '' }];
    case 'scroll':
      // One step of `lines` rows (the same move as that many up/down presses): presses of one
      // batch all start from the render's cursor, so three would move one row.
      if (latest.ui.modal === null) return [{ run: (ctx) => ctx.move(intent.lines) }];
      return Array.from({ length: Math.abs(intent.lines) }, () => ({
        name: intent.lines < 0 ? 'up' : 'down',
        text: '',
      }));
    case 'select':
      // A click on the selected row is Enter on it; elsewhere it moves the cursor there.
      return intent.index === latest.current.index
        ? [{ name: 'return', text: '' }]
        : [{ run: (ctx) => ctx.move(0, intent.index) }];
    case 'button':
      return intent.which === 'cancel'
        ? [{ name: 'escape', text: '' }]
        : [
            { run: (ctx) => ctx.dispatch({ type: 'confirm/changed', patch: { focus: 'confirm' } }) },
            { name: 'return', text: '' },
          ];
  }
}

/** The screen's clickable places now: tab bar and footer from their tables, the body from the registry. */
function sceneOf(latest: Latest, regions: Region[]): Scene {
  const { ui, layout, deps, current } = latest;
  const modal = ui.modal?.kind ?? null;
  const bindings = footerBindings(current.scope, modal, deps.controls.canWrite, deps.replay !== undefined);
  return {
    tabY: latest.headerHeight,
    tabs: tabParts(ui.panel, layout.width).spans,
    // The status line is between the body and the footer (Screen.tsx).
    footerY: latest.headerHeight + 1 + layout.bodyHeight + 1,
    footer: footerSpans(bindings, deps.theme.ascii),
    regions,
    modal,
  };
}

/** Handles every key press and mouse report of the screen; renders nothing. */
export function KeyRouter(): null {
  const deps = useScreen();
  const { ui, dispatch, searches, bulk } = useUi();
  const current = useCurrentView();
  const layout = useLayout();
  const headerHeight = useHeaderHeight();
  const registry = useMouseRegistry();
  const exits = useScreenExits();
  useFrame();
  // The handler reads the latest render's values through a ref: Ink re-subscribes a changed
  // handler only in a passive effect, so keys arriving before it runs would see stale state.
  const latest = useRef<Latest>({ deps, ui, dispatch, searches, bulk, current, layout, headerHeight, exits });
  latest.current = { deps, ui, dispatch, searches, bulk, current, layout, headerHeight, exits };
  const handler = useCallback(
    (input: string, key: Key) => runSteps(splitPresses(input, key), latest.current),
    [],
  );
  const onMouse = useCallback(
    (event: MouseEvent) => {
      if (latest.current.layout.tooSmall) return;
      const intent = hitTest(event, sceneOf(latest.current, registry?.regions() ?? []));
      if (intent) runSteps(mouseSteps(intent, latest.current), latest.current);
    },
    [registry],
  );
  useInput(handler);
  useMouse(onMouse);
  return null;
}
