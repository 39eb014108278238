import { describe, expect, it } from 'vitest';
import { estimateArrival } from '../../src/hints/select/arrival.js';
import { attributeTasks, queueShare } from '../../src/hints/select/attribution.js';
import { flowRate, flowWindow } from '../../src/hints/select/flow-rate.js';
import { estimateService } from '../../src/hints/select/service.js';
import { poolSize, queueSlots, slotShare } from '../../src/hints/select/slots.js';
import { seriesAdd, seriesRate } from '../../src/metrics/series.js';
import { createModel, ensureQueue } from '../../src/store/create-model.js';
import { reduce } from '../../src/store/reducer.js';
import { addWorker, hintModel, runTask, sampleQueues, T0 } from './hint-model.js';

describe('flow rates clipped to when qtop listened', () => {
  it('10 events in the 7.5 s since qtop started read 1.33/s, not 1/s over whole buckets', () => {
    // qtop starts 2.5 s into a 5 s bucket; now is 10 s after the bucket start.
    const model = createModel(T0 + 2_500);
    reduce(model, { type: 'source/recovered', at: T0 + 2_500, source: 'events' });
    const series = ensureQueue(model, 'q', T0).inRate;
    for (let i = 0; i < 10; i += 1) seriesAdd(series, T0 + 3_000 + i * 700);
    const now = T0 + 10_000;
    // seriesRate counts both buckets whole: 10 events / 10 s.
    expect(seriesRate(series, now, 7_500).perSec).toBeCloseTo(1, 9);
    // flowRate covers [T0 + 2.5 s, T0 + 10 s]: 10 / 7.5 s.
    const reading = flowRate(series, flowWindow(model, now, 60));
    expect(reading.sec).toBeCloseTo(7.5, 9);
    expect(reading.perSec).toBeCloseTo(10 / 7.5, 9);
  });

  it('no window while the event source never worked or is down now', () => {
    const model = createModel(T0);
    expect(flowWindow(model, T0 + 5_000, 60)).toBeNull();
    reduce(model, { type: 'source/recovered', at: T0, source: 'events' });
    reduce(model, { type: 'source/failed', at: T0 + 1_000, source: 'events', reason: 'gone' });
    expect(flowWindow(model, T0 + 5_000, 60)).toBeNull();
  });
});

describe('arrival rate λ', () => {
  it('task-sent: 30 sent in 10 s is 3/s, resting on 30 events', () => {
    const model = hintModel();
    const queue = ensureQueue(model, 'q', T0);
    for (let i = 0; i < 30; i += 1) seriesAdd(queue.inRate, T0 + i * 333);
    const now = T0 + 10_000;
    const a = estimateArrival(queue, now, flowWindow(model, now, 60), 60, 0);
    expect(a).toMatchObject({ method: 'task-sent', samples: 30, windowSec: 10 });
    expect(a.perSec).toBeCloseTo(3, 9);
  });

  it('backlog: ready grows 2/s while 3/s leave → λ = 2 + 3 = 5/s', () => {
    const model = hintModel();
    for (let t = 0; t <= 10; t += 1) sampleQueues(model, T0 + t * 1000, { q: 100 + 2 * t });
    const now = T0 + 10_000;
    const a = estimateArrival(model.queues.get('q')!, now, flowWindow(model, now, 60), 60, 3);
    expect(a).toMatchObject({ method: 'backlog', samples: 11, outflowPerSec: 3 });
    expect(a.backlogSlopePerSec).toBeCloseTo(2, 9);
    expect(a.perSec).toBeCloseTo(5, 9);
  });

  it('λ = 0: a flat backlog with nothing leaving; a falling one that matches outflow', () => {
    const model = hintModel();
    for (let t = 0; t <= 5; t += 1) sampleQueues(model, T0 + t * 1000, { flat: 7, falling: 50 - 4 * t });
    const now = T0 + 5_000;
    const w = flowWindow(model, now, 60);
    expect(estimateArrival(model.queues.get('flat')!, now, w, 60, 0).perSec).toBe(0);
    // slope −4/s + outflow 4/s = 0; noise below zero is clamped (arrivals cannot be negative).
    expect(estimateArrival(model.queues.get('falling')!, now, w, 60, 4).perSec).toBeCloseTo(0, 9);
    expect(estimateArrival(model.queues.get('falling')!, now, w, 60, 3).perSec).toBe(0);
  });

  it('too few samples give no number, and say how many there were', () => {
    const model = hintModel();
    sampleQueues(model, T0, { q: 1 });
    sampleQueues(model, T0 + 1000, { q: 2 });
    const a = estimateArrival(model.queues.get('q')!, T0 + 1000, flowWindow(model, T0 + 1000, 60), 60, 0);
    expect(a).toMatchObject({ perSec: null, samples: 2, method: 'backlog' });
  });

  it('without task events, λ is the slope alone (outflow unknown)', () => {
    const model = createModel(T0);
    for (let t = 0; t <= 4; t += 1) sampleQueues(model, T0 + t * 1000, { q: 10 + t });
    const a = estimateArrival(model.queues.get('q')!, T0 + 4000, null, 60, null);
    expect(a.outflowPerSec).toBeNull();
    expect(a.perSec).toBeCloseTo(1, 9);
  });
});

