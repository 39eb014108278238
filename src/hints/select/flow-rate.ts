/**
 * Event rates over an exact stretch of time. `seriesRate` counts whole 5 s buckets, which is
 * right for a panel but biased low for hints right after qtop starts: the first bucket's time
 * before qtop listened holds no events yet counts as covered. Here the covered time starts at
 * the later of the first bucket and the moment qtop began listening, so a 10 s collection
 * gives a 10 s rate, not one diluted over 15 s.
 */
import { type RateSeries, seriesBuckets } from '../../metrics/series.js';
import type { Model } from '../../store/model.js';

/** A stretch of qtop time (ms) whose event counts can be trusted as complete. */
export interface FlowWindow {
  fromMs: number;
  toMs: number;
  /** When qtop began listening: no events exist before it. */
  listenFromMs: number;
}

export interface FlowReading {
  perSec: number | null;
  count: number;
  /** Known time covered, s. */
  sec: number;
}

/**
 * The last `windowSec` up to `now`, clipped to qtop's lifetime; null while the event source
 * has never worked or is down now (rates are then unknown, not zero).
 */
export function flowWindow(model: Model, now: number, windowSec: number): FlowWindow | null {
  const events = model.sources.events;
  if (events.lastOkAt === null) return null;
  const open = events.gaps.at(-1);
  if (open && open.to === null) return null;
  const fromMs = Math.max(now - windowSec * 1000, model.startedAt);
  return fromMs < now ? { fromMs, toMs: now, listenFromMs: model.startedAt } : null;
}

/** Seconds the window spans. */
export function windowSec(window: FlowWindow | null): number {
  return window === null ? 0 : (window.toMs - window.fromMs) / 1000;
}

/**
 * Events per second of `series` in `window`, counted in whole buckets from the one holding
 * `fromMs` to the one holding `toMs`. Buckets in a gap are left out of count and time alike.
 * A window starting on a bucket boundary shares no bucket with one ending there.
 */
export function flowRate(series: RateSeries, window: FlowWindow | null): FlowReading {
  const reading: FlowReading = { perSec: null, count: 0, sec: 0 };
  if (window === null || window.toMs <= window.fromMs) return reading;
  const size = series.bucketMs;
  const first = Math.floor(window.fromMs / size);
  const last = Math.ceil(window.toMs / size) - 1;
  if (last < first) return reading;
  const counts = seriesBuckets(series, (last + 1) * size - 1, last - first + 1);
  const start = Math.max(first * size, window.listenFromMs);
  let ms = 0;
  counts.forEach((count, i) => {
    if (count === null) return;
    const bucketStart = (first + i) * size;
    reading.count += count;
    ms += Math.max(0, Math.min(bucketStart + size, window.toMs) - Math.max(bucketStart, start));
  });
  reading.sec = ms / 1000;
  if (ms > 0) reading.perSec = reading.count / reading.sec;
  return reading;
}
