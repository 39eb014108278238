/**
 * A bounded, mergeable quantile sketch (DDSketch style) held as plain data, so the model that
 * owns it stays JSON-friendly and cheap to snapshot.
 *
 * Guarantee: while no buckets have been collapsed, `sketchQuantile(s, q)` is within a relative
 * error of `relativeAccuracy` (1% by default) of the exact value at rank `floor(q × (n − 1))` of
 * the sorted input. A positive value v lands in bucket i = ceil(log_γ v) with γ = (1+α)/(1−α),
 * and the bucket answers 2γ^i/(γ+1), which is within α of every value in (γ^(i−1), γ^i].
 * The span is capped at `maxBuckets`; past it the lowest buckets fold into one, so only low
 * quantiles lose accuracy (runtimes care about the high ones). With α = 1% and 2048 buckets,
 * values spanning a factor of about 6 × 10^17 fit before anything folds. Count, sum, min and
 * max are exact.
 */

/** Values below this count as zero: the log scale cannot index 0, and 1e-9 s is noise. */
const zeroThreshold = 1e-9;

export interface Sketch {
  relativeAccuracy: number;
  /** Derived from `relativeAccuracy`; stored so adds need no recomputation. */
  gamma: number;
  lnGamma: number;
  maxBuckets: number;
  /** Bucket index of `bins[0]`; `bins` is dense from there on. */
  offset: number;
  bins: number[];
  /** Values in [0, zeroThreshold): zeros, tiny values, and clamped negatives. */
  zeroCount: number;
  count: number;
  sum: number;
  /** Exact extremes; null when empty. */
  min: number | null;
  max: number | null;
}

export type SketchSummary = Record<'count' | 'mean' | 'p50' | 'p90' | 'p99' | 'max' | 'min', number>;

/** An empty sketch; α and the bucket cap are fixed for its life (merges need equal α). */
export function createSketch(relativeAccuracy = 0.01, maxBuckets = 2048): Sketch {
  const alpha = Math.min(Math.max(relativeAccuracy, 1e-6), 0.5);
  const gamma = (1 + alpha) / (1 - alpha);
  return {
    relativeAccuracy: alpha,
    gamma,
    lnGamma: Math.log(gamma),
    maxBuckets: Math.max(1, Math.floor(maxBuckets)),
    offset: 0,
    bins: [],
    zeroCount: 0,
    count: 0,
    sum: 0,
    min: null,
    max: null,
  };
}

/**
 * Add `value` `count` times (mutates). NaN, infinities and non-positive counts are ignored.
 * A negative value is clamped to 0: runtimes and waits come from two clocks (sender and
 * worker), and a negative one is clock skew, not a real duration.
 */
export function sketchAdd(s: Sketch, value: number, count = 1): void {
  if (!Number.isFinite(value) || !Number.isFinite(count) || count <= 0) return;
  const v = value < 0 ? 0 : value;
  s.count += count;
  s.sum += v * count;
  s.min = s.min === null ? v : Math.min(s.min, v);
  s.max = s.max === null ? v : Math.max(s.max, v);
  if (v < zeroThreshold) s.zeroCount += count;
  else addToBin(s, Math.ceil(Math.log(v) / s.lnGamma), count);
}

function addToBin(s: Sketch, index: number, count: number): void {
  if (s.bins.length === 0) {
    s.offset = index;
    s.bins.push(count);
    return;
  }
  const top = s.offset + s.bins.length - 1;
  if (index > top) {
    foldBelow(s, index - s.maxBuckets + 1);
    while (s.offset + s.bins.length <= index) s.bins.push(0);
    s.bins[index - s.offset]! += count;
    return;
  }
  // Below the span: grow downwards, but never past the cap (then fold into the lowest kept).
  const lowest = Math.max(index, top - s.maxBuckets + 1);
  if (lowest < s.offset) {
    s.bins.unshift(...new Array<number>(s.offset - lowest).fill(0));
    s.offset = lowest;
  }
  s.bins[Math.max(index, s.offset) - s.offset]! += count;
}

