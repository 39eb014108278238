/**
 * Memo invalidation: the frame memo and the selectors' own indexes (the unfiltered task list's
 * tail, the answered-nodes index per inspect round, the consumer index per queue call) must
 * never hold back a change that has to show on the next frame.
 */
import { describe, expect, it } from 'vitest';
import type { Action } from '../../src/store/actions.js';
import { createStore } from '../../src/store/store.js';
import { initialUi } from '../../views/state/ui-state.js';
import { queuesOf, tasksOf, workersOf } from '../../views/state/view-data.js';
import { createViewFrames } from '../../views/state/view-frame.js';
import { createFakeClock } from '../helpers/fake-clock.js';
import { eventsAction, taskEvent } from '../store/task-fixtures.js';

function setup() {
  const clock = createFakeClock();
  const store = createStore({ clock, notifyEveryMs: 0 });
  const frames = createViewFrames(store, clock, { minIntervalMs: 200 });
  frames.start();
  const next = (action: Action) => {
    store.dispatch(action);
    clock.advance(250);
  };
  return { clock, store, frames, next };
}

const replied = (at: number, method: 'active' | 'active_queues', node: string, value: unknown): Action => ({
  type: 'inspect/replied',
  at,
  method,
  silent: [],
  replies: [{ node, error: null, value: value as never }],
});

describe('frame memo invalidation', () => {
  it('a task event shows in the next frame of the unfiltered list, latest first, and in either order', () => {
    const { clock, frames, next } = setup();
    const t = clock.now() / 1000;
    next(eventsAction(clock.now(), taskEvent('task-received', 'a', t, { name: 'app.one' } as never)));
    expect(tasksOf(frames, initialUi).rows.map((r) => r.id)).toEqual(['a']);
    next(eventsAction(clock.now(), taskEvent('task-received', 'b', t + 1, { name: 'app.two' } as never)));
    expect(tasksOf(frames, initialUi).rows.map((r) => r.id)).toEqual(['b', 'a']);
    // an update moves a task to the front
    next(eventsAction(clock.now(), taskEvent('task-started', 'a', t + 2)));
    const list = tasksOf(frames, initialUi);
    expect(list.rows.map((r) => [r.id, r.state])).toEqual([
      ['a', 'STARTED'],
      ['b', 'RECEIVED'],
    ]);
    expect(list).toMatchObject({ total: 2, matched: 2, capped: false });
    expect(tasksOf(frames, { ...initialUi, taskReverse: true }).rows.map((r) => r.id)).toEqual(['b', 'a']);
    // the empty filter goes the fast way; a real one still filters
    expect(tasksOf(frames, { ...initialUi, taskFilter: 'name:app.two' }).rows.map((r) => r.id)).toEqual([
      'b',
    ]);
  });

  it('a new inspect round shows in the next frame of the worker rows', () => {
    const { clock, frames, next } = setup();
    next(replied(clock.now(), 'active', 'w1@vm', []));
    expect(workersOf(frames).find((w) => w.hostname === 'w1@vm')?.activeCount).toBe(0);
    next(
      replied(clock.now(), 'active', 'w1@vm', [
        { id: 'x', name: 'app.one', args: [], kwargs: {}, hostname: 'w1@vm', time_start: 1 },
      ]),
    );
    expect(workersOf(frames).find((w) => w.hostname === 'w1@vm')?.activeCount).toBe(1);
  });

  it("a worker's new queue list shows in the next frame's consumer counts", () => {
    const { clock, frames, next } = setup();
    next({
      type: 'queues/sampled',
      at: clock.now(),
      undecodableBindings: 0,
      queues: ['q1', 'q2'].map((name) => ({ name, exchanges: [name], lengths: { 0: 1 }, peek: [] })),
    });
    next(replied(clock.now(), 'active_queues', 'w1@vm', [{ name: 'q1', routing_key: 'q1' }]));
    const consumers = () => Object.fromEntries(queuesOf(frames).map((q) => [q.name, q.consumers.workers]));
    expect(consumers()).toEqual({ q1: 1, q2: 0 });
    next(
      replied(clock.now(), 'active_queues', 'w1@vm', [
        { name: 'q2', routing_key: 'q2' },
        { name: 'q2', routing_key: 'q2' },
      ]),
    );
    // listed twice, counted once
    expect(consumers()).toEqual({ q1: 0, q2: 1 });
  });
});
