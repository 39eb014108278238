/**
 * Bulk actions: revoke, terminate or retry every task a filter matches (docs/filter.md), including
 * messages still waiting in queues. A mass action, so the operator types the count. The run goes
 * in small batches through the same `Controls` writes as the single-task actions, stops at the first
 * batch that is interrupted or refused, and reports per task what was done and what was not.
 */
import { defineAction } from '../action.js';
import { type BulkPlan, type BulkVerb, excludedSummary, planJson } from '../bulk-plan.js';
import type { ControlOutcome, Controls, OutcomeKind, Signal } from '../controls.js';
import { count, s } from './text.js';

export interface BulkParams {
  plan: BulkPlan;
  /** For terminate: the signal (default TERM). */
  signal?: Signal;
  /** Ids per write; each batch is one revoke broadcast or one retry call. */
  batch?: number;
  /** Told after each batch; not data: the runner (CLI, screen) sets it to show progress. */
  onProgress?: (done: number, total: number) => void;
  /** Not data either: the screen's Esc. Checked between batches; the batch in flight completes. */
  stop?: AbortSignal;
}

const defaultBatch = 10;
const sampleSize = 5;
const stopKinds: OutcomeKind[] = ['interrupted', 'refused', 'no-permission', 'unreachable', 'error'];

const verbWords: Record<BulkVerb, string> = { revoke: 'Revoke', terminate: 'Terminate', retry: 'Retry' };

function effect(verb: BulkVerb): string {
  if (verb === 'retry')
    return 'Publish each again under a new id, to its original queue (the old task links to the new).';
  if (verb === 'terminate')
    return 'Revoke each and signal the pool process running it (waiting ones are discarded).';
  return 'Revoke each on every worker: waiting and reserved ones are discarded; running ones keep running.';
}

/** The confirmation's lines: what, how many, a sample and what is excluded. */
export function bulkDialogLines(plan: BulkPlan): string[] {
  const n = plan.tasks.length;
  const waiting = plan.tasks.filter((t) => t.seenIn === 'queue').length;
  const lines = [
    `${verbWords[plan.verb]} ${count(n, 'task')} matching ${s(plan.query)} (${waiting} waiting in queues).`,
    effect(plan.verb),
    ...plan.tasks.slice(0, sampleSize).map((t) => `  ${s(t.id)} ${s(t.name)} ${s(t.state)}`),
  ];
  if (n > sampleSize) lines.push(`  … and ${n - sampleSize} more`);
  for (const e of excludedSummary(plan)) lines.push(`Excluded: ${count(e.count, 'task')} ${e.reason}.`);
  if (plan.incomplete) lines.push(`Warning: ${plan.incomplete}`);
  return lines;
}

async function write(controls: Controls, p: BulkParams, ids: string[]): Promise<ControlOutcome> {
  if (p.plan.verb === 'retry') return controls.retry(ids);
  if (p.plan.verb === 'terminate')
    return controls.revoke(ids, { terminate: true, signal: p.signal ?? 'TERM' });
  return controls.revoke(ids);
}

/** Run the plan batch by batch; see the module comment. */
export async function runBulk(controls: Controls, p: BulkParams): Promise<ControlOutcome> {
  const ids = p.plan.tasks.map((t) => t.id);
  const size = Math.max(1, p.batch ?? defaultBatch);
  const done: string[] = [];
  const failed: { id: string; why: string }[] = [];
  const log: { target: string; summary: string }[] = [];
  let stopped: ControlOutcome | null = null;
  for (let i = 0; i < ids.length && !stopped; i += size) {
    if (p.stop?.aborted) {
      stopped = { ok: false, kind: 'interrupted', summary: 'stopped by the operator', replies: [] };
      break;
    }
    const chunk = ids.slice(i, i + size);
    const result = await write(controls, p, chunk);
    const kind = result.kind ?? (result.ok ? 'done' : 'error');
    // A retry refuses per task (details.refused: [{id, reason}]); everything else in the batch was written.
    const perTask = Array.isArray(result.details?.refused)
      ? (result.details.refused as { id: string; reason: string }[])
      : [];
    const links = new Map(
      (Array.isArray(result.details?.retried)
        ? (result.details.retried as { oldId: string; newId: string }[])
        : []
      ).map((l) => [l.oldId, l.newId]),
    );
    if (!result.ok && stopKinds.includes(kind) && perTask.length === 0) {
      // A retry batch cut short still published some: those are done.
      for (const [oldId, newId] of links) {
        done.push(oldId);
        log.push({ target: `task ${oldId}`, summary: `retried as ${newId}` });
      }
      stopped = result;
      break;
    }
    const refused = new Map(perTask.map((r) => [r.id, r.reason]));
    for (const id of chunk) {
      const why = refused.get(id);
      if (why) failed.push({ id, why });
      else done.push(id);
      const newId = links.get(id);
      const summary = why
        ? `refused: ${why}`
        : newId
          ? `retried as ${newId}`
          : `${p.plan.verb}: ${result.summary}`;
      log.push({ target: `task ${id}`, summary });
    }
    p.onProgress?.(done.length + failed.length, ids.length);
  }
  const notDone = ids.filter((id) => !done.includes(id) && !failed.some((f) => f.id === id));
  const what = `${p.plan.verb} ${done.length} of ${count(ids.length, 'matching task')}`;
  const details = { plan: planJson(p.plan), done, failed, notDone, log };
  if (stopped) {
    const kind = stopped.kind ?? 'error';
    return {
      ok: false,
      kind,
      summary: `${kind === 'interrupted' ? 'interrupted' : 'stopped'}: ${what}; not done: ${notDone.length} (${stopped.summary})`,
      replies: stopped.replies,
      details,
    };
  }
  const partial = failed.length > 0;
  return {
    ok: !partial,
    kind: partial ? 'partial' : 'done',
    summary: partial ? `${what}; ${failed.length} refused` : what,
    replies: [],
    details,
  };
}

/** Revoke, terminate or retry every task a filter matches: the operator types the count. */
export const bulkTasks = defineAction<BulkParams>({
  id: 'tasks.bulk',
  target: 'task',
  log: 'bulk',
  cli: 'revoke --filter <query> --confirm <n>',
  writes: true,
  confirm: 'typed-count',
  label: 'act on all',
  help: 'Revoke, terminate or retry every task the filter matches, waiting ones included (you type how many).',
  describe: (p) => `${p.plan.tasks.length} tasks matching ${p.plan.query}`,
  dialog: (p) => ({
    title: `${verbWords[p.plan.verb]} all ${p.plan.tasks.length} matching tasks`,
    lines: bulkDialogLines(p.plan),
    confirmLabel: `${verbWords[p.plan.verb]} ${p.plan.tasks.length}`,
    typeToConfirm: String(p.plan.tasks.length),
    choices: null,
  }),
  run: runBulk,
});
