import { describe, expect, it } from 'vitest';
import type { CeleryEvent, WorkerEvent } from '../../src/celery/types.js';
import { createModel } from '../../src/store/create-model.js';
import { gapLossReading, lostBetween } from '../../src/store/gap-loss.js';
import type { Model } from '../../src/store/model.js';
import { reduce } from '../../src/store/reducer.js';
import { selectSources } from '../../src/store/select-meta.js';
import { taskEvent } from './task-fixtures.js';

// The gap-loss estimator against a simulated cluster whose every sent event is known: workers
// accept tasks, finish them and beat every 2 s; a cut drops what they send during the gap.

const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);

function heartbeat(hostname: string, t: number, processed: number, active: number, pid = 100): WorkerEvent {
  return {
    kind: 'worker',
    type: 'worker-heartbeat',
    hostname,
    timestamp: t,
    utcoffset: 0,
    pid,
    clock: null,
    freq: 2,
    active,
    processed,
    loadavg: null,
    swIdent: null,
    swVer: null,
    swSys: null,
  };
}

/** A worker that accepts `rate` tasks a second, each running `runSec`; events it sends, in order. */
function simulate(hosts: string[], seconds: number, rate: (host: string, sec: number) => number, runSec = 1) {
  const timeline: { t: number; event: CeleryEvent }[] = [];
  for (const host of hosts) {
    let processed = 0;
    const running: { id: string; until: number }[] = [];
    let n = 0;
    for (let ms = 0; ms <= seconds * 1000; ms += 100) {
      const t = T0 / 1000 + ms / 1000;
      for (let i = running.length - 1; i >= 0; i--) {
        const task = running[i]!;
        if (task.until > t) continue;
        running.splice(i, 1);
        timeline.push({
          t,
          event: taskEvent('task-succeeded', task.id, t, { hostname: host, runtime: runSec }),
        });
      }
      const accepted = Math.round(rate(host, Math.floor(ms / 1000)) / 10);
      for (let i = 0; i < accepted; i++) {
        const id = `${host}-${n++}`;
        timeline.push({
          t,
          event: taskEvent('task-sent', id, t, { hostname: 'gen1@producer', name: 'p.job' }),
        });
        timeline.push({ t, event: taskEvent('task-received', id, t, { hostname: host, name: 'p.job' }) });
        timeline.push({ t, event: taskEvent('task-started', id, t, { hostname: host }) });
        running.push({ id, until: t + runSec });
        processed += 1;
      }
      if (ms % 2000 === 0) timeline.push({ t, event: heartbeat(host, t, processed, running.length) });
    }
  }
  return timeline.sort((a, b) => a.t - b.t);
}

/** Feed the timeline, cut from `from` to `to` (s after T0); returns the model and the truth. */
function run(timeline: { t: number; event: CeleryEvent }[], cuts: [number, number][]) {
  const model = createModel(T0, { maxTasks: 100_000 });
  reduce(model, { type: 'source/recovered', at: T0, source: 'events' });
  let truth = 0;
  const open = new Set<number>();
  for (const { t, event } of timeline) {
    const at = Math.round(t * 1000);
    for (const [from, to] of cuts) {
      const fromAt = T0 + from * 1000;
      const toAt = T0 + to * 1000;
      if (at >= fromAt && !open.has(from) && at < toAt) {
        open.add(from);
        reduce(model, { type: 'source/failed', at: fromAt, source: 'events', reason: 'connection reset' });
      }
      if (at >= toAt && open.has(from)) {
        open.delete(from);
        reduce(model, { type: 'source/recovered', at: toAt, source: 'events' });
      }
    }
    if (open.size > 0) {
      if (event.kind === 'worker' || (event.kind === 'task' && event.type !== 'task-sent')) truth += 1;
      continue;
    }
    reduce(model, { type: 'events/received', at, events: [event], malformed: 0, bytes: 0 });
  }
  return { model, truth };
}

const eventsGaps = (model: Model) =>
  selectSources(model, T0 + 3_600_000).find((s) => s.source === 'events')!.gaps;

describe('eventsLost per gap', () => {
  it('counts exactly what busy workers sent during a cut', () => {
    const hosts = ['w1@a', 'w2@b', 'w3@c'];
    const timeline = simulate(hosts, 30, (host, sec) => (host === 'w2@b' ? 50 : 20 + (sec % 5) * 10));
    const { model, truth } = run(timeline, [[10.05, 13.05]]);
    expect(truth).toBeGreaterThan(300);
    const [gap] = eventsGaps(model);
    expect(gap).toMatchObject({ eventsLost: truth, eventsLostReason: null });
  });

  it('says 0 for a cut while nothing flowed, and sizes two gaps apart', () => {
    const timeline = simulate(['w1@a'], 40, (_h, sec) => (sec >= 10 && sec < 18 ? 0 : 30), 0.5);
    const quiet = run(timeline, [[12.05, 15.05]]);
    expect(eventsGaps(quiet.model)[0]?.eventsLost).toBe(quiet.truth);
    // heartbeats only: one heartbeat (at 14 s) was sent in the quiet cut
    expect(quiet.truth).toBe(1);
    const two = run(timeline, [
      [3.05, 5.05],
      [25.05, 30.05],
    ]);
    const gaps = eventsGaps(two.model);
    expect(gaps.map((g) => g.eventsLost)).toHaveLength(2);
    expect((gaps[0]?.eventsLost ?? 0) + (gaps[1]?.eventsLost ?? 0)).toBe(two.truth);
  });

  it('is null, with the reason, until every worker known before the gap has beaten since', () => {
    const timeline = simulate(['w1@a', 'w2@b'], 12, () => 20);
    // stop feeding before w2's first heartbeat after the gap
    const cutTimeline = timeline.filter(
      ({ t, event }) => !(event.hostname === 'w2@b' && t > T0 / 1000 + 5.5),
    );
    const { model } = run(cutTimeline, [[3.05, 5.05]]);
    expect(eventsGaps(model)[0]).toMatchObject({
      eventsLost: null,
      eventsLostReason: 'waiting for a heartbeat from w2@b',
    });
  });

  it('is null when no worker had beaten before the gap, or one restarted in it', () => {
    const model = createModel(T0);
    reduce(model, { type: 'source/recovered', at: T0, source: 'events' });
    reduce(model, { type: 'source/failed', at: T0 + 1000, source: 'events', reason: 'x' });
    expect(gapLossReading(model, T0 + 1000)?.eventsLostReason).toBe(
      'no worker heartbeat was seen before the gap',
    );

    const before = { processed: 500, active: 2, seen: 10, timestamp: 100, freq: 2, pid: 7 };
    expect(lostBetween(before, { ...before, processed: 3, seen: 12, timestamp: 104 })).toBeNull();
    expect(lostBetween(before, { ...before, pid: 8, processed: 510, seen: 12, timestamp: 104 })).toBeNull();
    // 10 accepted, 1 more active: 20 + 9 task events and 1 heartbeat between; 1 of them seen
    expect(lostBetween(before, { ...before, processed: 510, active: 3, seen: 12, timestamp: 104 })).toBe(29);
  });

  it('is absent on gaps of other sources', () => {
    const model = createModel(T0);
    reduce(model, { type: 'source/failed', at: T0, source: 'queues', reason: 'x' });
    const queues = selectSources(model, T0).find((s) => s.source === 'queues')!;
    expect(queues.gaps[0]).toEqual({ from: T0, to: null, reason: 'x' });
  });
});
