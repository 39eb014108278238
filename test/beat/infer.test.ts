import { describe, expect, it } from 'vitest';
import { defaultInferenceRule, inferSchedule } from '../../src/beat/infer.js';

/** A seeded PRNG (mulberry32): the same series on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const t0 = 1_800_000_000;

function poisson(rnd: () => number, n: number, meanSec: number): number[] {
  const out: number[] = [];
  let t = t0;
  for (let i = 0; i < n; i += 1) {
    t += -Math.log(1 - rnd()) * meanSec;
    out.push(t);
  }
  return out;
}

/** Beat-like sends every `period` s, each late by up to `jitter` s (queueing, beat's own tick). */
function periodic(rnd: () => number, n: number, period: number, jitter: number, start = t0): number[] {
  return Array.from({ length: n }, (_, i) => start + i * period + rnd() * jitter);
}

describe('periodic inference', () => {
  it('never claims a schedule for Poisson arrivals (sliding windows, seeded)', () => {
    const rnd = prng(17);
    let windows = 0;
    for (const mean of [1.5, 10, 120]) {
      for (let s = 0; s < 10; s += 1) {
        const series = poisson(rnd, 300, mean);
        for (let end = 1; end <= series.length; end += 1) {
          windows += 1;
          const result = inferSchedule(series.slice(Math.max(0, end - 32), end));
          if (result.periodic) throw new Error(`Poisson(mean ${mean}) called ${result.pattern}`);
        }
      }
    }
    expect(windows).toBe(9000);
  });

  it('infers a jittered interval once it has the rule minimum of runs, not before', () => {
    const rnd = prng(5);
    for (const period of [1, 2, 5, 60, 3600]) {
      const series = periodic(rnd, 12, period, Math.min(0.2, period * 0.05));
      const early = inferSchedule(series.slice(0, defaultInferenceRule.minRuns - 1));
      expect(early).toMatchObject({ periodic: false, runs: 7 });
      const result = inferSchedule(series.slice(0, defaultInferenceRule.minRuns));
      expect(result).toMatchObject({ periodic: true, pattern: 'interval', runs: 8 });
      if (result.periodic) expect(Math.abs(result.periodSec - period)).toBeLessThan(0.2);
    }
  });

  it('keeps the run after a hiccup: the longest conforming suffix', () => {
    const rnd = prng(9);
    const series = [...periodic(rnd, 5, 2, 0.1), ...periodic(rnd, 10, 2, 0.1, t0 + 20)];
    const result = inferSchedule(series);
    expect(result).toMatchObject({ periodic: true, pattern: 'interval', runs: 10 });
    if (result.periodic) expect(result.nextAt).toBeCloseTo(series.at(-1)! + 2, 0);
  });

  it('infers cron-like runs on one phase of the hour', () => {
    // 9:00, 9:15, 9:30, 9:45, then 10:00 … as */15 9-10, plus the next day's 9:00.
    const day = Date.UTC(2026, 11, 7) / 1000;
    const times = [0, 15, 30, 45, 60, 75, 90, 105].map((m) => day + 9 * 3600 + m * 60 + 0.4);
    times.push(day + 86_400 + 9 * 3600 + 0.3);
    const result = inferSchedule(times);
    expect(result).toMatchObject({ periodic: true, pattern: 'cron-like', baseSec: 60, periodSec: 900 });
  });

  it('recognizes two beats sending the same schedule', () => {
    const rnd = prng(3);
    const a = periodic(rnd, 7, 10, 0.1);
    const b = periodic(rnd, 7, 10, 0.1, t0 + 3);
    const result = inferSchedule([...a, ...b]);
    expect(result).toMatchObject({ periodic: true, pattern: 'two-beats', runs: 14 });
    if (result.periodic && result.pattern === 'two-beats') {
      expect(result.periodSec).toBeCloseTo(10, 0);
      expect(result.offsetSec).toBeCloseTo(3, 0);
    }
  });

  it('says why there is no claim', () => {
    expect(inferSchedule([t0, t0 + 1])).toEqual({
      periodic: false,
      runs: 2,
      reason: '2 of the 8 runs the rule needs',
    });
    // Faster than once a second is a stream, not beat.
    const burst = Array.from({ length: 20 }, (_, i) => t0 + i * 0.1);
    expect(inferSchedule(burst).periodic).toBe(false);
  });
});