/** Fold every bucket below index `floor` into bucket `floor`, so the span can move up. */
function foldBelow(s: Sketch, floor: number): void {
  if (floor <= s.offset) return;
  const cut = Math.min(floor - s.offset, s.bins.length);
  let folded = 0;
  for (let i = 0; i < cut; i += 1) folded += s.bins[i]!;
  s.bins.splice(0, cut);
  if (s.bins.length === 0) s.bins.push(0);
  s.offset = floor;
  s.bins[0]! += folded;
}

function binValue(s: Sketch, index: number): number {
  return (2 * s.gamma ** index) / (s.gamma + 1);
}

/**
 * The estimated q-quantile (0 ≤ q ≤ 1, clamped) at rank floor(q × (n − 1)); null when empty.
 * The answer is clamped to the exact [min, max], so q = 0 and q = 1 are exact.
 */
export function sketchQuantile(s: Sketch, q: number): number | null {
  if (s.count === 0 || s.min === null || s.max === null || Number.isNaN(q)) return null;
  const qq = Math.min(Math.max(q, 0), 1);
  if (qq === 0) return s.min;
  if (qq === 1) return s.max;
  const rank = Math.floor(qq * (s.count - 1));
  let seen = s.zeroCount;
  if (rank < seen) return s.min;
  let estimate = s.max;
  for (let i = 0; i < s.bins.length; i += 1) {
    seen += s.bins[i]!;
    if (rank < seen) {
      estimate = binValue(s, s.offset + i);
      break;
    }
  }
  return Math.min(Math.max(estimate, s.min), s.max);
}

/** How many values were added (exact). */
export function sketchCount(s: Sketch): number {
  return s.count;
}

/** The exact mean; null when empty. */
export function sketchMean(s: Sketch): number | null {
  return s.count === 0 ? null : s.sum / s.count;
}

/**
 * Add everything in `from` to `into` (mutates `into` only). With equal accuracy the result is
 * exactly the sketch of both inputs; with different accuracies each bucket of `from` is
 * re-added at its representative value, so `from`'s error adds to `into`'s.
 */
export function sketchMerge(into: Sketch, from: Sketch): void {
  if (from.count === 0 || from.min === null || from.max === null) return;
  if (into.gamma !== from.gamma) {
    mergeByValue(into, from);
    return;
  }
  into.count += from.count;
  into.sum += from.sum;
  into.min = into.min === null ? from.min : Math.min(into.min, from.min);
  into.max = into.max === null ? from.max : Math.max(into.max, from.max);
  into.zeroCount += from.zeroCount;
  // Highest first, so the span grows upwards before low buckets fold under the cap.
  for (let i = from.bins.length - 1; i >= 0; i -= 1) {
    const n = from.bins[i]!;
    if (n > 0) addToBin(into, from.offset + i, n);
  }
}

function mergeByValue(into: Sketch, from: Sketch): void {
  // Keep the totals and extremes exact even though the buckets are approximated.
  const count = into.count + from.count;
  const sum = into.sum + from.sum;
  const min = Math.min(into.min ?? Number.POSITIVE_INFINITY, from.min ?? Number.POSITIVE_INFINITY);
  const max = Math.max(into.max ?? Number.NEGATIVE_INFINITY, from.max ?? Number.NEGATIVE_INFINITY);
  if (from.zeroCount > 0) sketchAdd(into, 0, from.zeroCount);
  for (let i = 0; i < from.bins.length; i += 1) {
    const n = from.bins[i]!;
    if (n > 0) sketchAdd(into, binValue(from, from.offset + i), n);
  }
  into.count = count;
  into.sum = sum;
  into.min = min;
  into.max = max;
}

/** Count, exact mean/min/max and the p50/p90/p99 estimates; null when empty. */
export function sketchSummary(s: Sketch): SketchSummary | null {
  if (s.count === 0 || s.min === null || s.max === null) return null;
  return {
    count: s.count,
    mean: s.sum / s.count,
    p50: sketchQuantile(s, 0.5)!,
    p90: sketchQuantile(s, 0.9)!,
    p99: sketchQuantile(s, 0.99)!,
    max: s.max,
    min: s.min,
  };
}
