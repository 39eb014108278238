import { describe, expect, it } from 'vitest';
import { selectHints } from '../../src/hints/select/select-hints.js';
import { type SnapshotMeta, selectSnapshot } from '../../src/snapshot/select-snapshot.js';
import type { Model } from '../../src/store/model.js';
import { schemaErrors } from '../helpers/schema.js';
import {
  addWorker,
  heartbeat,
  hintModel,
  prng,
  runTask,
  sampleQueues,
  sampleUnacked,
  T0,
  unacked,
} from './hint-model.js';

/**
 * The worked example: over 20 s, queue `celery` falls from 200 to 140 ready (slope −3/s) while
 * w1 (4 slots, busy) finishes 5 tasks/s of app.work (0.8 s each). No producer sends task-sent.
 *   λ = slope + outflow = −3 + 5 = 2/s
 *   μ: backlogged all along, so throughput ÷ slots = 5/4 = 1.25/s (= 1/0.8 s: no overhead here)
 *   B = 140 ready + 8 reserved = 148;   c = 4;   ρ = 2/(4·1.25) = 0.4
 *   drain = 148 / (4·1.25 − 2) = 49.33 s → "clears in ~49 s"
 */
function drainingModel(): { model: Model; now: number } {
  const model = hintModel();
  addWorker(model, T0, 'w1@h', { poolMax: 4, queues: ['celery'], busy: 4 });
  for (let t = 0; t <= 20; t += 1) sampleQueues(model, T0 + t * 1000, { celery: 200 - 3 * t });
  for (let i = 0; i < 100; i += 1) {
    runTask(model, T0 + 100 + i * 200, `t${i}`, { name: 'app.work', worker: 'w1@h', runtime: 0.8 });
  }
  const now = T0 + 20_000;
  sampleUnacked(
    model,
    now,
    Array.from({ length: 8 }, (_, i) => unacked(`r${i}`, 'celery', now)),
  );
  heartbeat(model, now, 'w1@h', 4);
  return { model, now };
}

const meta: SnapshotMeta = {
  qtopVersion: '0.1.0',
  broker: 'redis://127.0.0.1:6390/0',
  backend: null,
  backendNote: null,
  label: null,
  readOnly: false,
  hideArgs: false,
  windowMs: 20_000,
  complete: true,
  taskLimit: 50,
};

describe('selectHints: the worked example', () => {
  it('λ, μ, c, B, ρ, drain time and the forecast words', () => {
    const { model, now } = drainingModel();
    const hint = selectHints(model, now).queues.find((q) => q.queue === 'celery')!;
    expect(hint.arrival.method).toBe('backlog');
    expect(hint.arrival.backlogSlopePerSec).toBeCloseTo(-3, 9);
    expect(hint.arrival.outflowPerSec).toBeCloseTo(5, 9);
    expect(hint.arrival.perSec).toBeCloseTo(2, 9);
    expect(hint.arrival.samples).toBe(21);
    expect(hint.service.method).toBe('throughput');
    expect(hint.service.perSlotPerSec).toBeCloseTo(1.25, 9);
    expect(hint.service.meanRuntimeSec).toBeCloseTo(0.8, 2);
    expect(hint.service.finishedInWindow).toBe(100);
    expect(hint.slots.current).toBe(4);
    expect(hint.backlog).toEqual({ ready: 140, reserved: 8, scheduled: 0, total: 148, ageSec: 0 });
    expect(hint.utilization).toBeCloseTo(0.4, 9);
    expect(hint.drainSec).toBeCloseTo(148 / 3, 6);
    expect(hint.forecast).toEqual({ kind: 'draining', text: 'clears in ~49 s' });
    expect(hint.growthPerSec).toBeNull();
    expect(hint.confidence).toBe('medium'); // 20 s of data: under the 30 s "high" needs
  });

  it('slots for the targets: T = 300 s needs ⌈(2 + 148/300)/1.25⌉ = 2; T = 10 s needs ⌈13.44⌉ = 14', () => {
    const { model, now } = drainingModel();
    const relaxed = selectHints(model, now, { targetSec: 300, waitTargetSec: 30 }).queues[0]!;
    // Wait target: A = 1.6; c = 2 gives C = 0.7111, Wq = 0.7111/(2.5 − 2) = 1.42 s ≤ 30 s → 2.
    expect(relaxed).toMatchObject({ slotsToDrain: 2, slotsForWait: 2, addSlots: 0 });
    // With the current 4 slots: C(4, 1.6) = 0.0907, Wq = 0.0907/(5 − 2) = 0.0302 s.
    expect(relaxed.predictedWaitSec).toBeCloseTo(0.0302, 3);
    const tight = selectHints(model, now, { targetSec: 10 }).queues[0]!;
    expect(tight).toMatchObject({ slotsToDrain: 14, addSlots: 10 });
  });

  it('the drain counts from the backlog sample: 1.5 s later it is 1.5 s shorter', () => {
    const { model, now } = drainingModel();
    heartbeat(model, now + 1_500, 'w1@h', 4);
    const later = selectHints(model, now + 1_500).queues[0]!;
    expect(later.backlog.ageSec).toBeCloseTo(1.5, 9);
    // λ and μ move a little with the longer window; check against the hint's own inputs.
    const { total } = later.backlog;
    const net = later.slots.current! * later.service.perSlotPerSec! - later.arrival.perSec!;
    expect(later.drainSec).toBeCloseTo(total / net - 1.5, 6);
  });

  it('is valid in the snapshot under the published schema', () => {
    const { model, now } = drainingModel();
    const snapshot = selectSnapshot(model, now, meta, { visibilityTimeoutSec: 60 });
    expect(schemaErrors(snapshot)).toEqual([]);
    expect(snapshot.hints.queues[0]!.queue).toBe('celery');
    expect(snapshot.hints.options.visibilityTimeoutSec).toBe(60);
  });
});

