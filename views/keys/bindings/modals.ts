/**
 * The keymap's bindings for what takes every key while open: the help overlay, the filter line,
 * the `:` prompt, the value prompt and the confirmation dialog (a part of the one keymap table,
 * split out to keep keymap.ts readable). Typed text goes into the open field (key-router.tsx).
 */

import { actionById } from '../../../src/control/actions/index.js';
import type { Binding } from '../context/binding.js';

const helpBindings: Binding[] = [
  {
    id: 'help.close',
    keys: ['escape', '?', 'q'],
    scopes: ['help'],
    label: 'close',
    footer: true,
    help: 'Close the help.',
    run: (ctx) => ctx.dispatch({ type: 'modal/closed' }),
  },
  {
    id: 'help.up',
    keys: ['up', 'k'],
    scopes: ['help'],
    label: 'scroll up',
    help: 'Scroll the help up.',
    run: (ctx) =>
      ctx.ui.modal?.kind === 'help' &&
      ctx.dispatch({ type: 'help/scrolled', scroll: ctx.ui.modal.scroll - 1 }),
  },
  {
    id: 'help.down',
    keys: ['down', 'j'],
    scopes: ['help'],
    label: 'scroll down',
    help: 'Scroll the help down.',
    run: (ctx) =>
      ctx.ui.modal?.kind === 'help' &&
      ctx.dispatch({ type: 'help/scrolled', scroll: ctx.ui.modal.scroll + 1 }),
  },
];

const lineBindings: Binding[] = [
  {
    id: 'filter.apply',
    keys: ['return'],
    scopes: ['filter'],
    label: 'apply',
    footer: true,
    help: 'Keep the filter.',
    run: (ctx) =>
      ctx.ui.modal?.kind === 'filter' && ctx.dispatch({ type: 'filter/applied', text: ctx.ui.modal.draft }),
  },
  {
    id: 'filter.cancel',
    keys: ['escape'],
    scopes: ['filter'],
    label: 'cancel',
    footer: true,
    help: 'Put the previous filter back.',
    run: (ctx) => ctx.dispatch({ type: 'filter/cancelled' }),
  },
  {
    id: 'filter.erase',
    keys: ['backspace'],
    scopes: ['filter'],
    label: 'erase',
    help: 'Delete the last character.',
    run: (ctx) => ctx.dispatch({ type: 'draft/erased' }),
  },
  {
    id: 'prompt.run',
    keys: ['return'],
    scopes: ['prompt'],
    label: 'run',
    footer: true,
    help: 'Run the command.',
    run: (ctx) => ctx.ui.modal?.kind === 'prompt' && ctx.runPrompt(ctx.ui.modal.draft),
  },
  {
    id: 'prompt.cancel',
    keys: ['escape'],
    scopes: ['prompt'],
    label: 'cancel',
    footer: true,
    help: 'Close the prompt.',
    run: (ctx) => ctx.dispatch({ type: 'modal/closed' }),
  },
  {
    id: 'prompt.erase',
    keys: ['backspace'],
    scopes: ['prompt'],
    label: 'erase',
    help: 'Delete the last character.',
    run: (ctx) => ctx.dispatch({ type: 'draft/erased' }),
  },
  {
    id: 'input.submit',
    keys: ['return'],
    scopes: ['input'],
    label: 'next',
    footer: true,
    help: 'Check the value and go on: to the confirmation, or start the search.',
    run: (ctx) => ctx.submitInput(),
  },
  {
    id: 'input.cancel',
    keys: ['escape'],
    scopes: ['input'],
    label: 'cancel',
    footer: true,
    help: 'Close without doing anything.',
    run: (ctx) => {
      ctx.dispatch({ type: 'modal/closed' });
      ctx.flash('cancelled');
    },
  },
  {
    id: 'input.erase',
    keys: ['backspace'],
    scopes: ['input'],
    label: 'erase',
    help: 'Delete the character before the cursor.',
    run: (ctx) => ctx.dispatch({ type: 'draft/erased' }),
  },
  {
    id: 'input.delete',
    keys: ['ctrl+d'],
    scopes: ['input'],
    label: 'delete',
    // Ink reports the Delete key and Backspace alike, so Delete cannot be told apart: C-d, as in readline.
    help: 'Delete the character under the cursor.',
    run: (ctx) => ctx.dispatch({ type: 'input/edited', edit: { kind: 'delete' } }),
  },
  {
    id: 'input.left',
    keys: ['left', 'ctrl+b'],
    scopes: ['input'],
    label: 'left',
    help: 'Move the cursor one character left.',
    run: (ctx) => ctx.dispatch({ type: 'input/edited', edit: { kind: 'move', to: 'left' } }),
  },
  {
    id: 'input.right',
    keys: ['right', 'ctrl+f'],
    scopes: ['input'],
    label: 'right',
    help: 'Move the cursor one character right.',
    run: (ctx) => ctx.dispatch({ type: 'input/edited', edit: { kind: 'move', to: 'right' } }),
  },
  {
    id: 'input.home',
    keys: ['home', 'ctrl+a'],
    scopes: ['input'],
    label: 'start',
    help: 'Move the cursor to the start of the line.',
    run: (ctx) => ctx.dispatch({ type: 'input/edited', edit: { kind: 'move', to: 'home' } }),
  },
  {
    id: 'input.end',
    keys: ['end', 'ctrl+e'],
    scopes: ['input'],
    label: 'end',
    help: 'Move the cursor to the end of the line.',
    run: (ctx) => ctx.dispatch({ type: 'input/edited', edit: { kind: 'move', to: 'end' } }),
  },
];

