import { afterEach, describe, expect, it } from 'vitest';
import type { BulkPlan, BulkVerb } from '../../src/control/bulk-plan.js';
import type { ControlOutcome, Controls } from '../../src/control/controls.js';
import { initialUi } from '../../views/state/ui-state.js';
import { type ControlCall, fakeControls, renderScreen } from './render-screen.js';

// `B` on a filtered Tasks panel: pick the verb, the injected search, the typed count, the run with
// its progress, Esc stopping it, and one command-log entry per task. The controls are fakes.
type Screen = Awaited<ReturnType<typeof renderScreen>>;
let screen: Screen;
afterEach(() => screen?.unmount());

const ids = Array.from({ length: 23 }, (_, i) => `w-${String(i).padStart(2, '0')}`);

function planFor(verb: BulkVerb, query: string): BulkPlan {
  return {
    verb,
    query,
    tasks: ids.map((id) => ({ id, name: 'app.slow', state: 'PENDING', seenIn: 'queue' as const })),
    excluded: [
      {
        id: 'done-1',
        name: 'app.slow',
        state: 'SUCCESS',
        reason: 'already finished (SUCCESS): nothing to revoke',
      },
    ],
    incomplete: null,
  };
}

/** Fake controls whose search resolves when the test says so; revokes resolve at once or on demand. */
function bulkControls(options: { holdRevokes?: boolean } = {}) {
  const base = fakeControls();
  const searches: {
    verb: BulkVerb;
    query: string;
    resolve: (v: { plan: BulkPlan }) => void;
    signal?: AbortSignal;
  }[] = [];
  const pending: (() => void)[] = [];
  const calls: ControlCall[] = base.calls;
  const controls = {
    ...base,
    calls,
    findBulk: (
      verb: BulkVerb,
      query: string,
      opts?: { signal?: AbortSignal; onProgress?: (t: string) => void },
    ) =>
      new Promise<{ plan: BulkPlan } | { outcome: ControlOutcome }>((resolve) => {
        opts?.onProgress?.('scanned queue celery: 40 messages, 23 match');
        searches.push({ verb, query, resolve, ...(opts?.signal ? { signal: opts.signal } : {}) });
      }),
    revoke: (taskIds: string[], opts?: unknown) => {
      calls.push({ method: 'revoke', args: opts === undefined ? [taskIds] : [taskIds, opts] });
      const done: ControlOutcome = {
        ok: true,
        kind: 'done',
        summary: `revoked ${taskIds.length} tasks`,
        replies: [],
      };
      if (!options.holdRevokes) return Promise.resolve(done);
      return new Promise<ControlOutcome>((resolve) => pending.push(() => resolve(done)));
    },
  } as Controls & { calls: ControlCall[] };
  return { controls, searches, pending };
}

async function openFiltered(controls: Controls & { calls: ControlCall[] }, filter = 'name:app.slow') {
  screen = await renderScreen({
    columns: 120,
    rows: 40,
    controls,
    initial: { ...initialUi, panel: 'tasks', taskFilter: filter },
  });
}

async function until(check: () => boolean) {
  for (let i = 0; i < 50 && !check(); i++) await screen.advance(0);
  expect(check()).toBe(true);
}

