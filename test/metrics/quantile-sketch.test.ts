import { describe, expect, it } from 'vitest';
import {
  createSketch,
  type Sketch,
  sketchAdd,
  sketchCount,
  sketchMean,
  sketchMerge,
  sketchQuantile,
  sketchSummary,
} from '../../src/metrics/quantile-sketch.js';

/** Deterministic uniform [0, 1) (mulberry32), so a failure reproduces. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(next: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

const qs = [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999];

function sketchOf(values: number[]): Sketch {
  const s = createSketch();
  for (const v of values) sketchAdd(s, v);
  return s;
}

/** Relative error of the sketch against the exact value at rank floor(q × (n − 1)). */
function worstError(values: number[]): number {
  const s = sketchOf(values);
  const sorted = [...values].sort((a, b) => a - b);
  let worst = 0;
  for (const q of qs) {
    const exact = sorted[Math.floor(q * (sorted.length - 1))]!;
    worst = Math.max(worst, Math.abs(sketchQuantile(s, q)! - exact) / exact);
  }
  return worst;
}

describe('quantile sketch accuracy', () => {
  const next = rng(42);
  const n = 50_000;
  it.each([
    ['uniform', () => 1 + next() * 999],
    ['exponential', () => -Math.log(1 - next())],
    ['lognormal', () => Math.exp(2 * normal(next))],
  ])('%s: every quantile within 1%% of the exact one', (_name, draw) => {
    const values = Array.from({ length: n }, draw);
    expect(worstError(values)).toBeLessThanOrEqual(0.01 + 1e-12);
  });

  it('is exact at q = 0 and q = 1, and counts, sums and means exactly', () => {
    const s = sketchOf([3, 1, 4, 1, 5, 9, 2, 6]);
    expect(sketchQuantile(s, 0)).toBe(1);
    expect(sketchQuantile(s, 1)).toBe(9);
    expect(sketchCount(s)).toBe(8);
    expect(sketchMean(s)).toBe(31 / 8);
  });
});

describe('quantile sketch edges', () => {
  it('answers null for an empty sketch', () => {
    const s = createSketch();
    expect(sketchQuantile(s, 0.5)).toBeNull();
    expect(sketchMean(s)).toBeNull();
    expect(sketchSummary(s)).toBeNull();
    expect(sketchCount(s)).toBe(0);
  });

  it('keeps zeros and tiny values in the zero bucket', () => {
    const s = sketchOf([0, 0, 1e-12, 5, 5]);
    expect(s.zeroCount).toBe(3);
    expect(s.bins.reduce((a, b) => a + b, 0)).toBe(2);
    expect(sketchQuantile(s, 0.5)).toBe(0);
    expect(sketchQuantile(s, 0.99)).toBe(5);
  });

  it('clamps negative values (clock skew) to 0 and ignores NaN and infinities', () => {
    const s = createSketch();
    sketchAdd(s, -0.25);
    sketchAdd(s, Number.NaN);
    sketchAdd(s, Number.POSITIVE_INFINITY);
    sketchAdd(s, 2, 0);
    expect(sketchCount(s)).toBe(1);
    expect(s.min).toBe(0);
    expect(sketchMean(s)).toBe(0);
  });

  it('adds with a count as if repeated', () => {
    const a = createSketch();
    sketchAdd(a, 7, 3);
    expect(a).toEqual(sketchOf([7, 7, 7]));
  });

  it('summarises count, mean, p50/p90/p99, min and max', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i + 1);
    const summary = sketchSummary(sketchOf(values))!;
    expect(summary.count).toBe(1000);
    expect(summary.mean).toBe(500.5);
    expect(summary.min).toBe(1);
    expect(summary.max).toBe(1000);
    expect(Math.abs(summary.p50 - 500) / 500).toBeLessThanOrEqual(0.01);
    expect(Math.abs(summary.p90 - 900) / 900).toBeLessThanOrEqual(0.01);
    expect(Math.abs(summary.p99 - 990) / 990).toBeLessThanOrEqual(0.01);
  });

  it('is plain data that survives a JSON round trip', () => {
    const s = sketchOf([0, 0.5, 2, 30]);
    const copy = JSON.parse(JSON.stringify(s)) as Sketch;
    sketchAdd(copy, 4);
    sketchAdd(s, 4);
    expect(copy).toEqual(s);
  });
});

describe('quantile sketch merge and bounds', () => {
  it('merging two sketches equals adding everything to one', () => {
    const next = rng(7);
    const left = Array.from({ length: 5000 }, () => Math.exp(3 * normal(next)));
    const right = [0, ...Array.from({ length: 5000 }, () => 1e3 * next())];
    const merged = sketchOf(left);
    sketchMerge(merged, sketchOf(right));
    const all = sketchOf([...left, ...right]);
    expect({ ...merged, sum: 0 }).toEqual({ ...all, sum: 0 });
    expect(merged.sum).toBeCloseTo(all.sum, 6);
    for (const q of qs) expect(sketchQuantile(merged, q)).toBe(sketchQuantile(all, q));
  });

  it('merges sketches of different accuracy approximately, keeping exact totals', () => {
    const fine = sketchOf([1, 2, 3]);
    const coarse = createSketch(0.05);
    for (const v of [10, 20, 30]) sketchAdd(coarse, v);
    sketchMerge(fine, coarse);
    expect(sketchCount(fine)).toBe(6);
    expect(sketchMean(fine)).toBe(11);
    expect(sketchQuantile(fine, 1)).toBe(30);
    expect(Math.abs(sketchQuantile(fine, 0.8)! - 20) / 20).toBeLessThanOrEqual(0.06);
  });

  it('stays within maxBuckets under 10^6 wildly ranged values, keeping high quantiles accurate', () => {
    const next = rng(99);
    const s = createSketch();
    const sample: number[] = [];
    for (let i = 0; i < 1_000_000; i += 1) {
      const v = 10 ** (-9 + next() * 300);
      sketchAdd(s, v);
      if (i % 100 === 0) sample.push(v);
    }
    expect(s.bins.length).toBeLessThanOrEqual(2048);
    expect(sketchCount(s)).toBe(1_000_000);
    // Only the lowest buckets fold, so the top of the distribution keeps its 1% bound.
    const p99 = sketchQuantile(s, 0.99)!;
    expect(Math.log10(p99)).toBeGreaterThan(285);
    expect(Math.log10(p99)).toBeLessThan(290);
  });

  it('folds the lowest buckets first when the cap is reached', () => {
    const s = createSketch(0.01, 16);
    for (const v of [1, 2, 4, 8, 1000]) sketchAdd(s, v);
    expect(s.bins.length).toBeLessThanOrEqual(16);
    expect(sketchQuantile(s, 1)).toBe(1000);
    expect(sketchCount(s)).toBe(5);
    // The four small values folded into the lowest kept bucket, 15 buckets under 1000:
    // 1000 / γ^15 ≈ 742 with γ = 1.01 / 0.99.
    expect(sketchQuantile(s, 0.5)!).toBeCloseTo(742.6, 0);
  });
});
