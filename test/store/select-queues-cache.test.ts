/**
 * Queue rows share the copies of what only a queue sample changes (select-queues.ts
 * `sampledPart`) across calls: reused while no sample came, copied again when one did.
 */
import { describe, expect, it } from 'vitest';
import type { Action } from '../../src/store/actions.js';
import { createModel } from '../../src/store/create-model.js';
import { selectQueues } from '../../src/store/select-queues.js';
import { apply, peeked, received, T0, workerEvent } from './fixture-events.js';

function sample(at: number, lengths: Record<number, number>, ids: string[], exchanges = ['celery']): Action {
  return {
    type: 'queues/sampled',
    at,
    undecodableBindings: 0,
    queues: [{ name: 'celery', exchanges, lengths, peek: ids.map((id, i) => peeked(id, i)) }],
  };
}

describe('selectQueues: sampled parts', () => {
  it('reuses them across frames without a sample and copies them again after one', () => {
    const model = createModel(T0);
    apply(model, sample(T0, { 0: 2, 3: 1 }, ['a']));
    const [first] = selectQueues(model, T0 + 100);
    // A heartbeat moves the model, not the queue.
    apply(model, received(T0 + 1000, [workerEvent('event-worker-heartbeat.json')]));
    const [again] = selectQueues(model, T0 + 1100);
    expect([again!.byPriority, again!.peek, again!.exchanges, again!.backlogHistory]).toEqual([
      first!.byPriority,
      first!.peek,
      first!.exchanges,
      first!.backlogHistory,
    ]);
    expect(again!.peek).toBe(first!.peek);
    expect(again!.backlogHistory).toBe(first!.backlogHistory);

    apply(model, sample(T0 + 2000, { 0: 5 }, ['b', 'c'], ['x', 'celery']));
    const [next] = selectQueues(model, T0 + 2100);
    expect(next!.byPriority).toEqual({ 0: 5 });
    expect(next!.peek.map((m) => m.id)).toEqual(['b', 'c']);
    expect(next!.exchanges).toEqual(['celery', 'x']);
    expect(next!.backlogHistory).toEqual([3, 5]);
    // The earlier frame's row kept what it showed.
    expect([first!.byPriority, first!.peek.map((m) => m.id), first!.backlogHistory]).toEqual([
      { 0: 2, 3: 1 },
      ['a'],
      [3],
    ]);
  });

  it('reads a failed poll into the backlog history although nothing else changed', () => {
    const model = createModel(T0);
    apply(model, sample(T0, { 0: 2 }, []));
    expect(selectQueues(model, T0)[0]!.backlogHistory).toEqual([2]);
    apply(model, { type: 'source/failed', at: T0 + 1000, source: 'queues', reason: 'x' });
    expect(selectQueues(model, T0 + 1000)[0]!.backlogHistory).toEqual([2, null]);
  });
});
