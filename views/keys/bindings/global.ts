/** Keys that work everywhere: quit, help, the prompt, pause, back, panels, and task events on/off. */
import { eventsOff, eventsOn } from '../../../src/control/actions/workers.js';
import { type PanelId, panelIds, panelTitles } from '../../state/ui-state.js';
import { actionBinding, type Binding } from '../context/binding.js';
import { back, backReason } from '../context/command-guards.js';

const panelBindings: Binding[] = panelIds.map((panel: PanelId, i) => ({
  id: `panel.${panel}`,
  // The overview came first later: it is 0 so the other panels keep their numbers.
  keys: [String(i)],
  scopes: ['global'],
  label: panelTitles[panel].toLowerCase(),
  help: `Show the ${panelTitles[panel]} panel.`,
  run: (ctx) => ctx.dispatch({ type: 'panel/shown', panel }),
}));

export const globalBindings: Binding[] = [
  {
    id: 'app.quit',
    keys: ['q'],
    scopes: ['global'],
    label: 'quit',
    footer: true,
    help: 'Leave qtop; the terminal is restored.',
    run: (ctx) => ctx.quit(),
  },
  {
    id: 'app.interrupt',
    keys: ['ctrl+c'],
    scopes: ['always'],
    label: 'quit',
    help: 'Leave qtop from anywhere, even from a dialog or the prompt.',
    run: (ctx) => ctx.quit(),
  },
  {
    id: 'app.help',
    keys: ['?'],
    scopes: ['global'],
    label: 'help',
    footer: true,
    help: 'Show every key for this view.',
    run: (ctx) => ctx.dispatch({ type: 'modal/opened', modal: { kind: 'help', scroll: 0 } }),
  },
  {
    id: 'app.prompt',
    keys: [':'],
    scopes: ['global'],
    label: 'command',
    help: 'Command prompt: :overview :queues :workers :tasks [filter] :task ID :runtimes :failures :log :help :ctx [profile] :all :q.',
    run: (ctx) => ctx.dispatch({ type: 'modal/opened', modal: { kind: 'prompt', draft: '' } }),
  },
  {
    id: 'app.pause',
    keys: ['p'],
    scopes: ['global'],
    label: 'pause',
    footer: true,
    help: 'Freeze the view (data keeps arriving behind it); press again to resume.',
    run: (ctx) => ctx.frames.setPaused(!ctx.paused),
  },
  {
    id: 'app.back',
    keys: ['escape'],
    scopes: ['global'],
    label: 'back',
    footer: true,
    help: 'Close the detail view, cancel or clear a queue search, or clear the task filter.',
    disabledReason: backReason,
    run: back,
  },
  {
    id: 'panel.next',
    keys: ['tab'],
    scopes: ['global'],
    label: 'next panel',
    help: 'Show the next panel.',
    run: (ctx) => ctx.dispatch({ type: 'panel/cycled', step: 1 }),
  },
  {
    id: 'panel.previous',
    keys: ['shift+tab'],
    scopes: ['global'],
    label: 'previous panel',
    help: 'Show the previous panel.',
    run: (ctx) => ctx.dispatch({ type: 'panel/cycled', step: -1 }),
  },
  ...panelBindings,
  actionBinding(eventsOn, { keys: ['E'], scopes: ['global'] }),
  actionBinding(eventsOff, { keys: ['e'], scopes: ['global'] }),
];
