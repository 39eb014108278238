/**
 * Per task name rows: outcome counts, failure rate, throughput and runtime/wait percentiles.
 * Built from TaskNameStats, which outlive evicted tasks, so the numbers cover everything qtop
 * has seen (and old results it scanned), not only the tasks still held.
 */
import { sketchSummary } from '../metrics/quantile-sketch.js';
import { seriesBuckets, seriesRate } from '../metrics/series.js';
import type { Model } from './model.js';

/** Window of `ratePerSec`. */
export const taskNameRateWindowMs = 60_000;
/** Buckets in `runtimeTrend`. */
export const taskNameTrendBuckets = 20;

export interface TaskNameRow {
  name: string;
  /** Finished runs: succeeded + failed (a revoked task never ran to an outcome). */
  count: number;
  received: number;
  succeeded: number;
  failed: number;
  /** failed / count; null before anything finished. */
  failureRate: number | null;
  retried: number;
  revoked: number;
  /** Finished per second over the last minute of live observations; null when no time is covered. */
  ratePerSec: number | null;
  /** Seconds; null without samples. */
  runtime: { p50: number; p90: number; p99: number; max: number; mean: number } | null;
  wait: { p50: number; p90: number; p99: number; max: number } | null;
  /**
   * Finished per bucket (`config.rateBucketMs`) for the last 20 buckets, oldest first; null
   * marks a bucket with no data (a gap). For a sparkline next to the runtime numbers.
   */
  runtimeTrend: (number | null)[];
}

/** One row per task name, most finished first, then by name. `now` is the clock in ms. */
export function selectTaskNames(model: Model, now: number): TaskNameRow[] {
  const rows: TaskNameRow[] = [];
  for (const s of model.taskNames.values()) {
    const count = s.succeeded + s.failed;
    const runtime = sketchSummary(s.runtime);
    const wait = sketchSummary(s.wait);
    rows.push({
      name: s.name,
      count,
      received: s.received,
      succeeded: s.succeeded,
      failed: s.failed,
      failureRate: count > 0 ? s.failed / count : null,
      retried: s.retried,
      revoked: s.revoked,
      ratePerSec: seriesRate(s.finishedRate, now, taskNameRateWindowMs).perSec,
      runtime: runtime && {
        p50: runtime.p50,
        p90: runtime.p90,
        p99: runtime.p99,
        max: runtime.max,
        mean: runtime.mean,
      },
      wait: wait && { p50: wait.p50, p90: wait.p90, p99: wait.p99, max: wait.max },
      runtimeTrend: seriesBuckets(s.finishedRate, now, taskNameTrendBuckets),
    });
  }
  return rows.sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
