import { describe, expect, it } from 'vitest';
import { seriesAdd } from '../../src/metrics/series.js';
import type { Action, UnackedSample } from '../../src/store/actions.js';
import { createModel, ensureWorker } from '../../src/store/create-model.js';
import type { Model, TaskRecord } from '../../src/store/model.js';
import { selectQueue, selectQueues } from '../../src/store/select-queues.js';
import { apply, peeked, received, T0, workerEvent } from './fixture-events.js';

function sample(
  at: number,
  queues: { name: string; lengths: Record<number, number>; peek?: ReturnType<typeof peeked>[] }[],
): Action {
  return {
    type: 'queues/sampled',
    at,
    undecodableBindings: 0,
    queues: queues.map((q) => ({
      name: q.name,
      exchanges: [q.name],
      lengths: q.lengths,
      peek: q.peek ?? [],
    })),
  };
}

function unacked(deliveryTag: string, queue: string, deliveredAt: number | null): UnackedSample {
  return { deliveryTag, deliveredAt, queue, message: null, note: null };
}

/** A model that has listened to events since T0. */
function listening(): Model {
  const model = createModel(T0);
  apply(model, { type: 'source/recovered', at: T0, source: 'events' });
  return model;
}

describe('selectQueues: contents', () => {
  it('lists queues by name with totals, priorities, exchanges and backlog history', () => {
    const model = listening();
    apply(
      model,
      sample(T0, [
        { name: 'other', lengths: { 0: 1 } },
        { name: 'celery', lengths: { 0: 12, 3: 1, 6: 0, 9: 0 } },
      ]),
    );
    apply(model, { type: 'source/failed', at: T0 + 1000, source: 'queues', reason: 'x' });
    apply(
      model,
      sample(T0 + 2000, [
        { name: 'other', lengths: { 0: 1 } },
        { name: 'celery', lengths: { 0: 10, 3: 2 } },
      ]),
    );
    const rows = selectQueues(model, T0 + 2000);
    expect(rows.map((row) => row.name)).toEqual(['celery', 'other']);
    expect(rows[0]).toMatchObject({
      total: 12,
      byPriority: { 0: 10, 3: 2 },
      exchanges: ['celery'],
      backlogHistory: [13, null, 12],
      sampledAt: T0 + 2000,
    });
    expect(JSON.parse(JSON.stringify(rows))).toEqual(rows);
  });

  it('counts reserved messages per queue and ages the longest-held one', () => {
    const model = listening();
    apply(
      model,
      sample(T0, [
        { name: 'celery', lengths: {} },
        { name: 'other', lengths: {} },
      ]),
    );
    const entries = [
      unacked('a', 'celery', T0 / 1000 - 30),
      unacked('b', 'celery', T0 / 1000 - 5),
      unacked('c', 'other', null),
    ];
    apply(model, { type: 'unacked/sampled', at: T0, total: 3, entries });
    const [celery, other] = selectQueues(model, T0 + 10_000);
    expect(celery).toMatchObject({ reserved: 2, reservedIsLowerBound: false, oldestReservedAgeSec: 40 });
    expect(other).toMatchObject({ reserved: 1, oldestReservedAgeSec: null });
    expect(selectQueue(model, 'celery', T0)!.reservedMessages.map((m) => m.deliveryTag)).toEqual(['a', 'b']);
    apply(model, { type: 'unacked/sampled', at: T0, total: 900, entries });
    expect(selectQueues(model, T0)[0]!.reservedIsLowerBound).toBe(true);
  });

  it('ages the oldest waiting message from first sight, as a lower bound, skipping ETA messages', () => {
    const model = listening();
    const eta = peeked('e', 0, { eta: '2026-11-24T13:00:00+00:00' });
    apply(model, sample(T0, [{ name: 'celery', lengths: { 0: 2 }, peek: [eta, peeked('a', 1)] }]));
    apply(
      model,
      sample(T0 + 20_000, [
        { name: 'celery', lengths: { 0: 3 }, peek: [eta, peeked('a', 0), peeked('b', 1)] },
      ]),
    );
    expect(selectQueue(model, 'celery', T0 + 30_000)).toMatchObject({
      oldestAgeSec: 30,
      oldestAgeIsLowerBound: true,
    });
  });

  it('uses the task-sent time for an exact age when the task is known', () => {
    const model = listening();
    model.tasks.set('b', { id: 'b', sentAt: T0 / 1000 - 100 } as TaskRecord);
    apply(model, sample(T0, [{ name: 'celery', lengths: { 0: 2 }, peek: [peeked('a', 0), peeked('b', 1)] }]));
    expect(selectQueue(model, 'celery', T0 + 1000)).toMatchObject({
      oldestAgeSec: 101,
      oldestAgeIsLowerBound: false,
    });
  });

  it('counts up consumers and their pool slots', () => {
    const model = listening();
    apply(model, sample(T0, [{ name: 'celery', lengths: {} }]));
    for (const [host, poolMax] of [
      ['w1@vm', 2],
      ['w2@vm', 4],
      ['dead@vm', 8],
    ] as const) {
      apply(model, received(T0, [workerEvent('event-worker-heartbeat.json', { hostname: host })]));
      Object.assign(ensureWorker(model, host, T0), { queues: ['celery'], poolMax });
    }
    ensureWorker(model, 'w3@vm', T0).queues = ['celery'];
    model.workers.get('dead@vm')!.heartbeatReceivedAt = T0 - 60_000;
    expect(selectQueue(model, 'celery', T0 + 1000)!.consumers).toEqual({ workers: 2, slots: 6 });
    expect(selectQueue(model, 'nope', T0)).toBeNull();
  });
});