describe('B: act on all matching tasks', () => {
  it('needs a filter, and says so', async () => {
    const { controls, searches } = bulkControls();
    await openFiltered(controls, '');
    await screen.press('tasks.bulk');
    expect(screen.lastFrame()).toContain('set a filter first');
    expect(searches).toHaveLength(0);
  });

  it('searches for the picked verb, shows count, sample and exclusions, and runs only with the count typed', async () => {
    const { controls, searches } = bulkControls();
    await openFiltered(controls);
    await screen.press('tasks.bulk');
    expect(screen.lastFrame()).toContain('Act on all tasks matching the filter');
    expect(screen.lastFrame()).toContain('Filter: name:app.slow');
    await screen.press('bulk.accept');
    expect(searches.map((s) => [s.verb, s.query])).toEqual([['revoke', 'name:app.slow']]);
    expect(screen.lastFrame()).toContain('scanned queue celery: 40 messages, 23 match');
    searches[0]!.resolve({ plan: planFor('revoke', 'name:app.slow') });
    await screen.waitForFrame('Revoke all 23 matching tasks');
    const frame = screen.lastFrame();
    expect(frame).toContain('Revoke 23 tasks matching name:app.slow (23 waiting in queues)');
    expect(frame).toContain('w-00 app.slow PENDING');
    expect(frame).toContain('… and 18 more');
    expect(frame).toContain('Excluded: 1 task already finished');
    expect(frame).toContain("Type '23' to confirm");
    // Moving to the action without the count is refused; nothing is sent.
    await screen.press('bulk.focus');
    await screen.press('bulk.accept');
    expect(screen.lastFrame()).toContain("type '23' to confirm");
    expect(controls.calls.filter((c) => c.method === 'revoke')).toHaveLength(0);
    await screen.type('24');
    await screen.press('bulk.erase');
    await screen.press('bulk.erase');
    await screen.type('23');
    await screen.press('bulk.accept');
    await screen.waitForFrame('bulk revoke: revoke 23 of 23 matching tasks');
    const revoked = controls.calls.filter((c) => c.method === 'revoke').flatMap((c) => c.args[0] as string[]);
    expect(revoked).toEqual(ids);
    await screen.press('panel.log');
    await screen.waitForFrame('task w-22');
    const log = screen.lastFrame();
    expect(log).toContain('23 commands sent this run');
    expect(log).toContain('bulk revoke     task w-19                  revoke: revoked 10 tasks');
  });

  it('picks terminate and retry from the list', async () => {
    const { controls, searches } = bulkControls();
    await openFiltered(controls);
    await screen.press('tasks.bulk');
    await screen.press('bulk.choice-down');
    await screen.press('bulk.accept');
    await screen.press('bulk.cancel');
    expect(screen.lastFrame()).toContain('search cancelled: nothing was done');
    expect(searches[0]!.signal?.aborted).toBe(true);
    await screen.press('tasks.bulk');
    await screen.press('bulk.choice-down');
    await screen.press('bulk.choice-down');
    await screen.press('bulk.choice-down');
    await screen.press('bulk.accept');
    expect(searches.map((s) => s.verb)).toEqual(['terminate', 'retry']);
  });

  it('Esc during the run stops after the batch in flight and reports what was and was not done', async () => {
    const { controls, searches, pending } = bulkControls({ holdRevokes: true });
    await openFiltered(controls);
    await screen.press('tasks.bulk');
    await screen.press('bulk.accept');
    searches[0]!.resolve({ plan: planFor('revoke', 'name:app.slow') });
    await screen.waitForFrame("Type '23' to confirm");
    await screen.type('23');
    await screen.press('bulk.focus');
    await screen.press('bulk.accept');
    await until(() => pending.length === 1);
    pending.shift()!();
    await screen.waitForFrame('revoke: 10 of 23 done');
    await until(() => pending.length === 1);
    await screen.press('bulk.cancel');
    expect(screen.lastFrame()).toContain('Stopping after the batch in flight');
    pending.shift()!();
    await screen.waitForFrame('interrupted: revoke 20 of 23 matching tasks; not done: 3');
    expect(controls.calls.filter((c) => c.method === 'revoke')).toHaveLength(2);
    await screen.press('panel.log');
    await screen.waitForFrame('not done: stopped before it was sent');
  });

  it('closes with the reason when nothing is left to act on', async () => {
    const { controls, searches } = bulkControls();
    await openFiltered(controls);
    await screen.press('tasks.bulk');
    await screen.press('bulk.accept');
    searches[0]!.resolve({ plan: { ...planFor('revoke', 'name:app.slow'), tasks: [] } });
    await screen.waitForFrame('no task to revoke matches name:app.slow (excluded: 1 already finished)');
    expect(screen.lastFrame()).not.toContain('Type');
  });
});
