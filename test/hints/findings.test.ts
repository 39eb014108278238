import { describe, expect, it } from 'vitest';
import type { Finding, FindingKind } from '../../src/hints/maths/types.js';
import { jumped } from '../../src/hints/select/findings-failures.js';
import { selectHints } from '../../src/hints/select/select-hints.js';
import type { Model } from '../../src/store/model.js';
import {
  addWorker,
  heartbeat,
  hintModel,
  message,
  runTask,
  sampleQueues,
  sampleUnacked,
  T0,
  taskEvent,
  unacked,
} from './hint-model.js';

// Every rule has a case that finds it and a near miss that must not: delete a rule and its
// positive case fails; loosen it and the near miss fails.
function findings(model: Model, now: number, kind: FindingKind, vt = 3600): Finding[] {
  return selectHints(model, now, { visibilityTimeoutSec: vt }).findings.filter((f) => f.kind === kind);
}

describe('no-consumer', () => {
  it('a backlog no up worker consumes; not when one does, nor when a worker has not said what it consumes', () => {
    const model = hintModel();
    addWorker(model, T0, 'w1@h', { poolMax: 2, queues: ['celery'] });
    sampleQueues(model, T0, { celery: 0, parked: 5 }, { parked: [message('p1')] });
    const [f] = findings(model, T0 + 1000, 'no-consumer');
    expect(f).toMatchObject({ severity: 'critical', queue: 'parked', taskIds: ['p1'] });
    expect(f!.evidence).toContain('up workers consume only celery');
    expect(f!.fix).toContain('-Q parked');

    addWorker(model, T0 + 1000, 'w2@h', { poolMax: 2, queues: ['parked'] });
    expect(findings(model, T0 + 1000, 'no-consumer')).toEqual([]);

    const unsure = hintModel();
    addWorker(unsure, T0, 'w1@h', { poolMax: 2, queues: null });
    sampleQueues(unsure, T0, { parked: 5 });
    expect(findings(unsure, T0 + 1000, 'no-consumer')).toEqual([]);
  });
});

describe('lost-worker', () => {
  it('heartbeats stopped without worker-offline: critical with the tasks it held', () => {
    const model = hintModel();
    addWorker(model, T0, 'w1@h', { poolMax: 2, queues: ['celery'] });
    taskEvent(model, T0 + 500, 'task-received', 'held-1', 'w1@h', { name: 'app.sleepy' });
    const [f] = findings(model, T0 + 60_000, 'lost-worker');
    expect(f).toMatchObject({ severity: 'critical', worker: 'w1@h', taskIds: ['held-1'] });
    expect(f!.evidence[0]).toMatch(/^last heartbeat ~60 s ago/);
    expect(f!.fix).toContain('visibility_timeout');
  });

  it('not while it heartbeats, nor after a warm shutdown (worker-offline)', () => {
    const model = hintModel();
    addWorker(model, T0, 'w1@h', { poolMax: 2, queues: ['celery'] });
    heartbeat(model, T0 + 58_000, 'w1@h', 0);
    expect(findings(model, T0 + 60_000, 'lost-worker')).toEqual([]);
    reduceOffline(model, T0 + 59_000, 'w1@h');
    expect(findings(model, T0 + 120_000, 'lost-worker')).toEqual([]);
  });
});

function reduceOffline(model: Model, at: number, hostname: string): void {
  heartbeat(model, at, hostname, 0);
  const worker = model.workers.get(hostname)!;
  worker.offlineAt = at; // what a worker-offline event records (reduce-workers.ts)
}

describe('redelivery (unacked past visibility_timeout)', () => {
  it('an entry delivered 3700 s ago with a 3600 s timeout; not one delivered 3500 s ago', () => {
    const model = hintModel();
    const now = T0 + 10_000;
    sampleUnacked(model, now, [
      unacked('old', 'celery', now - 3_700_000),
      unacked('young', 'celery', now - 3_500_000),
    ]);
    const [f] = findings(model, now, 'redelivery');
    expect(f).toMatchObject({ queue: 'celery', taskIds: ['old'] });
    expect(f!.summary).toContain('1 message of celery');
    expect(f!.fix).toContain("'visibility_timeout': 5580"); // ⌈3700 · 1.5 / 60⌉ · 60
    expect(findings(model, now, 'redelivery', 4000)).toEqual([]);
  });
});

