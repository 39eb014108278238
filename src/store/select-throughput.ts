/**
 * Cluster throughput for the overview: succeeded, failed and retried per second, summed over
 * every task name, as a series of the last 15 minutes and as the current rate (last minute).
 * Time before qtop started, and event outages, are unknown (null), never zero.
 */
import { seriesBuckets } from '../metrics/series.js';
import type { Model } from './model.js';
import { eventRateWindow, rateIn } from './rate-window.js';

/** How far back the throughput series reaches. */
export const throughputSpanMs = 15 * 60_000;
/** Window of the current rates. */
export const throughputNowMs = 60_000;

/** Per-second rates by outcome; null when unknown. */
export interface Rates {
  succeeded: number | null;
  failed: number | null;
  retried: number | null;
}

export interface Throughput {
  /** Width of one bucket of the series, ms. */
  bucketMs: number;
  /** Per bucket, oldest first, events per second; null = unknown (before qtop, or a gap). */
  succeeded: (number | null)[];
  failed: (number | null)[];
  retried: (number | null)[];
  /** Over the last minute. */
  current: Rates;
}

/** Adds `b` into `a` bucket by bucket; a bucket is known when any task name knows it. */
function addInto(a: (number | null)[], b: (number | null)[]): void {
  for (let i = 0; i < a.length; i += 1) {
    const v = b[i] ?? null;
    if (v !== null) a[i] = (a[i] ?? 0) + v;
  }
}

/** The throughput series and current rates at `now` (ms). */
export function selectThroughput(model: Model, now: number): Throughput {
  const bucketMs = model.config.rateBucketMs;
  const n = Math.min(model.config.rateBuckets, Math.ceil(throughputSpanMs / bucketMs));
  const listening = model.sources.events.lastOkAt !== null;
  const empty = () => new Array<number | null>(n).fill(listening ? 0 : null);
  const finished = empty();
  const failed = empty();
  const retried = empty();
  for (const stats of model.taskNames.values()) {
    addInto(finished, seriesBuckets(stats.finishedRate, now, n));
    addInto(failed, seriesBuckets(stats.failedRate, now, n));
    addInto(retried, seriesBuckets(stats.retriedRate, now, n));
  }
  // Buckets that ended before qtop started hold no observation: unknown, not quiet.
  const firstBucket = Math.floor(now / bucketMs) - n + 1;
  const startBucket = Math.floor(model.startedAt / bucketMs);
  const perSec = (series: (number | null)[]) =>
    series.map((v, i) => (v === null || firstBucket + i < startBucket ? null : v / (bucketMs / 1000)));
  const succeeded = finished.map((v, i) => (v === null ? null : v - (failed[i] ?? 0)));
  const window = eventRateWindow(model, now, throughputNowMs);
  let fin: number | null = null;
  let bad: number | null = null;
  let again: number | null = null;
  for (const stats of model.taskNames.values()) {
    const f = rateIn(stats.finishedRate, window);
    const x = rateIn(stats.failedRate, window);
    const r = rateIn(stats.retriedRate, window);
    if (f !== null) fin = (fin ?? 0) + f;
    if (x !== null) bad = (bad ?? 0) + x;
    if (r !== null) again = (again ?? 0) + r;
  }
  const known = window !== null;
  const current: Rates = {
    succeeded: known ? Math.max(0, (fin ?? 0) - (bad ?? 0)) : null,
    failed: known ? (bad ?? 0) : null,
    retried: known ? (again ?? 0) : null,
  };
  return {
    bucketMs,
    succeeded: perSec(succeeded),
    failed: perSec(failed),
    retried: perSec(retried),
    current,
  };
}
