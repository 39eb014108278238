import { describe, expect, it } from 'vitest';
import { gaugeValues, seriesAdd } from '../../src/metrics/series.js';
import type { Action, PeekedMessage, QueueSample, UnackedSample } from '../../src/store/actions.js';
import { createModel, ensureWorker } from '../../src/store/create-model.js';
import { reduceQueues } from '../../src/store/reduce-queues.js';
import { peeked, T0 } from './fixture-events.js';

function sampled(at: number, queues: QueueSample[], undecodableBindings = 0): Action {
  return { type: 'queues/sampled', at, queues, undecodableBindings };
}

const celery = (peek: PeekedMessage[], lengths: Record<number, number> = { 0: 12, 3: 1, 6: 0, 9: 0 }) => ({
  name: 'celery',
  exchanges: ['celery'],
  lengths,
  peek,
});

describe('reduceQueues: samples', () => {
  it('upserts each sampled queue with lengths, total, peek and a backlog sample', () => {
    const model = createModel(T0);
    const peek = [peeked('a', 0), peeked('b', 1)];
    expect(reduceQueues(model, sampled(T0, [celery(peek)], 2))).toBe(true);
    const queue = model.queues.get('celery')!;
    expect(queue).toMatchObject({ total: 13, lengths: { 0: 12, 3: 1, 6: 0, 9: 0 }, sampledAt: T0 });
    expect(queue.exchanges).toEqual(['celery']);
    expect(queue.peek).toEqual(peek);
    expect(gaugeValues(queue.backlog, 5)).toEqual([13]);
    expect(model.counters.undecodableBindings).toBe(2);
    // A level, re-read whole each poll: not accumulated.
    reduceQueues(model, sampled(T0 + 1000, [celery(peek)], 1));
    expect(model.counters.undecodableBindings).toBe(1);
    expect(gaugeValues(queue.backlog, 5)).toEqual([13, 13]);
  });

  it('remembers when each peeked id was first seen, and forgets ids that left the peek', () => {
    const model = createModel(T0);
    reduceQueues(model, sampled(T0, [celery([peeked('a', 0), peeked('b', 1), peeked(null, 2)])]));
    reduceQueues(model, sampled(T0 + 2000, [celery([peeked('b', 0), peeked('c', 1)])]));
    const firstSeen = model.queues.get('celery')!.firstSeen;
    expect([...firstSeen.entries()]).toEqual([
      ['b', T0],
      ['c', T0 + 2000],
    ]);
  });

  it('removes a queue that vanished from discovery when nothing else shows it in use', () => {
    const model = createModel(T0);
    reduceQueues(model, sampled(T0, [celery([]), { ...celery([]), name: 'parked' }]));
    reduceQueues(model, sampled(T0 + 1000, [celery([])]));
    expect([...model.queues.keys()]).toEqual(['celery']);
  });

  it('keeps a vanished queue with recent event flow, recording a gap in its backlog', () => {
    const model = createModel(T0);
    reduceQueues(model, sampled(T0, [celery([]), { ...celery([], { 0: 4 }), name: 'busy' }]));
    seriesAdd(model.queues.get('busy')!.outRate, T0 + 500);
    reduceQueues(model, sampled(T0 + 1000, [celery([])]));
    expect(gaugeValues(model.queues.get('busy')!.backlog, 5)).toEqual([4, null]);
    // Five minutes later the flow is history and the queue goes.
    reduceQueues(model, sampled(T0 + 6 * 60_000, [celery([])]));
    expect(model.queues.has('busy')).toBe(false);
  });

  it('keeps a vanished queue that still has reserved messages or a live consumer', () => {
    const model = createModel(T0);
    const entry: UnackedSample = {
      deliveryTag: 't1',
      deliveredAt: T0 / 1000,
      queue: 'held',
      message: null,
      note: null,
    };
    model.unacked = { total: 1, entries: [entry], sampledAt: T0 };
    const consumer = ensureWorker(model, 'w1@vm', T0);
    consumer.queues = ['consumed'];
    consumer.heartbeatReceivedAt = T0;
    consumer.freq = 2;
    const three = ['held', 'consumed', 'gone'].map((name) => ({ ...celery([]), name }));
    reduceQueues(model, sampled(T0, three));
    reduceQueues(model, sampled(T0 + 1000, []));
    expect([...model.queues.keys()].sort()).toEqual(['consumed', 'held']);
    // Once the consumer's heartbeat expires (2 s × 2), it no longer vouches for the queue.
    reduceQueues(model, sampled(T0 + 10_000, []));
    expect([...model.queues.keys()]).toEqual(['held']);
  });
});

describe('reduceQueues: unacked and failures', () => {
  it('stores the unacked sample whole', () => {
    const model = createModel(T0);
    const entries: UnackedSample[] = [
      {
        deliveryTag: 't1',
        deliveredAt: 1_795_524_233.8,
        queue: 'celery',
        message: peeked('x', 0),
        note: null,
      },
    ];
    expect(reduceQueues(model, { type: 'unacked/sampled', at: T0, total: 7, entries })).toBe(true);
    expect(model.unacked).toEqual({ total: 7, entries, sampledAt: T0 });
  });

  it('records a failed queue poll as a null sample in every backlog', () => {
    const model = createModel(T0);
    reduceQueues(model, sampled(T0, [celery([]), { ...celery([], { 0: 2 }), name: 'other' }]));
    expect(reduceQueues(model, { type: 'source/failed', at: T0 + 1000, source: 'queues', reason: 'x' })).toBe(
      true,
    );
    reduceQueues(
      model,
      sampled(T0 + 2000, [celery([], { 0: 5 }), { ...celery([], { 0: 1 }), name: 'other' }]),
    );
    expect(gaugeValues(model.queues.get('celery')!.backlog, 5)).toEqual([13, null, 5]);
    expect(gaugeValues(model.queues.get('other')!.backlog, 5)).toEqual([2, null, 1]);
  });

  it('ignores failures of other sources', () => {
    const model = createModel(T0);
    reduceQueues(model, sampled(T0, [celery([])]));
    expect(reduceQueues(model, { type: 'source/failed', at: T0, source: 'events', reason: 'x' })).toBe(false);
    expect(gaugeValues(model.queues.get('celery')!.backlog, 5)).toEqual([13]);
  });
});
