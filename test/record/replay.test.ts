import { describe, expect, it } from 'vitest';
import { loadRecording } from '../../src/record/reader.js';
import { createRecorder } from '../../src/record/recorder.js';
import { countAt, createCursor, createTimeline, storeAt, type Timeline } from '../../src/record/replay.js';
import { type SnapshotMeta, selectSnapshot } from '../../src/snapshot/select-snapshot.js';
import type { Action } from '../../src/store/actions.js';
import { createStore } from '../../src/store/store.js';
import { createFakeClock } from '../helpers/fake-clock.js';
import { deepFreeze, fixtureActions, header, later, start } from './recording-fixture.js';

const meta: SnapshotMeta = {
  qtopVersion: 'test',
  broker: header.broker,
  backend: header.backend,
  backendNote: null,
  label: null,
  readOnly: true,
  hideArgs: false,
  windowMs: 0,
  complete: true,
  taskLimit: 500,
};

function timeline(actions: Action[] = fixtureActions()): Timeline {
  return createTimeline({ header, actions, truncated: false });
}

/** Everything a snapshot shows at `t`, from a store built any way. */
const picture = (store: ReturnType<typeof storeAt>['store'], t: number) =>
  selectSnapshot(store.getModel(), t, meta);

describe('replay driver', () => {
  it('gives the store as the live store held it at the end', () => {
    const actions = fixtureActions();
    const clock = createFakeClock(start);
    const live = createStore({ clock, config: header.model, notifyEveryMs: 0 });
    for (const action of actions) live.dispatch(action);
    const tl = timeline(actions);
    const { store, applied } = storeAt(tl, tl.endAt);
    expect(applied).toBe(actions.length);
    expect(picture(store, tl.endAt)).toEqual(picture(live, tl.endAt));
    expect(store.getModel().startedAt).toBe(start);
  });

  it('holds at T only what had happened by T', () => {
    const tl = timeline();
    const t0 = start + 5_000;
    const before = picture(storeAt(tl, t0 + 21_500).store, t0 + 21_500);
    expect(before.tasks.rows.find((t) => t.id === later.done)?.state).toBe('STARTED');
    expect(before.queues.find((q) => q.name === 'parked')?.total).toBe(5 + 21);
    const after = picture(storeAt(tl, t0 + 22_000).store, t0 + 22_000);
    expect(after.tasks.rows.find((t) => t.id === later.done)?.state).toBe('SUCCESS');
    // The queue poll failed at +30 s and recovered at +33 s: a gap at +31 s, none open at +34 s.
    expect(picture(storeAt(tl, t0 + 31_000).store, t0 + 31_000).meta.sources.queues.state).toBe('failed');
    expect(picture(storeAt(tl, t0 + 34_000).store, t0 + 34_000).meta.sources.queues.state).toBe('ok');
    expect(storeAt(tl, start).store.getModel().tasks.size).toBe(0);
  });

  it('applies an action at the latest time seen so far, so the store is always a prefix of the file', () => {
    const tl = timeline();
    const t0 = start + 5_000;
    // At +20 s the event (at +20.010 s) is dispatched before the sample stamped +19.970 s.
    const i = tl.actions.findIndex((a) => a.type === 'events/received' && a.at === t0 + 20_010);
    expect(tl.actions[i + 1]!.at).toBe(t0 + 19_970);
    expect(tl.effectiveAt[i + 1]).toBe(t0 + 20_010);
    expect(countAt(tl, t0 + 20_000)).toBe(i);
    expect(countAt(tl, t0 + 20_010)).toBe(i + 2);
    for (let k = 1; k < tl.effectiveAt.length; k++)
      expect(tl.effectiveAt[k]!).toBeGreaterThanOrEqual(tl.effectiveAt[k - 1]!);
  });

  it('seeking back rebuilds a store equal to a fresh build, and forward equals one too', () => {
    const tl = timeline();
    const cursor = createCursor(tl);
    const times = [start + 40_000, start + 60_000, start + 12_000, start + 50_000, start + 26_000, tl.endAt];
    for (const t of times) {
      const previous = cursor.store;
      const rebuilt = cursor.seek(t);
      expect(rebuilt).toBe(t < (times[times.indexOf(t) - 1] ?? 0));
      expect(cursor.store === previous).toBe(!rebuilt);
      expect(picture(cursor.store, t)).toEqual(picture(storeAt(tl, t).store, t));
    }
  });

  it('replays frozen actions: no reducer writes into an action, so a rebuild sees them unchanged', () => {
    const tl = timeline(deepFreeze(fixtureActions()));
    const cursor = createCursor(tl);
    cursor.seek(tl.endAt);
    cursor.seek(start);
    cursor.seek(tl.endAt);
    expect(picture(cursor.store, tl.endAt)).toEqual(picture(storeAt(timeline(), tl.endAt).store, tl.endAt));
  });

  it('records what it replays: recorder lines read back to the same actions, passwords masked', async () => {
    const written: string[] = [];
    const leaky: Action = {
      type: 'source/failed',
      at: start + 1,
      source: 'results',
      reason: 'cannot reach redis://:hunter2@10.0.0.5:6379/1 (ECONNREFUSED); auth s3cret-pw refused',
    };
    const recorder = createRecorder(header, {
      write: (line) => written.push(line),
      maxBytes: 1 << 20,
      secrets: ['s3cret-pw'],
    });
    const actions = [...fixtureActions(), leaky];
    for (const action of actions) expect(recorder.record(action)).toBe(true);
    const text = written.join('');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('s3cret-pw');
    expect(recorder.bytes).toBe(Buffer.byteLength(text));
    expect(recorder.actions).toBe(actions.length);
    const back = await loadRecording([text]);
    expect(back.actions.slice(0, -1)).toEqual(actions.slice(0, -1));
    expect(back.actions.at(-1)).toEqual({
      ...leaky,
      reason: 'cannot reach redis://:***@10.0.0.5:6379/1 (ECONNREFUSED); auth *** refused',
    });
  });

  it('stops before passing its size bound, writing no partial line', () => {
    const written: string[] = [];
    const recorder = createRecorder(header, {
      write: (line) => written.push(line),
      maxBytes: 3_000,
      secrets: [],
    });
    let accepted = 0;
    for (const action of fixtureActions()) {
      if (!recorder.record(action)) break;
      accepted += 1;
    }
    expect(recorder.full).toBe(true);
    expect(accepted).toBeGreaterThan(0);
    expect(recorder.actions).toBe(accepted);
    expect(recorder.bytes).toBeLessThanOrEqual(3_000);
    expect(written.every((line) => line.endsWith('\n'))).toBe(true);
    expect(recorder.record(fixtureActions()[0]!)).toBe(false);
    expect(() => createRecorder(header, { write: () => {}, maxBytes: 10, secrets: [] })).toThrow(
      /header alone/,
    );
  });
});
