/**
 * Bulk actions without Redis: the plan (what is included and excluded, and why) and the run over a
 * recording Controls (batches, per-task log, retry refusals, an interrupted run's done/not done).
 */
import fs from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { bulkDialogLines, bulkTasks, runBulk } from '../../src/control/actions/bulk.js';
import { type BulkCandidate, excludedSummary, planBulk, planJson } from '../../src/control/bulk-plan.js';
import type { ControlOutcome, Controls } from '../../src/control/controls.js';

const validatePlan = new Ajv2020({ strict: true }).compile(
  JSON.parse(fs.readFileSync('schema/bulk-plan.schema.json', 'utf8')),
);

function candidate(id: string, state: string, over: Partial<BulkCandidate> = {}): BulkCandidate {
  return {
    id,
    name: 'shop.charge',
    state,
    seenIn: state === 'PENDING' ? 'queue' : 'held',
    exactCall: true,
    ...over,
  };
}

const candidates = [
  candidate('q1', 'PENDING'),
  candidate('q2', 'PENDING'),
  candidate('r1', 'RECEIVED', { seenIn: 'queue' }),
  candidate('f1', 'FAILURE'),
  candidate('f2', 'FAILURE', { exactCall: false }),
  candidate('s1', 'SUCCESS'),
  candidate('q1', 'FAILURE'),
];

describe('bulk plan', () => {
  it('revoke excludes finished tasks, keeps waiting and reserved ones, dedupes by id', () => {
    const plan = planBulk('revoke', 'name:shop.charge', candidates);
    expect(plan.tasks.map((t) => t.id)).toEqual(['q1', 'q2', 'r1']);
    expect(plan.excluded.map((e) => e.id)).toEqual(['f1', 'f2', 's1']);
    expect(excludedSummary(plan)).toEqual([{ reason: 'already finished', count: 3 }]);
  });

  it('retry excludes tasks in flight and inexact calls', () => {
    const plan = planBulk('retry', 'q', candidates);
    expect(plan.tasks.map((t) => t.id)).toEqual(['f1', 's1']);
    const reasons = Object.fromEntries(plan.excluded.map((e) => [e.id, e.reason]));
    expect(reasons.q1).toContain('still PENDING');
    expect(reasons.f2).toContain('call not known exactly');
  });

  it('the dry-run JSON fits its schema', () => {
    const json = planJson(planBulk('terminate', 'state:STARTED', candidates, 'queue x: scan stopped'));
    expect(validatePlan(json), JSON.stringify(validatePlan.errors)).toBe(true);
    expect(json.count).toBe(3);
    expect(validatePlan({ ...json, count: -1 })).toBe(false);
  });

  it('the dialog asks for the count and shows a sample and the exclusions', () => {
    const many = Array.from({ length: 8 }, (_, i) => candidate(`t${i}`, 'PENDING'));
    const plan = planBulk('revoke', 'name:shop.charge', [...many, candidate('done', 'SUCCESS')]);
    const dialog = bulkTasks.dialog({ plan })!;
    expect(dialog.typeToConfirm).toBe('8');
    const lines = bulkDialogLines(plan);
    expect(lines[0]).toBe('Revoke 8 tasks matching name:shop.charge (8 waiting in queues).');
    expect(lines.filter((l) => l.startsWith('  t'))).toHaveLength(5);
    expect(lines).toContain('  … and 3 more');
    expect(lines).toContain('Excluded: 1 task already finished.');
  });
});

/** Controls recording each write; `answer` decides each call's outcome. */
function recording(answer: (ids: string[], call: number) => ControlOutcome) {
  const calls: { method: string; ids: string[]; options?: unknown }[] = [];
  const controls = {
    revoke: async (ids: string[], options?: unknown) => {
      calls.push({ method: 'revoke', ids, options });
      return answer(ids, calls.length);
    },
    retry: async (ids: string[]) => {
      calls.push({ method: 'retry', ids });
      return answer(ids, calls.length);
    },
  } as unknown as Controls;
  return { controls, calls };
}

const ok = (summary: string, details?: Record<string, unknown>): ControlOutcome => ({
  ok: true,
  kind: 'done',
  summary,
  replies: [],
  details,
});

describe('bulk run', () => {
  const waiting = Array.from({ length: 25 }, (_, i) => candidate(`w${i}`, 'PENDING'));

  it('revokes in batches, reports progress and logs one entry per task', async () => {
    const { controls, calls } = recording((ids) => ok(`revoked ${ids.length} tasks`));
    const progress: number[] = [];
    const plan = planBulk('revoke', 'q', waiting);
    const result = await runBulk(controls, { plan, batch: 10, onProgress: (done) => progress.push(done) });
    expect(calls.map((c) => c.ids.length)).toEqual([10, 10, 5]);
    expect(progress).toEqual([10, 20, 25]);
    expect(result.kind).toBe('done');
    expect(result.summary).toBe('revoke 25 of 25 matching tasks');
    const log = result.details!.log as { target: string }[];
    expect(log.map((l) => l.target)).toEqual(waiting.map((w) => `task ${w.id}`));
  });

  it('terminate sends the signal', async () => {
    const { controls, calls } = recording(() => ok('revoked'));
    await runBulk(controls, { plan: planBulk('terminate', 'q', waiting.slice(0, 2)), signal: 'KILL' });
    expect(calls[0]!.options).toEqual({ terminate: true, signal: 'KILL' });
  });

  it('an interrupted run says what was done and what was not', async () => {
    const { controls } = recording((_ids, call) =>
      call < 2
        ? ok('revoked')
        : { ok: false, kind: 'interrupted', summary: 'revoke interrupted', replies: [] },
    );
    const result = await runBulk(controls, { plan: planBulk('revoke', 'q', waiting), batch: 10 });
    expect(result.kind).toBe('interrupted');
    expect(result.details!.done).toHaveLength(10);
    expect(result.details!.notDone).toEqual(waiting.slice(10).map((w) => w.id));
    expect(result.summary).toMatch(/^interrupted: revoke 10 of 25 matching tasks; not done: 15/);
  });

  it('a retry batch refusing some tasks goes on with the rest, and links old to new', async () => {
    const failed = Array.from({ length: 4 }, (_, i) => candidate(`f${i}`, 'FAILURE'));
    const { controls, calls } = recording((ids) => ({
      ok: false,
      kind: 'partial',
      summary: 'retried some',
      replies: [],
      details: {
        retried: ids.filter((id) => id !== 'f1').map((id) => ({ oldId: id, newId: `new-${id}` })),
        refused: ids.includes('f1') ? [{ id: 'f1', reason: 'pickle' }] : [],
      },
    }));
    const result = await runBulk(controls, { plan: planBulk('retry', 'q', failed), batch: 2 });
    expect(calls).toHaveLength(2);
    expect(result.kind).toBe('partial');
    expect(result.details!.done).toEqual(['f0', 'f2', 'f3']);
    expect(result.details!.failed).toEqual([{ id: 'f1', why: 'pickle' }]);
    const log = result.details!.log as { target: string; summary: string }[];
    expect(log[0]).toEqual({ target: 'task f0', summary: 'retried as new-f0' });
    expect(log[1]).toEqual({ target: 'task f1', summary: 'refused: pickle' });
  });
});