describe('selectQueues: rates', () => {
  it('reads in/out rates per second over the last minute from the rate series', () => {
    const model = listening();
    apply(model, sample(T0, [{ name: 'celery', lengths: {} }]));
    const queue = model.queues.get('celery')!;
    for (let s = 0; s < 60; s += 1) seriesAdd(queue.inRate, T0 + s * 1000, 2);
    seriesAdd(queue.outRate, T0 + 30_000, 30);
    const row = selectQueue(model, 'celery', T0 + 60_000)!;
    expect(row.inRate).toBe(2);
    expect(row.outRate).toBe(0.5);
  });

  it('clips the window to the time qtop has been running', () => {
    const model = listening();
    apply(model, sample(T0, [{ name: 'celery', lengths: {} }]));
    seriesAdd(model.queues.get('celery')!.inRate, T0 + 1000, 10);
    expect(selectQueue(model, 'celery', T0 + 10_000)!.inRate).toBe(1);
  });

  it('answers null while events were never heard or are down right now', () => {
    const model = createModel(T0);
    apply(model, sample(T0, [{ name: 'celery', lengths: {} }]));
    expect(selectQueue(model, 'celery', T0 + 10_000)).toMatchObject({ inRate: null, outRate: null });
    apply(model, { type: 'source/recovered', at: T0 + 10_000, source: 'events' });
    expect(selectQueue(model, 'celery', T0 + 20_000)!.inRate).toBe(0);
    apply(model, { type: 'source/failed', at: T0 + 20_000, source: 'events', reason: 'x' });
    expect(selectQueue(model, 'celery', T0 + 30_000)).toMatchObject({ inRate: null, outRate: null });
  });

  it('reports the backlog trend as a least-squares slope', () => {
    const model = listening();
    for (const [t, n] of [
      [0, 100],
      [10_000, 90],
      [20_000, 80],
    ])
      apply(model, sample(T0 + t!, [{ name: 'q', lengths: { 0: n! } }]));
    expect(selectQueue(model, 'q', T0 + 20_000)!.backlogTrendPerSec).toBeCloseTo(-1, 10);
  });
});
