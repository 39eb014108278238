/**
 * Time series as plain data: event-count rates in a ring of fixed-width time buckets, and a
 * ring of gauge samples. Both are mutated in place by their owner (the store), and read
 * without mutation by selectors, which pass the time explicitly: nothing here reads a clock.
 *
 * A rate bucket is either a count or unknown. Buckets start at a known zero: the owner records
 * every event it sees, so a bucket with no events is a real zero. Only `seriesMarkGap` makes a
 * bucket unknown, for time when the source that feeds the series was down (a failed sample is
 * a gap, not a zero).
 */

export interface RateSeries {
  bucketMs: number;
  /** Ring of per-bucket counts; bucket number b lives in slot b mod length. */
  counts: number[];
  /** Per slot: false when the bucket lies in a gap. */
  known: boolean[];
  /** Bucket number (floor(ms / bucketMs)) of the newest bucket; null before the first write. */
  head: number | null;
}

export interface RateReading {
  /** Events per second over the known covered time; null when no known time is covered. */
  perSec: number | null;
  /** Events in the known covered buckets. */
  count: number;
  /** Known time covered (ms): whole buckets, the current one only up to `nowMs`. */
  coveredMs: number;
  /** Known buckets that contributed. */
  buckets: number;
}

/** An empty rate series of `buckets` buckets of `bucketMs` each (both at least 1). */
export function createRateSeries(bucketMs: number, buckets: number): RateSeries {
  const size = Math.max(1, Math.floor(buckets));
  return {
    bucketMs: Math.max(1, bucketMs),
    counts: new Array<number>(size).fill(0),
    known: new Array<boolean>(size).fill(true),
    head: null,
  };
}

function bucketOf(s: RateSeries, ms: number): number {
  return Math.floor(ms / s.bucketMs);
}

function slotOf(s: RateSeries, bucket: number): number {
  const n = s.counts.length;
  return ((bucket % n) + n) % n;
}

/** Move the head forward to `bucket`, clearing the buckets it passes (they become known 0). */
function advance(s: RateSeries, bucket: number): void {
  if (s.head !== null && bucket <= s.head) return;
  const from = s.head === null ? bucket : s.head + 1;
  const steps = Math.min(bucket - from + 1, s.counts.length);
  for (let k = 0; k < steps; k += 1) {
    const slot = slotOf(s, bucket - k);
    s.counts[slot] = 0;
    s.known[slot] = true;
  }
  s.head = bucket;
}

/**
 * Count `n` events at `atMs`. A time past the head advances the ring (skipped buckets become
 * zeros); a time older than the ring is dropped, since its bucket has been reused.
 */
export function seriesAdd(s: RateSeries, atMs: number, n = 1): void {
  if (!Number.isFinite(atMs) || !Number.isFinite(n)) return;
  const bucket = bucketOf(s, atMs);
  advance(s, bucket);
  if (bucket <= s.head! - s.counts.length) return;
  s.counts[slotOf(s, bucket)]! += n;
}

/**
 * Flag every bucket that overlaps [fromMs, toMs] as unknown. A bucket partly in the gap is
 * wholly unknown: its count is missing events, so it would read low.
 */
export function seriesMarkGap(s: RateSeries, fromMs: number, toMs: number): void {
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || toMs < fromMs) return;
  const last = bucketOf(s, toMs);
  advance(s, last);
  const first = Math.max(bucketOf(s, fromMs), s.head! - s.counts.length + 1);
  for (let b = first; b <= last; b += 1) s.known[slotOf(s, b)] = false;
}

/** Count of bucket `b`, or null when it is unknown or its slot has been reused. */
function bucketCount(s: RateSeries, b: number): number | null {
  if (s.head === null || b > s.head) return 0;
  if (b <= s.head - s.counts.length) return null;
  const slot = slotOf(s, b);
  return s.known[slot] ? s.counts[slot]! : null;
}

/**
 * The event rate over the buckets that overlap (nowMs − windowMs, nowMs], counted in whole
 * buckets (so the covered time can exceed `windowMs` by up to one bucket) and limited to the
 * ring. Unknown buckets are left out of both the count and the time, so a gap lowers the
 * confidence, not the rate. The current bucket counts only its elapsed part.
 */
export function seriesRate(s: RateSeries, nowMs: number, windowMs: number): RateReading {
  const reading: RateReading = { perSec: null, count: 0, coveredMs: 0, buckets: 0 };
  if (!Number.isFinite(nowMs) || !Number.isFinite(windowMs) || windowMs <= 0) return reading;
  // The window is (now − window, now]: a bucket that starts exactly at `nowMs` covers none of it.
  const last = Math.ceil(nowMs / s.bucketMs) - 1;
  const first = Math.max(bucketOf(s, nowMs - windowMs), last - s.counts.length + 1);
  for (let b = first; b <= last; b += 1) {
    const count = bucketCount(s, b);
    if (count === null) continue;
    const start = b * s.bucketMs;
    reading.count += count;
    reading.coveredMs += Math.min(start + s.bucketMs, nowMs) - start;
    reading.buckets += 1;
  }
  if (reading.coveredMs > 0) reading.perSec = reading.count / (reading.coveredMs / 1000);
  return reading;
}

/** The counts of the last `n` buckets up to `nowMs`, oldest first; null marks a gap. */
export function seriesBuckets(s: RateSeries, nowMs: number, n: number): (number | null)[] {
  const out: (number | null)[] = [];
  if (!Number.isFinite(nowMs)) return out;
  const nowBucket = bucketOf(s, nowMs);
  for (let b = nowBucket - Math.max(0, Math.floor(n)) + 1; b <= nowBucket; b += 1)
    out.push(bucketCount(s, b));
  return out;
}

// Gauge rings live in their own module; re-exported so the model imports one series module.
export {
  createGaugeSeries,
  type GaugeSample,
  type GaugeSeries,
  type GaugeSlope,
  gaugeAt,
  gaugeLast,
  gaugeRecord,
  gaugeSlope,
  gaugeValues,
} from './gauge-series.js';
