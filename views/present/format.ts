/**
 * Pure presenters for numbers: durations, ages, rates, counts, sizes and sparklines, in the
 * short forms a 7-cell column can hold. Unknown (null) is '-', never 0: the store says null
 * when it does not know, and the screen must not turn that into a reassuring zero.
 * `formatAge` also tells age-watch.ts when the age it drew changes its text, so an idle
 * screen redraws only then.
 */

import { noteAge } from './age-watch.js';

/** Shown for a value that is not known. */
export const unknown = '-';

/** A duration in seconds: `850ms`, `2.35s`, `12.3s`, `4m05s`, `2h03m`, `3d04h`. */
export function formatDuration(sec: number | null): string {
  if (sec === null || !Number.isFinite(sec)) return unknown;
  if (sec < 0) return unknown;
  if (sec < 1) return `${Math.round(sec * 1000)}ms`;
  if (sec < 10) return `${sec.toFixed(2)}s`;
  if (sec < 60) return `${sec.toFixed(1)}s`;
  return formatLong(sec);
}

/** An age in seconds, whole units: `3s`, `59s`, `4m05s`, `2h03m`, `3d04h`. */
export function formatAge(sec: number | null): string {
  if (sec === null || !Number.isFinite(sec) || sec < 0) return unknown;
  noteAge(sec);
  if (sec < 60) return `${Math.floor(sec)}s`;
  return formatLong(sec);
}

function formatLong(sec: number): string {
  const two = (n: number) => String(Math.floor(n)).padStart(2, '0');
  if (sec < 3600) return `${Math.floor(sec / 60)}m${two(sec % 60)}s`;
  if (sec < 86_400) return `${Math.floor(sec / 3600)}h${two((sec % 3600) / 60)}m`;
  return `${Math.floor(sec / 86_400)}d${two((sec % 86_400) / 3600)}h`;
}

/** Events per second: `0`, `3.0/m` under 0.1/s, `4.2/s`, `120/s`, `1.2k/s`. */
export function formatRate(perSec: number | null): string {
  if (perSec === null || !Number.isFinite(perSec)) return unknown;
  if (perSec === 0) return '0';
  const abs = Math.abs(perSec);
  if (abs < 0.1) return `${(perSec * 60).toFixed(1)}/m`;
  if (abs < 10) return `${perSec.toFixed(1)}/s`;
  if (abs < 1000) return `${Math.round(perSec)}/s`;
  return `${(perSec / 1000).toFixed(1)}k/s`;
}

/** A signed backlog trend: `+2.0/s`, `-0.5/m`, `0`. */
export function formatTrend(perSec: number | null): string {
  const text = formatRate(perSec);
  return perSec !== null && perSec > 0 ? `+${text}` : text;
}

/** A count that fits 6 cells: `9999`, `12.3k`, `4.5M`. */
export function formatCount(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return unknown;
  if (Math.abs(n) < 10_000) return String(n);
  if (Math.abs(n) < 1_000_000) return `${(n / 1000).toFixed(1)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/** Bytes: `512B`, `1.5KiB`, `3.2MiB`. */
export function formatBytes(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return unknown;
  if (n < 1024) return `${n}B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)}KiB`;
  return `${(n / 1024 / 1024).toFixed(1)}MiB`;
}

/** A ratio as a percentage: `0.5%`, `12%`. */
export function formatPercent(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return unknown;
  const pct = ratio * 100;
  return pct > 0 && pct < 10 ? `${pct.toFixed(1)}%` : `${Math.round(pct)}%`;
}

/** Wall-clock time of an epoch-seconds timestamp, `HH:MM:SS.mmm` in the local zone. */
export function formatClock(epochSec: number | null): string {
  if (epochSec === null || !Number.isFinite(epochSec)) return unknown;
  const d = new Date(epochSec * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  const ms = String(d.getMilliseconds()).padStart(3, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${ms}`;
}

const blocks = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const asciiBlocks = ['_', '.', '-', '~', '=', '+', '*', '#'];

/**
 * The last `width` values as a sparkline scaled to their own maximum; null (a failed or missing
 * sample) is a blank, so a gap never looks like an empty queue. `ascii` for dumb terminals.
 */
export function sparkline(values: (number | null)[], width: number, ascii = false): string {
  if (width <= 0) return '';
  const tail = values.slice(-width);
  const glyphs = ascii ? asciiBlocks : blocks;
  let max = 0;
  for (const v of tail) if (v !== null && v > max) max = v;
  const line = tail
    .map((v) => {
      if (v === null) return ' ';
      if (max === 0 || v <= 0) return glyphs[0];
      return glyphs[Math.min(glyphs.length - 1, Math.round((v / max) * (glyphs.length - 1)))];
    })
    .join('');
  return line.padStart(width, ' ');
}
