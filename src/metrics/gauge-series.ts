/**
 * A ring of gauge samples (time, value) as plain data: queue backlogs per poll, worker load
 * per heartbeat. A null value is a sample that failed: sparklines show it as a gap and the
 * slope ignores it, rather than reading a dip to zero.
 */

export interface GaugeSeries {
  capacity: number;
  /** Sample times (ms) and values, physical ring order; `next` is the slot written next. */
  times: number[];
  values: (number | null)[];
  next: number;
  size: number;
}

export interface GaugeSample {
  atMs: number;
  value: number | null;
}

export interface GaugeSlope {
  /** Least-squares change of the value per second; null with fewer than 2 usable samples. */
  perSec: number | null;
  /** Non-null samples inside the window. */
  samples: number;
}

/** An empty ring of at most `capacity` samples (at least 1). */
export function createGaugeSeries(capacity: number): GaugeSeries {
  return { capacity: Math.max(1, Math.floor(capacity)), times: [], values: [], next: 0, size: 0 };
}

/**
 * Append a sample; the oldest is overwritten once the ring is full. Callers record in time
 * order (each owner samples on one clock), which `gaugeSlope` relies on only for its window.
 */
export function gaugeRecord(g: GaugeSeries, atMs: number, value: number | null): void {
  const v = value === null || Number.isFinite(value) ? value : null;
  g.times[g.next] = atMs;
  g.values[g.next] = v;
  g.next = (g.next + 1) % g.capacity;
  g.size = Math.min(g.size + 1, g.capacity);
}

/**
 * The sample at logical index `idx`: 0 is the oldest, and negative indices count from the
 * newest (-1 is the latest), as with `Array.prototype.at`. Null when out of range.
 */
export function gaugeAt(g: GaugeSeries, idx: number): GaugeSample | null {
  const i = idx < 0 ? g.size + idx : idx;
  if (!Number.isInteger(i) || i < 0 || i >= g.size) return null;
  const start = g.size < g.capacity ? 0 : g.next;
  const slot = (start + i) % g.capacity;
  return { atMs: g.times[slot]!, value: g.values[slot] ?? null };
}

/** The newest sample (value null = a failed sample), or null when nothing was recorded. */
export function gaugeLast(g: GaugeSeries): GaugeSample | null {
  return gaugeAt(g, -1);
}

/** The values of the last `n` samples, oldest first (fewer when fewer were recorded). */
export function gaugeValues(g: GaugeSeries, n: number): (number | null)[] {
  const count = Math.min(Math.max(0, Math.floor(n)), g.size);
  const out: (number | null)[] = [];
  for (let i = g.size - count; i < g.size; i += 1) out.push(gaugeAt(g, i)!.value);
  return out;
}

/**
 * Least-squares slope of value over time for the non-null samples with time in
 * [nowMs − windowMs, nowMs], per second: a backlog's growth or drain rate that one noisy poll
 * cannot swing the way a first-to-last difference would.
 */
export function gaugeSlope(g: GaugeSeries, nowMs: number, windowMs: number): GaugeSlope {
  const ts: number[] = [];
  const vs: number[] = [];
  for (let i = 0; i < g.size; i += 1) {
    const sample = gaugeAt(g, i)!;
    if (sample.value === null || sample.atMs < nowMs - windowMs || sample.atMs > nowMs) continue;
    ts.push(sample.atMs / 1000);
    vs.push(sample.value);
  }
  const n = ts.length;
  if (n < 2) return { perSec: null, samples: n };
  // Centre on the means: epoch seconds squared would lose precision in the sums.
  const meanT = ts.reduce((a, b) => a + b, 0) / n;
  const meanV = vs.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i += 1) {
    const dt = ts[i]! - meanT;
    num += dt * (vs[i]! - meanV);
    den += dt * dt;
  }
  return { perSec: den > 0 ? num / den : null, samples: n };
}