describe('service rate μ and the task-name mix', () => {
  it('runtime: 3 × app.a (1 s) and 1 × app.b (3 s) → mean 0.75·1 + 0.25·3 = 1.5 s, μ = 0.667/s', () => {
    const model = hintModel();
    addWorker(model, T0, 'w1@h', { poolMax: 2, queues: ['mixed'] });
    runTask(model, T0 + 100, 'a1', { name: 'app.a', worker: 'w1@h', runtime: 1 });
    runTask(model, T0 + 200, 'a2', { name: 'app.a', worker: 'w1@h', runtime: 1 });
    runTask(model, T0 + 300, 'a3', { name: 'app.a', worker: 'w1@h', runtime: 1 });
    runTask(model, T0 + 400, 'b1', { name: 'app.b', worker: 'w1@h', runtime: 3 });
    const attribution = attributeTasks(model);
    const s = estimateService(model, attribution, 'mixed', flowWindow(model, T0 + 1000, 60), 2, false);
    expect(s.method).toBe('runtime');
    expect(s.meanRuntimeSec).toBeCloseTo(1.5, 2);
    expect(s.perSlotPerSec).toBeCloseTo(1 / 1.5, 2);
    expect(s.mix.map((m) => [m.name, m.share])).toEqual([
      ['app.a', 0.75],
      ['app.b', 0.25],
    ]);
    expect(s.runtimeSamples).toBe(4);
  });

  it('one name on two queues: each queue gets the runtime its own tasks took, not the blend', () => {
    // app.sleepy runs 0.2 s on celery and 1 s on reports: the name's sketch says 0.6 s for both.
    const model = hintModel();
    for (let i = 0; i < 10; i += 1) {
      runTask(model, T0 + i * 100, `c${i}`, {
        name: 'app.sleepy',
        worker: 'w@h',
        runtime: 0.2,
        sentQueue: 'celery',
      });
      runTask(model, T0 + i * 100 + 50, `r${i}`, {
        name: 'app.sleepy',
        worker: 'w@h',
        runtime: 1,
        sentQueue: 'reports',
      });
    }
    const attribution = attributeTasks(model);
    const window = flowWindow(model, T0 + 2000, 60);
    const reports = estimateService(model, attribution, 'reports', window, 1, false);
    expect(reports).toMatchObject({ method: 'runtime', runtimeSamples: 10 });
    expect(reports.perSlotPerSec).toBeCloseTo(1, 9);
    // Completions of a shared name count per queue from the held tasks: 10 in the 2 s window.
    expect(reports.finishedInWindow).toBe(10);
    expect(reports.throughputPerSec).toBeCloseTo(5, 9);
    expect(estimateService(model, attribution, 'celery', window, 1, false).perSlotPerSec).toBeCloseTo(5, 9);
  });

  it('throughput while backlogged: 40 done in 10 s on 2 slots → μ = 4/2 = 2/s (overhead included)', () => {
    const model = hintModel();
    addWorker(model, T0, 'w1@h', { poolMax: 2, queues: ['q'] });
    // Runtime says 0.4 s (μ 2.5/s), but only 4/s come out of 2 slots: 0.1 s overhead each.
    for (let i = 0; i < 40; i += 1)
      runTask(model, T0 + i * 250, `t${i}`, { name: 'app.t', worker: 'w1@h', runtime: 0.4 });
    const w = flowWindow(model, T0 + 10_000, 60);
    const s = estimateService(model, attributeTasks(model), 'q', w, 2, true);
    expect(s).toMatchObject({ method: 'throughput', finishedInWindow: 40 });
    expect(s.perSlotPerSec).toBeCloseTo(2, 9);
    // Not backlogged all along: the queue was sometimes empty, so completions do not measure capacity.
    expect(estimateService(model, attributeTasks(model), 'q', w, 2, false).perSlotPerSec).toBeCloseTo(2.5, 2);
  });

  it('μ unknown without runtimes; a name routed to two queues splits its rate by held tasks', () => {
    const model = hintModel();
    expect(
      estimateService(model, attributeTasks(model), 'q', flowWindow(model, T0 + 1000, 60), 2, true),
    ).toMatchObject({
      perSlotPerSec: null,
      method: null,
    });
    runTask(model, T0 + 100, 'x1', { name: 'app.x', worker: 'w@h', runtime: 1, sentQueue: 'a' });
    runTask(model, T0 + 200, 'x2', { name: 'app.x', worker: 'w@h', runtime: 1, sentQueue: 'a' });
    runTask(model, T0 + 300, 'x3', { name: 'app.x', worker: 'w@h', runtime: 1, sentQueue: 'b' });
    const attribution = attributeTasks(model);
    expect(queueShare(attribution, 'app.x', 'a')).toBeCloseTo(2 / 3, 12);
    expect(queueShare(attribution, 'app.x', 'c')).toBe(0);
  });
});

