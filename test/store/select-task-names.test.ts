import { describe, expect, it } from 'vitest';
import { createModel } from '../../src/store/create-model.js';
import { reduceTasks } from '../../src/store/reduce-tasks.js';
import { selectTaskNames } from '../../src/store/select-task-names.js';
import { eventsAction, resultMeta, resultsAction, taskEvent } from './task-fixtures.js';

const t0 = 1_795_524_200;
const at0 = t0 * 1000;

/** One run of `name`: received at `start`, waits `wait`, then succeeds after `runtime` (or fails). */
function run(id: string, name: string, start: number, wait: number, runtime: number, ok = true) {
  return [
    taskEvent('task-received', id, start, { name }),
    taskEvent('task-started', id, start + wait),
    ok
      ? taskEvent('task-succeeded', id, start + wait + runtime, { runtime })
      : taskEvent('task-failed', id, start + wait + runtime, { exception: "ValueError('x')" }),
  ];
}

describe('selectTaskNames', () => {
  it('works out counts, failure rate, percentiles and the last-minute rate', () => {
    const m = createModel(at0);
    // app.add: four successes (runtimes 1..4 s, waits 0.1..0.4 s) and one failure (5 s), 10 s apart.
    for (let i = 0; i < 5; i += 1)
      reduceTasks(
        m,
        eventsAction(at0 + i * 10_000, ...run(`a${i}`, 'app.add', t0 + i * 10, (i + 1) / 10, i + 1, i < 4)),
      );
    reduceTasks(m, eventsAction(at0 + 50_000, ...run('b0', 'app.boom', t0 + 50, 1, 1, false)));
    reduceTasks(m, eventsAction(at0 + 51_000, taskEvent('task-retried', 'b0', t0 + 51)));

    const now = at0 + 60_000;
    const [add, boom] = selectTaskNames(m, now);
    expect(add!.name).toBe('app.add');
    expect([add!.count, add!.received, add!.succeeded, add!.failed]).toEqual([5, 5, 4, 1]);
    expect(add!.failureRate).toBeCloseTo(0.2, 10);
    // Runtimes 1, 2, 3, 4 and 5 (the failure, measured started → failed): p50 is the 3rd.
    expect(add!.runtime!.p50).toBeCloseTo(3, 1);
    expect(add!.runtime!.max).toBeCloseTo(5, 9);
    expect(add!.runtime!.mean).toBeCloseTo(3, 9);
    expect(add!.wait!.p50).toBeCloseTo(0.3, 2);
    expect(add!.wait!.max).toBeCloseTo(0.5, 9);
    // Five finished within (now − 60 s, now] over 60 s of covered buckets.
    expect(add!.ratePerSec).toBeCloseTo(5 / 60, 6);
    expect(add!.runtimeTrend).toHaveLength(20);
    expect(add!.runtimeTrend.reduce<number>((sum, n) => sum + (n ?? 0), 0)).toBe(5);

    expect(boom!.name).toBe('app.boom');
    expect([boom!.count, boom!.failed, boom!.retried, boom!.failureRate]).toEqual([1, 1, 1, 1]);
  });

  it('sorts by finished count, then name, and gives nulls where nothing is known', () => {
    const m = createModel(at0);
    reduceTasks(m, eventsAction(at0, taskEvent('task-received', 'q', t0, { name: 'app.queued' })));
    reduceTasks(m, eventsAction(at0, ...run('z', 'app.z', t0, 0.1, 1), ...run('y', 'app.y', t0, 0.1, 1)));
    const rows = selectTaskNames(m, at0 + 1000);
    expect(rows.map((r) => r.name)).toEqual(['app.y', 'app.z', 'app.queued']);
    const queued = rows[2]!;
    expect([queued.count, queued.failureRate, queued.runtime, queued.wait]).toEqual([0, null, null, null]);
  });

  it('counts scanned results but keeps them out of the rate', () => {
    const m = createModel(at0);
    const ext = { name: 'app.old', args: [], kwargs: {}, worker: null, retries: null, queue: null };
    reduceTasks(m, resultsAction(at0, 'scan', resultMeta('o1', 'SUCCESS', { extended: ext, result: 1 })));
    const [old] = selectTaskNames(m, at0 + 30_000);
    expect([old!.count, old!.succeeded, old!.ratePerSec]).toEqual([1, 1, 0]);
  });
});
