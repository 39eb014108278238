/**
 * What a key binding's handler may do, as one object built per key press: read the current
 * view and UI state, move the cursor, open views, flash a message, ask for a value, ask for
 * confirmation, run a control request through the injected `Controls`, and start a queue
 * search. Handlers stay one-liners in the keymap.
 */
import type { Clock } from '../../../src/base/clock.js';
import type { ActionRequest, AnyAction } from '../../../src/control/action.js';
import { actionById } from '../../../src/control/actions/index.js';
import type { ControlOutcome, Controls } from '../../../src/control/controls.js';
import type { SelectionFacts } from '../../../src/control/selection.js';
import { sanitize } from '../../../src/output/sanitize.js';
import type { ReplayControl } from '../../../src/record/playback.js';
import type { Contexts } from '../../../src/session/screen-session.js';
import type { EventsStatus } from '../../../src/store/select-meta.js';
import type { Link } from '../../present/detail-lines.js';
import type { BulkRunner } from '../../state/bulk-runner.js';
import { listContexts, switchContext } from '../../state/context-switch.js';
import type { CurrentView } from '../../state/current-view.js';
import type { EditText } from '../../state/edit-text.js';
import type { SearchRunner } from '../../state/queue-search-runner.js';
import type { Flash, UiAction, UiState } from '../../state/ui-state.js';
import { answerOf, type InputPurpose, inputDialog } from '../../state/value-input.js';
import type { ViewFrames } from '../../state/view-frame.js';
import { parsePrompt } from './prompt-commands.js';
import { selectionFacts } from './selection-facts.js';

/** What the key router hands over for one key press. */
export interface CommandDeps {
  ui: UiState;
  current: CurrentView;
  dispatch: (action: UiAction) => void;
  controls: Controls;
  frames: ViewFrames;
  clock: Clock;
  events: EventsStatus;
  workersUp: number;
  /** Rows a page key moves. */
  pageSize: number;
  searches: SearchRunner;
  /** The bulk dialog's search and run. */
  bulk: BulkRunner;
  /** Edit and retry's external editor; absent: the value prompt edits the call inline. */
  editText?: EditText;
  /** The clusters `:ctx` switches between; absent when the run cannot switch. */
  contexts?: Contexts;
  quit: () => void;
  /** Leave for the list of every profile (`:all`); absent when the run has no profiles to list. */
  showAll?: () => void;
  /** The playback when the screen replays a recording, else null. */
  replay: ReplayControl | null;
}

/** The deps plus the verbs handlers use; one object per key press. */
export interface CommandContext extends CommandDeps {
  paused: boolean;
  /** The selection as control-action records read it. */
  readonly selection: SelectionFacts;
  flash(text: string, level?: Flash['level']): void;
  /** Move the cursor by `delta` rows (clamped), or to an absolute index with `absolute`. */
  move(delta: number, absolute?: number): void;
  /** Follow a detail line's link. */
  openLink(link: Link): void;
  /** Open the value prompt for `purpose` (its Enter leads to `submitInput`). */
  ask(purpose: InputPurpose): void;
  /** The value prompt's Enter: say what is wrong, or close it and go on to the request or search. */
  submitInput(): void;
  /** Start a control action on the selection: ask its value, or go on to `request`. */
  start(action: AnyAction): void;
  /** Confirm first when the action's record says so, then run it. */
  request(request: ActionRequest): void;
  /** Run a request now: toast, then the outcome in a toast and in the command log. */
  run(request: ActionRequest): void;
  /** Carry out a `:` prompt line. */
  runPrompt(line: string): void;
}