describe('eta-beyond-visibility', () => {
  it('a countdown of 2 h held with a 1 h timeout, and one still queued; not a 10 minute one', () => {
    const model = hintModel();
    const now = T0 + 10_000;
    const iso = (ms: number) => new Date(ms).toISOString();
    sampleUnacked(model, now, [
      unacked('far', 'celery', now, { eta: iso(now + 7_200_000) }),
      unacked('near', 'celery', now, { eta: iso(now + 600_000) }),
    ]);
    sampleQueues(
      model,
      now,
      { celery: 0, other: 1 },
      { other: [message('queued', { eta: iso(now + 5_000_000) })] },
    );
    const found = findings(model, now, 'eta-beyond-visibility');
    expect(found.map((f) => [f.queue, f.taskIds])).toEqual([
      ['celery', ['far']],
      ['other', ['queued']],
    ]);
    // Held ETA messages wait for their time, not for a slot: scheduled, not backlog.
    const celery = selectHints(model, now).queues.find((q) => q.queue === 'celery')!;
    expect(celery.backlog).toMatchObject({ reserved: 0, scheduled: 2, total: 0 });
    expect(findings(model, now, 'eta-beyond-visibility', 8000)).toEqual([]);
  });
});

/** w1 runs 2/2 long tasks and holds 2 more of `long`; w2 consumes `long` too. */
function prefetchModel(w2Busy: number, runtime: number): { model: Model; now: number } {
  const model = hintModel();
  addWorker(model, T0, 'w1@h', { poolMax: 2, queues: ['long'], busy: 2 });
  addWorker(model, T0, 'w2@h', { poolMax: 2, queues: ['long'], busy: w2Busy });
  runTask(model, T0 + 100, 'done', { name: 'app.long', worker: 'w1@h', runtime });
  taskEvent(model, T0 + 200, 'task-received', 'wait-1', 'w1@h', { name: 'app.long' });
  taskEvent(model, T0 + 200, 'task-received', 'wait-2', 'w1@h', { name: 'app.long' });
  const now = T0 + 3_000;
  sampleQueues(model, now, { long: 0 });
  heartbeat(model, now, 'w1@h', 2);
  heartbeat(model, now, 'w2@h', w2Busy);
  return { model, now };
}

describe('prefetch-starvation', () => {
  it('long tasks reserved on a busy worker while another has idle slots and nothing is ready', () => {
    const { model, now } = prefetchModel(0, 30);
    const [f] = findings(model, now, 'prefetch-starvation');
    expect(f).toMatchObject({ queue: 'long', worker: 'w1@h', taskIds: ['wait-1', 'wait-2'] });
    expect(f!.fix).toContain('worker_prefetch_multiplier=1');
    expect(f!.fix).toContain('-O fair');
  });

  it('not when the other worker is busy too, nor for short tasks', () => {
    expect(findings(prefetchModel(2, 30).model, prefetchModel(2, 30).now, 'prefetch-starvation')).toEqual([]);
    const short = prefetchModel(0, 0.1);
    expect(findings(short.model, short.now, 'prefetch-starvation')).toEqual([]);
  });
});