describe('selectHints: edge cases', () => {
  it('too little data says so, with the sample count, and gives no numbers', () => {
    const model = hintModel();
    addWorker(model, T0, 'w1@h', { poolMax: 2, queues: ['q'] });
    sampleQueues(model, T0, { q: 50 });
    sampleQueues(model, T0 + 1000, { q: 48 });
    const hint = selectHints(model, T0 + 1000).queues[0]!;
    expect(hint.forecast).toEqual({ kind: 'insufficient', text: 'not enough data yet (2 samples)' });
    expect(hint).toMatchObject({ drainSec: null, slotsToDrain: null, addSlots: null, confidence: 'low' });
  });

  it('idle: nothing waiting and nothing arriving (λ = 0)', () => {
    const model = hintModel();
    addWorker(model, T0, 'w1@h', { poolMax: 2, queues: ['q'] });
    for (let t = 0; t <= 4; t += 1) sampleQueues(model, T0 + t * 1000, { q: 0 });
    const hint = selectHints(model, T0 + 4000).queues[0]!;
    expect(hint.forecast).toEqual({ kind: 'idle', text: 'idle' });
    expect(hint).toMatchObject({ drainSec: 0, slotsToDrain: 0, slotsForWait: 0 });
  });

  it('c = 0: a backlog without a consumer is stalled, whatever else is known', () => {
    const model = hintModel();
    addWorker(model, T0, 'w1@h', { poolMax: 2, queues: ['celery'] });
    sampleQueues(model, T0, { celery: 0, parked: 5 });
    const hint = selectHints(model, T0 + 1000).queues.find((q) => q.queue === 'parked')!;
    expect(hint.forecast).toEqual({ kind: 'stalled', text: 'stalled (no consumer)' });
    expect(hint.slots.current).toBe(0);
  });

  it('stalled: ready messages beside idle consumers, nothing taken for 12 s', () => {
    const model = hintModel();
    addWorker(model, T0, 'w1@h', { poolMax: 2, queues: ['q'], busy: 0 });
    for (let t = 0; t <= 12; t += 1) sampleQueues(model, T0 + t * 1000, { q: 10 });
    heartbeat(model, T0 + 12_000, 'w1@h', 0);
    const hint = selectHints(model, T0 + 12_000).queues[0]!;
    expect(hint.forecast).toEqual({
      kind: 'stalled',
      text: 'stalled (workers idle, nothing taken for 12 s)',
    });
    // The same while the worker runs tasks is not a stall, only slow (μ still unknown here).
    heartbeat(model, T0 + 12_000, 'w1@h', 2);
    expect(selectHints(model, T0 + 12_000).queues[0]!.forecast.kind).toBe('insufficient');
  });

  it('μ unknown (no runtimes: events off) leaves the drain open', () => {
    const model = hintModel();
    addWorker(model, T0, 'w1@h', { poolMax: 2, queues: ['q'], busy: 2 });
    for (let t = 0; t <= 4; t += 1) sampleQueues(model, T0 + t * 1000, { q: 30 });
    heartbeat(model, T0 + 4000, 'w1@h', 2);
    const hint = selectHints(model, T0 + 4000).queues[0]!;
    expect(hint.forecast.text).toBe('not enough data yet (no task runtimes)');
    expect(hint.notes.join(' ')).toContain('μ unknown');
  });

  it('growing: 6/s arriving against 2 slots of 1/s → "will not drain (growing 4/s)"', () => {
    // Ready rises 4/s for 20 s while w1 (2 slots, busy) finishes 2/s: λ = 4 + 2 = 6, μ = 2/2 = 1.
    const model = hintModel();
    addWorker(model, T0, 'w1@h', { poolMax: 2, queues: ['q'], busy: 2 });
    for (let t = 0; t <= 20; t += 1) sampleQueues(model, T0 + t * 1000, { q: 10 + 4 * t });
    for (let i = 0; i < 40; i += 1)
      runTask(model, T0 + 250 + i * 500, `g${i}`, { name: 'app.g', worker: 'w1@h', runtime: 1 });
    heartbeat(model, T0 + 20_000, 'w1@h', 2);
    const hint = selectHints(model, T0 + 20_000).queues[0]!;
    expect(hint.arrival.perSec).toBeCloseTo(6, 9);
    expect(hint.growthPerSec).toBeCloseTo(4, 9);
    expect(hint.forecast).toEqual({ kind: 'growing', text: 'will not drain (growing 4/s)' });
    expect(hint.drainSec).toBeNull();
    // To drain 90 in 5 min while 6/s arrive: ⌈(6 + 90/300)/1⌉ = ⌈6.3⌉ = 7 slots.
    expect(hint.slotsToDrain).toBe(7);
  });

  it('keeping up: nothing waiting, 1/s sent, 2 slots of 0.5 s → "keeping up (25% busy)"', () => {
    const model = hintModel();
    addWorker(model, T0, 'w1@h', { poolMax: 2, queues: ['q'] });
    for (let t = 0; t <= 10; t += 1) sampleQueues(model, T0 + t * 1000, { q: 0 });
    for (let i = 0; i < 10; i += 1)
      runTask(model, T0 + 500 + i * 1000, `k${i}`, {
        name: 'app.k',
        worker: 'w1@h',
        runtime: 0.5,
        sentQueue: 'q',
      });
    heartbeat(model, T0 + 10_000, 'w1@h', 0);
    const hint = selectHints(model, T0 + 10_000).queues[0]!;
    // λ = 10 sent / 10 s = 1/s; μ = 1/0.5 = 2/s (runtime: never backlogged); ρ = 1/(2·2) = 0.25.
    expect(hint.arrival).toMatchObject({ method: 'task-sent', samples: 10 });
    expect(hint.utilization).toBeCloseTo(0.25, 2);
    expect(hint.forecast).toEqual({ kind: 'keeping-up', text: 'keeping up (25% busy)' });
  });

  it('shared slots: a 4-slot worker on two backlogged queues gives each 2', () => {
    const model = hintModel();
    addWorker(model, T0, 'w1@h', { poolMax: 4, queues: ['a', 'b'], busy: 4 });
    for (let t = 0; t <= 4; t += 1) sampleQueues(model, T0 + t * 1000, { a: 10, b: 20 });
    heartbeat(model, T0 + 4000, 'w1@h', 4);
    const report = selectHints(model, T0 + 4000);
    expect(report.queues.map((q) => [q.queue, q.slots.current, q.slots.shared])).toEqual([
      ['a', 2, true],
      ['b', 2, true],
    ]);
    expect(report.queues[0]!.notes.join(' ')).toContain('shared');
  });

  it('shared slots: a queue of rare, short tasks on a shared pool needs no whole slot of its own', () => {
    // The demo's case: w1 (2 slots) serves `main` (0.5 s tasks, 2/s) and `mail` (4 ms, 0.5/s).
    // By runtime, mail's share is 2 · 0.004/0.504 ≈ 0.016 slots, yet it needs only
    // 0.5 · 0.004 = 0.002: whole-slot targets (⌈…⌉ = 1) would ask to grow the pool for nothing.
    const model = hintModel();
    addWorker(model, T0, 'w1@h', { poolMax: 2, queues: ['main', 'mail'] });
    for (let t = 0; t <= 20; t += 1) sampleQueues(model, T0 + t * 1000, { main: 0, mail: 0 });
    for (let i = 0; i < 40; i += 1) {
      const at = T0 + 250 + i * 500;
      runTask(model, at, `m${i}`, { name: 'app.main', worker: 'w1@h', runtime: 0.5, sentQueue: 'main' });
      if (i % 4 === 0)
        runTask(model, at + 1, `x${i}`, {
          name: 'app.mail',
          worker: 'w1@h',
          runtime: 0.004,
          sentQueue: 'mail',
        });
    }
    heartbeat(model, T0 + 20_000, 'w1@h', 1);
    const mail = selectHints(model, T0 + 20_000).queues.find((q) => q.queue === 'mail')!;
    expect(mail.slots.shared).toBe(true);
    expect(mail.slots.current!).toBeLessThan(0.05);
    expect(mail.slotsToDrain).toBe(1);
    expect(mail.addSlots).toBe(0);
    expect(mail.notes.join(' ')).toContain('wait target is not applied');
  });

  it('shared slots: a share the load outgrows still asks for the difference', () => {
    // a and b both have work and 1 s tasks on a 4-slot worker, so 2 slots each; b gets 4/s,
    // more than its 2 slots finish, so the load (λ + B/T)/μ exceeds the share.
    const model = hintModel();
    addWorker(model, T0, 'w1@h', { poolMax: 4, queues: ['a', 'b'], busy: 4 });
    for (let t = 0; t <= 10; t += 1) sampleQueues(model, T0 + t * 1000, { a: 10, b: 40 });
    for (let i = 0; i < 40; i += 1) {
      const at = T0 + 100 + i * 250;
      runTask(model, at, `b${i}`, { name: 'app.b', worker: 'w1@h', runtime: 1, sentQueue: 'b' });
      if (i % 4 === 0)
        runTask(model, at + 1, `a${i}`, { name: 'app.a', worker: 'w1@h', runtime: 1, sentQueue: 'a' });
    }
    heartbeat(model, T0 + 10_000, 'w1@h', 4);
    const b = selectHints(model, T0 + 10_000).queues.find((q) => q.queue === 'b')!;
    expect(b.slots.current).toBe(2);
    expect(b.arrival.perSec!).toBeCloseTo(4, 0);
    const load = (b.arrival.perSec! + b.backlog.total / 300) / b.service.perSlotPerSec!;
    expect(b.addSlots).toBe(Math.ceil(load - 2));
    expect(b.addSlots).toBeGreaterThanOrEqual(1);
  });

  it('property: a bigger pool never predicts a longer drain (whole model, seeded)', () => {
    const rand = prng(99);
    for (let i = 0; i < 40; i += 1) {
      const pool = 1 + Math.floor(rand() * 8);
      const bigger = pool + 1 + Math.floor(rand() * 8);
      const start = 10 + Math.floor(rand() * 500);
      const slope = Math.floor(rand() * 20) - 10;
      const runtime = 0.05 + rand() * 5;
      const drain = (slots: number) => {
        const model = hintModel();
        addWorker(model, T0, 'w1@h', { poolMax: slots, queues: ['q'] });
        for (let t = 0; t <= 5; t += 1)
          sampleQueues(model, T0 + t * 1000, { q: Math.max(1, start + slope * t) });
        runTask(model, T0 + 100, 'r', { name: 'app.r', worker: 'w1@h', runtime });
        heartbeat(model, T0 + 5000, 'w1@h', 0);
        return selectHints(model, T0 + 5000).queues[0]!.drainSec ?? Number.POSITIVE_INFINITY;
      };
      expect(drain(bigger)).toBeLessThanOrEqual(drain(pool));
    }
  });
});