/** The context for one key press. */
export function createCommandContext(deps: CommandDeps): CommandContext {
  const { dispatch, frames, clock } = deps;
  // A replay's clock runs at the recording's speed; a toast is timed in the operator's time.
  const flash = (text: string, level: Flash['level'] = 'info') =>
    dispatch({ type: 'flash/shown', flash: { text, level, at: deps.replay?.wallNow() ?? clock.now() } });

  let selection: SelectionFacts | null = null;
  const ctx: CommandContext = {
    ...deps,
    paused: frames.getFrame().paused,
    get selection() {
      selection ??= selectionFacts(deps);
      return selection;
    },
    flash,
    move(delta, absolute) {
      const { keys, index, listId } = deps.current;
      if (keys.length === 0) return;
      const next = Math.min(keys.length - 1, Math.max(0, absolute ?? index + delta));
      dispatch({ type: 'selection/moved', list: listId, selection: { key: keys[next]!, index: next } });
    },
    openLink(link) {
      if (link.kind === 'worker') dispatch({ type: 'detail/opened', view: link });
      else if (link.kind === 'queue') dispatch({ type: 'detail/opened', view: link });
      else if (frames.memo(`held:${link.id}`, (m) => m.tasks.has(link.id))) {
        dispatch({ type: 'detail/opened', view: link });
      } else flash(`task ${sanitize(link.id)} is not held (never seen, or evicted)`, 'error');
    },
    ask(purpose) {
      dispatch({ type: 'modal/opened', modal: { kind: 'input', input: inputDialog(purpose) } });
    },
    submitInput() {
      if (deps.ui.modal?.kind !== 'input') return;
      const { purpose, draft } = deps.ui.modal.input;
      const answer = answerOf(purpose, draft);
      if (answer.kind === 'error') return dispatch({ type: 'input/rejected', error: answer.error });
      dispatch({ type: 'modal/closed' });
      if (answer.kind === 'search') deps.searches.start(answer.queue, answer.text);
      else ctx.request(answer.request);
    },
    start(action) {
      const begun = action.start!(ctx.selection);
      if ('seed' in begun) ctx.ask({ action: 'control', id: action.id, seed: begun.seed });
      else ctx.request({ id: action.id, params: begun.params });
    },
    request(request) {
      const dialog = actionById(request.id).dialog(request.params);
      if (dialog === null) ctx.run(request);
      else
        dispatch({
          type: 'modal/opened',
          modal: { kind: 'confirm', dialog: { ...dialog, request, typed: '', focus: 'cancel', choice: 0 } },
        });
    },
    run(request) {
      const action = actionById(request.id);
      const command = action.log;
      const target = action.describe(request.params);
      flash(`${command} ${sanitize(target)}: sent, waiting for replies…`);
      void execute(action, deps.controls, request.params).then((outcome) => {
        dispatch({ type: 'log/appended', entry: { at: clock.now(), command, target, outcome } });
        flash(`${command}: ${sanitize(outcome.summary)}`, outcome.ok ? 'ok' : 'error');
      });
    },
    runPrompt(line) {
      dispatch({ type: 'modal/closed' });
      const intent = parsePrompt(line);
      switch (intent.kind) {
        case 'panel':
          return dispatch({ type: 'panel/shown', panel: intent.panel });
        case 'filter':
          return dispatch({ type: 'filter/applied', text: intent.text });
        case 'task': {
          const ids = frames.memo(`prefix:${intent.id}`, (m) =>
            [...m.tasks.keys()].filter((id) => id.startsWith(intent.id)).slice(0, 2),
          );
          if (ids.length === 1) return ctx.openLink({ kind: 'task', id: ids[0]! });
          return flash(
            ids.length === 0
              ? `no task held with id ${sanitize(intent.id)}`
              : `several tasks start with ${sanitize(intent.id)}`,
            'error',
          );
        }
        case 'worker':
          return dispatch({ type: 'detail/opened', view: { kind: 'worker', hostname: intent.hostname } });
        case 'queue':
          return dispatch({ type: 'detail/opened', view: { kind: 'queue', name: intent.name } });
        case 'help':
          return dispatch({ type: 'modal/opened', modal: { kind: 'help', scroll: 0 } });
        case 'pause':
          return frames.setPaused(!frames.getFrame().paused);
        case 'contexts':
          return listContexts(deps.contexts ?? null, flash);
        case 'context':
          return switchContext(deps.contexts ?? null, intent.name, flash);
        case 'all':
          return deps.showAll
            ? deps.showAll()
            : flash(
                ':all lists the profiles of a config file; this run has none (docs/clusters.md)',
                'error',
              );
        case 'quit':
          return deps.quit();
        case 'error':
          return flash(sanitize(intent.message), 'error');
      }
    },
  };
  return ctx;
}

/** Run the action through the injected controls; a thrown error becomes a failed outcome. */
async function execute(action: AnyAction, controls: Controls, params: unknown): Promise<ControlOutcome> {
  try {
    return await action.run(controls, params);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, summary: `failed: ${message.split('\n')[0]}`, replies: [] };
  }
}