describe('failure-spike and retry-spike', () => {
  it('jumped(): at least doubled, up 10 points, 3+ recent bad, 10+ outcomes before', () => {
    expect(jumped({ bad: 5, total: 10 }, { bad: 0, total: 50 })).toBe(true);
    expect(jumped({ bad: 2, total: 2 }, { bad: 0, total: 50 })).toBe(false); // too few recent
    expect(jumped({ bad: 5, total: 10 }, { bad: 0, total: 9 })).toBe(false); // no baseline
    expect(jumped({ bad: 5, total: 10 }, { bad: 15, total: 50 })).toBe(false); // 50% vs 30%: not doubled
    expect(jumped({ bad: 3, total: 100 }, { bad: 0, total: 100 })).toBe(false); // 3% vs 0%: under 10 points
  });

  /** 50 good runs over minutes 0.5–8.3, then 10 in the last minute of which `recentBad` fail or retry. */
  function spikeModel(
    recentBad: number,
    how: 'fail' | 'retry',
    baselineBad = 0,
  ): { model: Model; now: number } {
    const model = hintModel();
    for (let i = 0; i < 50; i += 1) {
      runTask(model, T0 + 30_000 + i * 9_400, `b${i}`, {
        name: 'app.x',
        worker: 'w@h',
        runtime: 0.1,
        failed: i < baselineBad,
      });
    }
    for (let i = 0; i < 10; i += 1) {
      const at = T0 + 545_000 + i * 5_000;
      const id = `r${i}`;
      if (i < recentBad && how === 'retry') {
        taskEvent(model, at, 'task-received', id, 'w@h', { name: 'app.x' });
        taskEvent(model, at, 'task-started', id, 'w@h');
        taskEvent(model, at, 'task-retried', id, 'w@h', { exception: "ConnectionError('down')" });
      } else runTask(model, at, id, { name: 'app.x', worker: 'w@h', runtime: 0.1, failed: i < recentBad });
    }
    return { model, now: T0 + 600_000 };
  }

  it('failures 0 of 50 before, 5 of 10 in the last minute: a spike with the latest exception', () => {
    const { model, now } = spikeModel(5, 'fail');
    const [f] = findings(model, now, 'failure-spike');
    expect(f).toMatchObject({ taskName: 'app.x', severity: 'warning' });
    expect(f!.evidence[0]).toBe('5 failed of 10 outcomes in the last minute (50%)');
    expect(f!.evidence).toContain("latest: ValueError('kaboom')");
  });

  it('no spike when the share is what it was (10% before, 10% now)', () => {
    const { model, now } = spikeModel(1, 'fail', 5);
    expect(findings(model, now, 'failure-spike')).toEqual([]);
  });

  it('retries 0 of 50 before, 6 of 10 now: a retry spike; 1 of 10 is not', () => {
    const { model, now } = spikeModel(6, 'retry');
    const [f] = findings(model, now, 'retry-spike');
    expect(f).toMatchObject({ taskName: 'app.x' });
    expect(f!.evidence[0]).toBe('6 retried of 10 outcomes in the last minute (60%)');
    const calm = spikeModel(1, 'retry');
    expect(findings(calm.model, calm.now, 'retry-spike')).toEqual([]);
  });
});

describe('saturated-growing', () => {
  function growingModel(busy: number): { model: Model; now: number } {
    const model = hintModel();
    addWorker(model, T0, 'w1@h', { poolMax: 2, queues: ['q'], busy });
    for (let t = 0; t <= 10; t += 1) sampleQueues(model, T0 + t * 1000, { q: 10 + 4 * t });
    heartbeat(model, T0 + 10_000, 'w1@h', busy);
    return { model, now: T0 + 10_000 };
  }

  it('a full pool while its queue grows: grow the pool (qtop pool … grow N)', () => {
    const { model, now } = growingModel(2);
    const [f] = findings(model, now, 'saturated-growing');
    expect(f).toMatchObject({ queue: 'q', worker: 'w1@h' });
    expect(f!.evidence).toContain('busy 2/2 slots');
    expect(f!.fix).toMatch(/^grow the pool: qtop pool w1@h grow \d+/);
  });

  it('not while the pool has a free slot', () => {
    const { model, now } = growingModel(1);
    expect(findings(model, now, 'saturated-growing')).toEqual([]);
  });

  it('not for a slope of one message on a queue whose hint needs no more slots', () => {
    // 1/s of 10 ms tasks on 2 slots: ADD 0; the backlog 0 → 1 is a positive slope all the same.
    const model = hintModel();
    addWorker(model, T0, 'w1@h', { poolMax: 2, queues: ['q'], busy: 2 });
    for (let t = 0; t <= 10; t += 1) sampleQueues(model, T0 + t * 1000, { q: t < 5 ? 0 : 1 });
    for (let i = 0; i < 10; i += 1)
      runTask(model, T0 + 500 + i * 1000, `k${i}`, {
        name: 'app.k',
        worker: 'w1@h',
        runtime: 0.01,
        sentQueue: 'q',
      });
    heartbeat(model, T0 + 10_000, 'w1@h', 2);
    const hint = selectHints(model, T0 + 10_000).queues[0]!;
    expect(hint.arrival.backlogSlopePerSec!).toBeGreaterThan(0);
    expect(hint.addSlots).toBe(0);
    expect(findings(model, T0 + 10_000, 'saturated-growing')).toEqual([]);
  });
});
