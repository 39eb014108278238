import { describe, expect, it } from 'vitest';
import type { BeatDefinition } from '../../src/beat/types.js';
import type { TaskEvent } from '../../src/celery/types.js';
import { beatFindings } from '../../src/hints/select/findings-beat.js';
import { type SnapshotMeta, selectSnapshot } from '../../src/snapshot/select-snapshot.js';
import type { Action, BeatEntrySample } from '../../src/store/actions.js';
import { maxArrivalNames } from '../../src/store/beat-state.js';
import { createModel } from '../../src/store/create-model.js';
import { reduce } from '../../src/store/reducer.js';
import { selectBeat, uuid1Time } from '../../src/store/select-beat.js';
import { schemaErrors } from '../helpers/schema.js';

const T0 = Date.UTC(2026, 11, 7, 14, 0, 0);
const meta: SnapshotMeta = {
  qtopVersion: '0.1.0',
  broker: 'redis://127.0.0.1:6390/0',
  backend: null,
  backendNote: 'no backend',
  label: null,
  readOnly: false,
  hideArgs: false,
  windowMs: 100,
  complete: true,
  taskLimit: 10,
};

const tickDef: BeatDefinition = {
  name: 'tick',
  task: 'app.add',
  args: [1, 2],
  kwargs: {},
  options: { queue: 'beat' },
  schedule: { kind: 'interval', everySec: 2, relative: false },
  enabled: true,
};
const nightlyDef: BeatDefinition = {
  ...tickDef,
  name: 'nightly',
  task: 'app.echo',
  options: {},
  schedule: { kind: 'crontab', minute: '0', hour: '3', dayOfWeek: '*', dayOfMonth: '*', monthOfYear: '*' },
  enabled: false,
};
// A redis-py Lock token: uuid1().hex taken at 2026-12-07T13:59:00Z.
const TOKEN = '5a312a00f24611f1a0b10242ac120002';

function sample(at: number, entries: BeatEntrySample[], token: string | null): Action {
  return {
    type: 'beat/sampled',
    at,
    prefix: 'redbeat:',
    scheduleFound: entries.length > 0,
    entries,
    truncated: false,
    lock: { key: 'redbeat::lock', token, ttlMs: token ? 9_500 : null },
  };
}

const tick = (dueAt: number, lastRunAt: number | null, count: number): BeatEntrySample => ({
  key: 'redbeat:tick',
  dueAt,
  definition: tickDef,
  meta: { lastRunAt, totalRunCount: count },
  problem: null,
});
const nightly: BeatEntrySample = {
  key: 'redbeat:nightly',
  dueAt: Date.UTC(2026, 11, 8, 3),
  definition: nightlyDef,
  meta: { lastRunAt: null, totalRunCount: 0 },
  problem: null,
};

function taskEvent(
  type: TaskEvent['type'],
  uuid: string,
  name: string | undefined,
  timestamp: number,
): TaskEvent {
  return { kind: 'task', type, uuid, name, hostname: 'w1@h', timestamp, utcoffset: 0, pid: 1, clock: 1 };
}
const events = (at: number, list: TaskEvent[]): Action => ({
  type: 'events/received',
  at,
  events: list,
  malformed: 0,
  bytes: 1,
});