describe('slots c and how shared workers split them', () => {
  it('a 6-slot worker on 3 queues, 2 with work of unknown runtime: 3 each, and 6/3 = 2 for the idle one', () => {
    const model = hintModel();
    addWorker(model, T0, 'w1@h', { poolMax: 6, queues: ['a', 'b', 'c'] });
    addWorker(model, T0, 'w2@h', { poolMax: 4, queues: ['a'] });
    const work = new Map([
      ['a', null],
      ['b', null],
    ]);
    const a = queueSlots(model, T0 + 1000, 'a', work);
    expect(a).toMatchObject({ current: 7, shared: true, unknownPools: 0 });
    expect(a.workers.map((w) => [w.hostname, w.share, w.slots])).toEqual([
      ['w1@h', 0.5, 3],
      ['w2@h', 1, 4],
    ]);
    expect(queueSlots(model, T0 + 1000, 'c', work).current).toBe(2);
  });

  it('by runtime: round-robin fetches give equal task counts, so 1 s tasks hold 5× the slots of 0.2 s ones', () => {
    // w1 (6 slots) on reports (1 s) and celery (0.2 s): reports 6·1/1.2 = 5 slots, celery 6·0.2/1.2 = 1.
    expect(
      slotShare(
        ['celery', 'reports'],
        'reports',
        new Map([
          ['celery', 0.2],
          ['reports', 1],
        ]),
      ),
    ).toBeCloseTo(5 / 6, 12);
    const model = hintModel();
    addWorker(model, T0, 'w1@h', { poolMax: 6, queues: ['celery', 'reports'] });
    const work = new Map([
      ['celery', 0.2],
      ['reports', 1],
    ]);
    expect(queueSlots(model, T0 + 1000, 'reports', work).current).toBeCloseTo(5, 9);
    expect(queueSlots(model, T0 + 1000, 'celery', work).current).toBeCloseTo(1, 9);
  });

  it('c = 0 with no consumer; null when every consumer pool size is unknown; lost workers do not count', () => {
    const model = hintModel();
    const work = new Map([['a', null]]);
    expect(queueSlots(model, T0, 'a', work)).toMatchObject({ current: 0, workers: [] });
    addWorker(model, T0, 'w3@h', { poolMax: null, queues: ['a'] });
    expect(queueSlots(model, T0 + 1000, 'a', work)).toMatchObject({ current: null, unknownPools: 1 });
    // 60 s later its heartbeat has expired: lost, no longer capacity.
    expect(queueSlots(model, T0 + 60_000, 'a', work)).toMatchObject({ current: 0, workers: [] });
  });
});

describe('pool size after pool_grow', () => {
  it('counts the live processes: Celery 5.2 keeps the start-up max-concurrency in stats', () => {
    const model = hintModel();
    const stats = { pool: { 'max-concurrency': 2, processes: [11, 12, 13, 14, 15, 16, 17] } };
    reduce(model, {
      type: 'inspect/replied',
      at: T0,
      method: 'stats',
      replies: [{ node: 'w1@h', value: stats, error: null }],
      silent: [],
    });
    addWorker(model, T0, 'w1@h', { poolMax: null, queues: ['q'] });
    expect(poolSize(model.workers.get('w1@h')!)).toBe(7);
    expect(queueSlots(model, T0 + 1000, 'q', new Map([['q', null]])).current).toBe(7);
    // A pool that lists no processes (solo, threads) falls back to max-concurrency.
    model.workers.get('w1@h')!.poolProcesses = null;
    expect(poolSize(model.workers.get('w1@h')!)).toBe(2);
  });
});
