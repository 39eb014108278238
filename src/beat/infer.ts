/**
 * Which task names are periodic, from arrival times alone: what qtop can say about a beat whose
 * schedule is not in Redis (the default file-based scheduler). The rule, in docs/beat.md too:
 *
 * - **interval**: the last `minRuns` or more arrivals (deduplicated by task id) are spaced by the
 *   same interval: every gap within `max(minToleranceSec, toleranceShare × median gap)` of the
 *   median gap, and the median at least `minPeriodSec` less that tolerance (faster is a stream, not beat).
 * - **cron-like**: otherwise, the last `minRuns` or more arrivals fall on one phase of the minute,
 *   hour or day (within `phaseToleranceSec`), at least one base apart: `*\/15 9-17 * * *`.
 * - **two beats**: the arrivals alternate between two interleaved series, each an interval series
 *   of the same period, `minRuns + 4` arrivals in all: a second beat process started at
 *   another moment (the finding "duplicate sends").
 *
 * Fewer arrivals than `minRuns` (8) never make a claim. Poisson arrivals fail the rule: with 6
 * runs (5 gaps) one sliding window in 100,000 passed; with 8 runs none of 500,000 did, at mean gaps
 * of 1.5 s and 10 s (seeded series; test/beat/infer.test.ts keeps a smaller run of it), and the
 * cron-like rule needs 8 arrivals on one 2-second phase. Pure; times are epoch seconds.
 */

export interface InferenceRule {
  minRuns: number;
  minPeriodSec: number;
  minToleranceSec: number;
  toleranceShare: number;
  phaseToleranceSec: number;
}

export const defaultInferenceRule: Readonly<InferenceRule> = Object.freeze({
  minRuns: 8,
  minPeriodSec: 1,
  minToleranceSec: 0.25,
  toleranceShare: 0.1,
  phaseToleranceSec: 2,
});

export type Inference =
  | { periodic: true; pattern: 'interval'; periodSec: number; runs: number; lastAt: number; nextAt: number }
  | {
      periodic: true;
      pattern: 'cron-like';
      /** 60, 3600 or 86400: arrivals share one phase of this base. */
      baseSec: number;
      /** The shortest and longest gaps seen: the next run is expected between these after the last. */
      periodSec: number;
      maxGapSec: number;
      runs: number;
      lastAt: number;
      nextAt: number;
    }
  | {
      periodic: true;
      pattern: 'two-beats';
      periodSec: number;
      /** Seconds from one beat's send to the other's. */
      offsetSec: number;
      runs: number;
      lastAt: number;
      nextAt: number;
    }
  | { periodic: false; runs: number; reason: string };

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const gapsOf = (t: number[]): number[] => t.slice(1).map((v, i) => v - t[i]!);

/** The interval of `times` when every gap is within tolerance of the median, else null. */
function stableInterval(times: number[], rule: InferenceRule): number | null {
  const gaps = gapsOf(times);
  if (gaps.length === 0) return null;
  const m = median(gaps);
  const tol = Math.max(rule.minToleranceSec, rule.toleranceShare * m);
  // Within tolerance of the minimum counts: a 1 s beat's median gap is as often 0.999 s as 1.001 s.
  if (m + tol < rule.minPeriodSec) return null;
  return gaps.every((g) => Math.abs(g - m) <= tol) ? m : null;
}

/** The longest suffix (at least `min` long) of `times` that `test` accepts, with its result. */
function longestSuffix<T>(times: number[], min: number, test: (t: number[]) => T | null) {
  for (let n = times.length; n >= min; n -= 1) {
    const suffix = times.slice(times.length - n);
    const value = test(suffix);
    if (value !== null) return { value, runs: n };
  }
  return null;
}

function cronLike(times: number[], rule: InferenceRule): { base: number } | null {
  for (const base of [86_400, 3_600, 60]) {
    const ref = times[times.length - 1]! % base;
    const offPhase = (t: number) => {
      const d = Math.abs((t % base) - ref);
      return Math.min(d, base - d);
    };
    if (!times.every((t) => offPhase(t) <= rule.phaseToleranceSec)) continue;
    if (gapsOf(times).every((g) => g >= base - rule.phaseToleranceSec)) return { base };
  }
  return null;
}

/**
 * The inference for one task name's arrival times (epoch seconds, any order, one per task id).
 * See the file comment for the rule.
 */
export function inferSchedule(arrivals: number[], rule: InferenceRule = defaultInferenceRule): Inference {
  const times = [...arrivals].sort((a, b) => a - b);
  const runs = times.length;
  if (runs < rule.minRuns)
    return { periodic: false, runs, reason: `${runs} of the ${rule.minRuns} runs the rule needs` };
  const lastAt = times[runs - 1]!;

  const interval = longestSuffix(times, rule.minRuns, (t) => stableInterval(t, rule));
  if (interval) {
    const periodSec = interval.value;
    return {
      periodic: true,
      pattern: 'interval',
      periodSec,
      runs: interval.runs,
      lastAt,
      nextAt: lastAt + periodSec,
    };
  }

  const pairs = longestSuffix(times, rule.minRuns + 4, (t) => {
    const a = t.filter((_, i) => i % 2 === 0);
    const b = t.filter((_, i) => i % 2 === 1);
    const pa = stableInterval(a, rule);
    const pb = stableInterval(b, rule);
    if (pa === null || pb === null) return null;
    const tol = Math.max(rule.minToleranceSec, rule.toleranceShare * pa);
    if (Math.abs(pa - pb) > tol) return null;
    const offset = median(b.map((v, i) => v - a[i]!));
    // Two beats half a period apart look like one beat at half the period: that is the interval rule.
    return offset > tol && offset < pa - tol ? { period: (pa + pb) / 2, offset } : null;
  });
  if (pairs) {
    const { period, offset } = pairs.value;
    const prev = times[runs - 2]!;
    return {
      periodic: true,
      pattern: 'two-beats',
      periodSec: period,
      offsetSec: offset,
      runs: pairs.runs,
      lastAt,
      nextAt: prev + period,
    };
  }

  const cron = longestSuffix(times, rule.minRuns, (t) => cronLike(t, rule));
  if (cron) {
    const gaps = gapsOf(times.slice(runs - cron.runs));
    const periodSec = Math.min(...gaps);
    return {
      periodic: true,
      pattern: 'cron-like',
      baseSec: cron.value.base,
      periodSec,
      maxGapSec: Math.max(...gaps),
      runs: cron.runs,
      lastAt,
      nextAt: lastAt + periodSec,
    };
  }
  return { periodic: false, runs, reason: 'no stable interval or cron-like phase in the arrivals' };
}