describe('beat slice, view and findings', () => {
  it('reads the uuid1 time of a lock token', () => {
    expect(new Date(uuid1Time(TOKEN)!).toISOString()).toBe('2026-12-07T13:59:00.000Z');
    expect(uuid1Time('not-a-uuid')).toBeNull();
  });

  it('shows RedBeat entries, judges the last run against the due time seen before it', () => {
    const model = createModel(T0);
    reduce(model, sample(T0, [tick(T0 + 2000, T0, 5), nightly], TOKEN));
    reduce(model, events(T0 + 2100, [taskEvent('task-received', 'id-1', 'app.add', (T0 + 2050) / 1000)]));
    reduce(model, sample(T0 + 2200, [tick(T0 + 4000, T0 + 2000, 6), nightly], TOKEN));
    const view = selectBeat(model, T0 + 2500);
    expect(view.lock).toEqual({
      key: 'redbeat::lock',
      held: true,
      holder: TOKEN,
      ttlSec: 9.5,
      heldSinceAt: '2026-12-07T13:59:00.000Z',
      seenHeld: true,
    });
    expect(view.entries.map((e) => [e.name, e.schedule, e.enabled])).toEqual([
      ['nightly', 'cron 0 3 * * *', false],
      ['tick', 'every 2s', true],
    ]);
    const row = view.entries[1]!;
    expect(row).toMatchObject({
      source: 'redbeat',
      runCount: 6,
      lastRunAt: new Date(T0 + 2000).toISOString(),
      nextDueAt: new Date(T0 + 4000).toISOString(),
      nextDueInSec: 1.5,
      lagSec: 0,
      late: false,
      lastRunOnTime: true,
      lastResult: { taskId: 'id-1', state: 'RECEIVED' },
      queue: 'beat',
    });
    expect(view.entries[0]!.periodSec).toBe(86_400);
    expect(beatFindings(model, view)).toEqual([]);
  });

  it('finds beat down when the lock goes, late entries, and validates the snapshot', () => {
    const model = createModel(T0);
    reduce(model, sample(T0, [tick(T0 + 2000, T0, 5), nightly], TOKEN));
    reduce(model, sample(T0 + 1000, [tick(T0 + 2000, T0, 5), nightly], null));
    const down = beatFindings(model, selectBeat(model, T0 + 1000));
    expect(down.map((f) => [f.kind, f.severity])).toEqual([['beat-down', 'critical']]);
    expect(down[0]!.summary).toContain('redbeat::lock is gone while 1 enabled entries wait');

    // 30 s later the enabled entry is past its 10 s tolerance; the down finding covers it.
    const later = selectBeat(model, T0 + 32_000);
    expect(later.entries[1]).toMatchObject({ late: true, lagSec: 30 });
    expect(beatFindings(model, later).map((f) => f.kind)).toEqual(['beat-down']);

    // With the lock held again, lateness is its own finding (a stuck beat).
    reduce(model, sample(T0 + 32_000, [tick(T0 + 2000, T0, 5), nightly], TOKEN));
    const stuck = beatFindings(model, selectBeat(model, T0 + 32_000));
    expect(stuck.map((f) => f.kind)).toEqual(['beat-late']);

    const snapshot = selectSnapshot(model, T0 + 32_000, meta);
    expect(schemaErrors(snapshot)).toEqual([]);
    expect(snapshot.beat.findings.map((f) => f.kind)).toEqual(['beat-late']);
    expect(snapshot.hints.findings.map((f) => f.kind)).toContain('beat-late');
    expect(snapshot.meta.sources.beat.state).toBe('ok');
  });

  it('infers a periodic name from arrivals, once per id, and flags repeated failures', () => {
    const model = createModel(T0);
    for (let i = 0; i < 8; i += 1) {
      const ts = T0 / 1000 + i * 5 + (i % 3) * 0.05;
      reduce(model, events(T0 + i * 5000, [taskEvent('task-sent', `p-${i}`, 'app.report', ts)]));
      // The received event of the same task is not a second arrival.
      reduce(
        model,
        events(T0 + i * 5000 + 10, [taskEvent('task-received', `p-${i}`, 'app.report', ts + 0.01)]),
      );
      if (i >= 5)
        reduce(model, events(T0 + i * 5000 + 20, [taskEvent('task-failed', `p-${i}`, undefined, ts + 0.02)]));
    }
    expect(model.beat.arrivals.get('app.report')!.ids).toHaveLength(8);
    const now = T0 + 36_000;
    const view = selectBeat(model, now);
    expect(view.entries).toHaveLength(1);
    expect(view.entries[0]).toMatchObject({
      source: 'inferred',
      name: 'app.report',
      runCount: 8,
      enabled: null,
    });
    expect(view.entries[0]!.schedule).toBe('~every 5s');
    expect(beatFindings(model, view).map((f) => f.kind)).toEqual(['beat-failing']);
    const snapshot = selectSnapshot(model, now, meta);
    expect(schemaErrors(snapshot)).toEqual([]);
    expect(snapshot.beat.redbeat).toBeNull();
  });

  it('flags two beats and keeps arrivals bounded', () => {
    const model = createModel(T0);
    for (let i = 0; i < 7; i += 1) {
      const ts = T0 / 1000 + i * 10;
      reduce(
        model,
        events(T0, [
          taskEvent('task-received', `a-${i}`, 'app.sync', ts),
          taskEvent('task-received', `b-${i}`, 'app.sync', ts + 3),
        ]),
      );
    }
    const view = selectBeat(model, T0 + 70_000);
    expect(view.entries[0]!.schedule).toBe('~every 10s x2 beats');
    expect(beatFindings(model, view).map((f) => f.kind)).toEqual(['beat-duplicate']);
    for (let i = 0; i < maxArrivalNames + 10; i += 1)
      reduce(model, events(T0, [taskEvent('task-received', `n-${i}`, `app.n${i}`, T0 / 1000)]));
    expect(model.beat.arrivals.size).toBe(maxArrivalNames);
  });
});
