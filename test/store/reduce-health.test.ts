import { describe, expect, it } from 'vitest';
import { seriesAdd, seriesBuckets } from '../../src/metrics/series.js';
import type { Action } from '../../src/store/actions.js';
import { createModel, ensureQueue, ensureTaskName } from '../../src/store/create-model.js';
import { reduceHealth } from '../../src/store/reduce-health.js';
import { received, T0, taskEvents, workerEvent } from './fixture-events.js';

const failed = (at: number, source: 'queues' | 'events' = 'queues', reason = 'ECONNREFUSED'): Action => ({
  type: 'source/failed',
  at,
  source,
  reason,
});

describe('reduceHealth: sources and gaps', () => {
  it('opens one gap per outage and closes it on recovery', () => {
    const model = createModel(T0);
    expect(reduceHealth(model, failed(T0 + 1000))).toBe(true);
    reduceHealth(model, failed(T0 + 2000, 'queues', 'timeout'));
    const h = model.sources.queues;
    expect(h).toMatchObject({ ok: false, lastError: 'timeout', lastErrorAt: T0 + 2000, lastOkAt: null });
    expect(h.gaps).toEqual([{ from: T0 + 1000, to: null, reason: 'ECONNREFUSED' }]);
    reduceHealth(model, { type: 'source/recovered', at: T0 + 5000, source: 'queues' });
    expect(h).toMatchObject({ ok: true, lastOkAt: T0 + 5000 });
    expect(h.gaps).toEqual([{ from: T0 + 1000, to: T0 + 5000, reason: 'ECONNREFUSED' }]);
    expect(model.sources.events.gaps).toEqual([]);
  });

  it.each([
    [{ type: 'queues/sampled', at: T0, queues: [], undecodableBindings: 0 }, 'queues'],
    [{ type: 'unacked/sampled', at: T0, total: 0, entries: [] }, 'unacked'],
    [{ type: 'events/malformed', at: T0, reason: 'bad', bytes: 3 }, 'events'],
    [{ type: 'pidbox/sampled', at: T0, nodes: [] }, 'inspect'],
    [{ type: 'inspect/replied', at: T0, method: 'ping', replies: [], silent: [] }, 'inspect'],
    [{ type: 'results/read', at: T0, via: 'scan', metas: [], malformed: 0 }, 'results'],
  ] as [Action, string][])('a successful %s proves the %s source', (action, source) => {
    const model = createModel(T0 - 10_000);
    reduceHealth(model, failed(T0 - 5000, source as 'queues'));
    reduceHealth(model, action);
    const h = model.sources[source as 'queues'];
    expect(h.ok).toBe(true);
    expect(h.lastOkAt).toBe(T0);
    expect(h.gaps[0]!.to).toBe(T0);
  });

  it('keeps at most maxGaps gaps, dropping the oldest', () => {
    const model = createModel(T0, { maxGaps: 3 });
    for (let i = 0; i < 5; i += 1) {
      reduceHealth(model, failed(T0 + i * 10_000));
      reduceHealth(model, { type: 'source/recovered', at: T0 + i * 10_000 + 1000, source: 'queues' });
    }
    expect(model.sources.queues.gaps.map((gap) => gap.from)).toEqual([T0 + 20_000, T0 + 30_000, T0 + 40_000]);
  });

  it('flags event-fed rates as unknown over an event outage once it closes', () => {
    const model = createModel(T0);
    const queue = ensureQueue(model, 'celery', T0);
    const stats = ensureTaskName(model, 'app.add', T0);
    seriesAdd(queue.inRate, T0 + 1000, 3);
    reduceHealth(model, failed(T0 + 6000, 'events'));
    reduceHealth(model, received(T0 + 16_000, []));
    // 5 s buckets: [T0, T0+5) known with 3; [T0+5, T0+20) in the outage.
    expect(seriesBuckets(queue.inRate, T0 + 19_000, 4)).toEqual([3, null, null, null]);
    expect(seriesBuckets(queue.outRate, T0 + 19_000, 4)).toEqual([0, null, null, null]);
    expect(seriesBuckets(stats.failedRate, T0 + 19_000, 4)).toEqual([0, null, null, null]);
    expect(seriesBuckets(stats.finishedRate, T0 + 19_000, 4)).toEqual([0, null, null, null]);
  });
});

describe('reduceHealth: counters and load', () => {
  it('counts event messages, events, types, malformed items and bytes', () => {
    const model = createModel(T0);
    const batch = taskEvents('event-task-multi-batch.json');
    reduceHealth(model, { ...received(T0, batch, 900), malformed: 2 } as Action);
    reduceHealth(model, received(T0, [workerEvent('event-worker-heartbeat.json')], 300));
    reduceHealth(model, { type: 'events/malformed', at: T0, reason: 'not JSON', bytes: 50 });
    expect(model.counters).toMatchObject({
      eventMessages: 3,
      events: 4,
      eventsMalformed: 3,
      eventBytes: 1250,
    });
    expect(model.counters.eventsByType).toEqual({
      'task-received': 1,
      'task-started': 2,
      'worker-heartbeat': 1,
    });
  });

  it('counts a hostile event type as an own key without touching prototypes', () => {
    const model = createModel(T0);
    const odd = { ...workerEvent('event-worker-heartbeat.json'), type: '__proto__' } as never;
    reduceHealth(model, received(T0, [odd, odd]));
    expect(Object.hasOwn(model.counters.eventsByType, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(model.counters.eventsByType, '__proto__')?.value).toBe(2);
    expect(Object.getPrototypeOf(model.counters.eventsByType)).toBe(Object.prototype);
  });

  it('counts results read and malformed', () => {
    const model = createModel(T0);
    reduceHealth(model, { type: 'results/read', at: T0, via: 'scan', metas: [], malformed: 4 });
    expect(model.counters).toMatchObject({ resultsRead: 0, resultsMalformed: 4 });
  });

  it('turns a load measurement into per-second rates and ignores an empty window', () => {
    const model = createModel(T0);
    const load: Action = {
      type: 'load/measured',
      at: T0,
      commands: 50,
      bytesIn: 8000,
      bytesOut: 2000,
      windowMs: 2000,
    };
    expect(reduceHealth(model, load)).toBe(true);
    expect(model.load).toEqual({
      commandsPerSec: 25,
      bytesInPerSec: 4000,
      bytesOutPerSec: 1000,
      windowMs: 2000,
      at: T0,
    });
    expect(reduceHealth(model, { ...load, windowMs: 0 } as Action)).toBe(false);
    expect(model.load?.commandsPerSec).toBe(25);
  });

  it('reports no change for actions it does not handle', () => {
    const model = createModel(T0);
    expect(reduceHealth(model, { type: 'task/retried-as', at: T0, oldId: 'a', newId: 'b' })).toBe(false);
  });
});