const confirmBindings: Binding[] = [
  {
    id: 'confirm.accept',
    keys: ['return'],
    scopes: ['confirm'],
    label: 'choose',
    footer: true,
    help: 'Press the focused button (Cancel unless you moved to the action).',
    disabledReason: (ctx) => {
      const d = ctx.ui.modal?.kind === 'confirm' ? ctx.ui.modal.dialog : null;
      if (!d || d.focus === 'cancel' || d.typeToConfirm === null || d.typed === d.typeToConfirm) return null;
      return `type '${d.typeToConfirm}' to confirm`;
    },
    run: (ctx) => {
      if (ctx.ui.modal?.kind !== 'confirm') return;
      const d = ctx.ui.modal.dialog;
      ctx.dispatch({ type: 'modal/closed' });
      if (d.focus === 'cancel') return ctx.flash('cancelled');
      const action = actionById(d.request.id);
      ctx.run(
        action.choose ? { ...d.request, params: action.choose(d.request.params, d.choice) } : d.request,
      );
    },
  },
  {
    id: 'confirm.cancel',
    keys: ['escape'],
    scopes: ['confirm'],
    label: 'cancel',
    footer: true,
    help: 'Close without doing anything.',
    run: (ctx) => {
      ctx.dispatch({ type: 'modal/closed' });
      ctx.flash('cancelled');
    },
  },
  {
    id: 'confirm.focus',
    keys: ['tab', 'left', 'right', 'shift+tab'],
    scopes: ['confirm'],
    label: 'switch',
    footer: true,
    help: 'Move between Cancel and the action.',
    run: (ctx) =>
      ctx.ui.modal?.kind === 'confirm' &&
      ctx.dispatch({
        type: 'confirm/changed',
        patch: { focus: ctx.ui.modal.dialog.focus === 'cancel' ? 'confirm' : 'cancel' },
      }),
  },
  {
    id: 'confirm.choice-up',
    keys: ['up'],
    scopes: ['confirm'],
    label: 'previous option',
    help: 'Pick the previous option (signal, worker or queue).',
    run: (ctx) =>
      ctx.ui.modal?.kind === 'confirm' &&
      ctx.dispatch({
        type: 'confirm/changed',
        patch: { choice: Math.max(0, ctx.ui.modal.dialog.choice - 1) },
      }),
  },
  {
    id: 'confirm.choice-down',
    keys: ['down'],
    scopes: ['confirm'],
    label: 'next option',
    help: 'Pick the next option (signal, worker or queue).',
    run: (ctx) =>
      ctx.ui.modal?.kind === 'confirm' &&
      ctx.dispatch({
        type: 'confirm/changed',
        patch: {
          choice: Math.min((ctx.ui.modal.dialog.choices?.length ?? 1) - 1, ctx.ui.modal.dialog.choice + 1),
        },
      }),
  },
  {
    id: 'confirm.erase',
    keys: ['backspace'],
    scopes: ['confirm'],
    label: 'erase',
    help: 'Delete the last typed character.',
    run: (ctx) => ctx.dispatch({ type: 'confirm/erased' }),
  },
];

/** Every modal binding, in the order the help and docs/keys.md list them. */
export const modalBindings: Binding[] = [...helpBindings, ...lineBindings, ...confirmBindings];
