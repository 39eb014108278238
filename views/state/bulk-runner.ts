/**
 * Runs the bulk dialog's two slow steps for the screen: the read-only search (`Controls.findBulk`)
 * and the run (the bulk record's `run` over the confirmed plan), one at a time, each stoppable by
 * Esc, reporting to the UI state as plain actions. The run ends with one command-log entry per
 * task (done, refused, or not done because it was stopped) and a toast with the summary.
 */
import type { Clock } from '../../src/base/clock.js';
import { bulkTasks } from '../../src/control/actions/bulk.js';
import { type BulkPlan, type BulkVerb, excludedSummary } from '../../src/control/bulk-plan.js';
import type { ControlOutcome, Controls } from '../../src/control/controls.js';
import { sanitize } from '../../src/output/sanitize.js';
import type { Flash, UiAction } from './ui-state.js';

/** Starts and stops the bulk dialog's search and run; see the module comment. */
export interface BulkRunner {
  /** Open the dialog on `query`'s matches, at the choice of verb. */
  open(query: string): void;
  search(query: string, verb: BulkVerb): void;
  run(plan: BulkPlan): void;
  /** Esc: cancel the search (the dialog closes) or stop the run after its batch in flight. */
  stop(): 'search' | 'run' | null;
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

/** A runner over the injected `controls`. */
export function createBulkRunner(
  controls: Controls,
  dispatch: (action: UiAction) => void,
  clock: Clock,
): BulkRunner {
  let active: { kind: 'search' | 'run'; controller: AbortController; plan?: BulkPlan; done?: number } | null =
    null;
  const flash = (text: string, level: Flash['level']) =>
    dispatch({ type: 'flash/shown', flash: { text, level, at: clock.now() } });
  const close = () => dispatch({ type: 'modal/closed' });
  const log = (target: string, outcome: ControlOutcome, verb: BulkVerb) =>
    dispatch({ type: 'log/appended', entry: { at: clock.now(), command: `bulk ${verb}`, target, outcome } });

  const finishRun = (plan: BulkPlan, result: ControlOutcome) => {
    const details = result.details ?? {};
    const entries = Array.isArray(details.log) ? (details.log as { target: string; summary: string }[]) : [];
    for (const e of entries) {
      const refused = e.summary.startsWith('refused');
      log(
        e.target,
        { ok: !refused, kind: refused ? 'refused' : 'done', summary: e.summary, replies: [] },
        plan.verb,
      );
    }
    const notDone = Array.isArray(details.notDone) ? (details.notDone as string[]) : [];
    const why = result.kind === 'interrupted' ? 'stopped before it was sent' : `not sent: ${result.summary}`;
    for (const id of notDone)
      log(
        `task ${id}`,
        { ok: false, kind: result.kind ?? 'error', summary: `not done: ${why}`, replies: [] },
        plan.verb,
      );
    close();
    flash(`bulk ${plan.verb}: ${sanitize(result.summary)}`, result.ok ? 'ok' : 'error');
  };

  return {
    open(query) {
      dispatch({ type: 'modal/opened', modal: { kind: 'bulk', flow: { step: 'choose', query, choice: 0 } } });
    },
    search(query, verb) {
      active?.controller.abort();
      const mine = { kind: 'search' as const, controller: new AbortController() };
      active = mine;
      const progress = (text: string) => {
        if (active === mine)
          dispatch({ type: 'bulk/changed', flow: { step: 'scanning', query, verb, progress: text } });
      };
      progress('reading the queues…');
      controls
        .findBulk(verb, query, { signal: mine.controller.signal, onProgress: progress })
        .catch((error: unknown) => ({
          outcome: { ok: false, kind: 'error' as const, summary: `failed: ${oneLine(error)}`, replies: [] },
        }))
        .then((found) => {
          if (active !== mine) return; // cancelled by Esc: the dialog is gone
          active = null;
          if ('outcome' in found) {
            close();
            return flash(`bulk ${verb}: ${sanitize(found.outcome.summary)}`, 'error');
          }
          const plan = found.plan;
          if (plan.tasks.length === 0) {
            close();
            const excluded = excludedSummary(plan)
              .map((e) => `${e.count} ${e.reason}`)
              .join(', ');
            return flash(
              `bulk ${verb}: no task to ${verb} matches ${sanitize(plan.query)}${excluded ? ` (excluded: ${sanitize(excluded)})` : ''}`,
              'error',
            );
          }
          dispatch({ type: 'bulk/changed', flow: { step: 'confirm', plan, typed: '', focus: 'cancel' } });
        });
    },
    run(plan) {
      const mine = { kind: 'run' as const, controller: new AbortController(), plan, done: 0 };
      active = mine;
      dispatch({ type: 'bulk/changed', flow: { step: 'running', plan, done: 0, stopping: false } });
      const params = {
        plan,
        stop: mine.controller.signal,
        onProgress: (count: number) => {
          mine.done = count;
          dispatch({
            type: 'bulk/changed',
            flow: { step: 'running', plan, done: count, stopping: mine.controller.signal.aborted },
          });
        },
      };
      bulkTasks
        .run(controls, params)
        .catch(
          (error: unknown): ControlOutcome => ({
            ok: false,
            kind: 'error',
            summary: `failed: ${oneLine(error)}`,
            replies: [],
            details: { notDone: plan.tasks.map((t) => t.id) },
          }),
        )
        .then((result) => {
          if (active === mine) active = null;
          finishRun(plan, result);
        });
    },
    stop() {
      if (!active) return null;
      const { kind, controller, plan, done } = active;
      controller.abort();
      if (kind === 'search') {
        active = null;
        close();
      } else if (plan) {
        // The run goes on to the end of its batch, then reports what was done and what was not.
        dispatch({ type: 'bulk/changed', flow: { step: 'running', plan, done: done ?? 0, stopping: true } });
      }
      return kind;
    },
  };
}
