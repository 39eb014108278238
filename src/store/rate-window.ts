/**
 * The time over which event-fed rates (queue in/out, task-name finished/failed) can be read.
 * Rate series treat a bucket without events as a real zero; that is true only while qtop was
 * subscribed. Time before qtop started is clipped off here, and closed outages are already
 * flagged in the series by the health domain.
 */
import { type RateSeries, seriesRate } from '../metrics/series.js';
import type { Model } from './model.js';

export interface RateWindow {
  endMs: number;
  windowMs: number;
}

/**
 * The last `windowMs` up to `now`, clipped to qtop's lifetime; null while the event source has
 * never worked or is down right now (the rate is unknown, not zero).
 */
export function eventRateWindow(model: Model, now: number, windowMs: number): RateWindow | null {
  const events = model.sources.events;
  if (events.lastOkAt === null) return null;
  const open = events.gaps.at(-1);
  if (open && open.to === null) return null;
  const span = Math.min(windowMs, now - model.startedAt);
  return span > 0 ? { endMs: now, windowMs: span } : null;
}

/** Events per second of `series` over `window`; null when the window or its data is unknown. */
export function rateIn(series: RateSeries, window: RateWindow | null): number | null {
  return window === null ? null : seriesRate(series, window.endMs, window.windowMs).perSec;
}
