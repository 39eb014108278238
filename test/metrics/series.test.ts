import { describe, expect, it } from 'vitest';
import {
  createGaugeSeries,
  createRateSeries,
  gaugeAt,
  gaugeLast,
  gaugeRecord,
  gaugeSlope,
  gaugeValues,
  seriesAdd,
  seriesBuckets,
  seriesMarkGap,
  seriesRate,
} from '../../src/metrics/series.js';

/** 1 s buckets, 10 of them; events: bucket 0: 1, bucket 1: 2, bucket 2: 1, bucket 5: 4. */
function sample() {
  const s = createRateSeries(1000, 10);
  seriesAdd(s, 0);
  seriesAdd(s, 1500, 2);
  seriesAdd(s, 2999);
  seriesAdd(s, 5200, 4);
  return s;
}

describe('rate series', () => {
  it('computes the rate over whole buckets plus the elapsed part of the current one', () => {
    // Window (500, 5500] touches buckets 0..5: 1+2+1+0+0+4 = 8 events over 5 s + 0.5 s.
    expect(seriesRate(sample(), 5500, 5000)).toEqual({
      perSec: 8 / 5.5,
      count: 8,
      coveredMs: 5500,
      buckets: 6,
    });
  });

  it('counts the partial current bucket over its elapsed part only', () => {
    const s = createRateSeries(1000, 10);
    seriesAdd(s, 10_000, 2);
    seriesAdd(s, 10_200);
    // 3 events in the first 250 ms of bucket 10 read as 12/s, not 3/s.
    expect(seriesRate(s, 10_250, 250)).toEqual({ perSec: 12, count: 3, coveredMs: 250, buckets: 1 });
  });

  it('leaves gaps out of both count and time: a gap is unknown, not zero', () => {
    const s = sample();
    seriesMarkGap(s, 2100, 3100);
    // Buckets 2 and 3 are unknown: 1+2+0+4 = 7 events over 2 + 1 + 0.5 = 3.5 s.
    expect(seriesRate(s, 5500, 5000)).toEqual({ perSec: 2, count: 7, coveredMs: 3500, buckets: 4 });
    expect(seriesBuckets(s, 5500, 6)).toEqual([1, 2, null, null, 0, 4]);
  });

  it('answers null when every covered bucket is in a gap', () => {
    const s = createRateSeries(1000, 10);
    seriesMarkGap(s, 0, 9999);
    expect(seriesRate(s, 9999, 5000)).toEqual({ perSec: null, count: 0, coveredMs: 0, buckets: 0 });
  });

  it('keeps a bucket unknown when events arrive after the gap within it', () => {
    const s = createRateSeries(1000, 10);
    seriesMarkGap(s, 1000, 1400);
    seriesAdd(s, 1600, 5);
    expect(seriesBuckets(s, 2500, 3)).toEqual([0, null, 0]);
  });

  it('reads silence as zero and an empty window as null', () => {
    const s = createRateSeries(1000, 10);
    expect(seriesRate(s, 5000, 3000)).toEqual({ perSec: 0, count: 0, coveredMs: 3000, buckets: 3 });
    expect(seriesRate(s, 5000, 0).perSec).toBeNull();
  });

  it('wraps: a future time clears the skipped buckets and old times are dropped', () => {
    const s = createRateSeries(1000, 10);
    seriesAdd(s, 0, 5);
    seriesAdd(s, 12_000);
    seriesAdd(s, 1000, 7);
    // The ring now holds buckets 3..12; bucket 0 and the late add at 1 s are gone.
    expect(seriesRate(s, 12_500, 60_000)).toEqual({
      perSec: 1 / 9.5,
      count: 1,
      coveredMs: 9500,
      buckets: 10,
    });
    expect(seriesBuckets(s, 12_500, 11)).toEqual([null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('reuses a slot after exactly one lap without keeping its old count', () => {
    const s = createRateSeries(1000, 10);
    seriesAdd(s, 0, 5);
    seriesAdd(s, 10_000);
    expect(seriesBuckets(s, 10_500, 1)).toEqual([1]);
    expect(seriesRate(s, 10_500, 10_000).count).toBe(1);
  });

  it('ignores non-finite input', () => {
    const s = createRateSeries(1000, 10);
    seriesAdd(s, Number.NaN);
    seriesAdd(s, 1000, Number.POSITIVE_INFINITY);
    seriesMarkGap(s, 2000, 1000);
    expect(s.head).toBeNull();
    expect(seriesRate(s, 3000, 3000).count).toBe(0);
  });
});

describe('gauge series', () => {
  it('keeps the newest samples in a ring, oldest first', () => {
    const g = createGaugeSeries(3);
    expect(gaugeLast(g)).toBeNull();
    for (const [t, v] of [
      [1, 1],
      [2, 2],
      [3, null],
      [4, 4],
    ] as const)
      gaugeRecord(g, t, v);
    expect(gaugeValues(g, 10)).toEqual([2, null, 4]);
    expect(gaugeValues(g, 2)).toEqual([null, 4]);
    expect(gaugeAt(g, 0)).toEqual({ atMs: 2, value: 2 });
    expect(gaugeAt(g, -2)).toEqual({ atMs: 3, value: null });
    expect(gaugeAt(g, 3)).toBeNull();
    expect(gaugeLast(g)).toEqual({ atMs: 4, value: 4 });
  });

  it('fits a least-squares slope per second, ignoring nulls (worked example)', () => {
    const g = createGaugeSeries(10);
    const t0 = 1_795_524_200_000;
    gaugeRecord(g, t0 - 60_000, 1000); // outside the window
    gaugeRecord(g, t0, 10);
    gaugeRecord(g, t0 + 5_000, null);
    gaugeRecord(g, t0 + 10_000, 30);
    gaugeRecord(g, t0 + 20_000, 20);
    gaugeRecord(g, t0 + 30_000, 50);
    // t̄ = 15 s, v̄ = 27.5; Σdt·dv = 262.5 − 12.5 − 37.5 + 337.5 = 550; Σdt² = 500 → 1.1/s.
    const slope = gaugeSlope(g, t0 + 30_000, 30_000);
    expect(slope.samples).toBe(4);
    expect(slope.perSec).toBeCloseTo(1.1, 10);
  });

  it('has no slope with fewer than two samples or all at one time', () => {
    const g = createGaugeSeries(5);
    gaugeRecord(g, 1000, 3);
    expect(gaugeSlope(g, 1000, 5000)).toEqual({ perSec: null, samples: 1 });
    gaugeRecord(g, 1000, 5);
    expect(gaugeSlope(g, 1000, 5000)).toEqual({ perSec: null, samples: 2 });
  });
});
