/**
 * Forecast words an on-call engineer reads at a glance ("clears in ~35 m", "will not drain
 * (growing 12/s)"), and the small number formats they use. Pure strings, no colour, so the
 * CLI, the JSON and the TUI say the same thing.
 */
import type { ForecastKind } from './types.js';

/** "~45 s", "~35 m", "~2.5 h", "~3 d": rounded, because the inputs are estimates. */
export function formatDuration(sec: number): string {
  if (!Number.isFinite(sec)) return '∞';
  const s = Math.max(0, sec);
  if (s < 90) return `~${Math.max(1, Math.round(s))} s`;
  if (s < 90 * 60) return `~${Math.round(s / 60)} m`;
  const h = s / 3600;
  if (h < 48) return `~${h < 10 ? Math.round(h * 10) / 10 : Math.round(h)} h`;
  return `~${Math.round(h / 24)} d`;
}

/** A configured span, exactly as one would type it: "1h", "5m", "30s", "2.5s". */
export function formatSetting(sec: number): string {
  if (sec >= 3600 && sec % 3600 === 0) return `${sec / 3600}h`;
  if (sec >= 60 && sec % 60 === 0) return `${sec / 60}m`;
  return `${Number(sec.toPrecision(6))}s`;
}

/** A per-second rate with sensible precision: "12/s", "1.5/s", "0.25/s". */
export function formatRate(perSec: number): string {
  const r = Math.abs(perSec);
  if (r >= 10) return `${Math.round(perSec)}/s`;
  if (r >= 1) return `${Math.round(perSec * 10) / 10}/s`;
  return `${Number(perSec.toPrecision(2))}/s`;
}

/** "1 sample", "3 samples". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** What the queue-hint step found, reduced to what the words need. */
export type ForecastInput =
  | { kind: 'insufficient'; detail: string }
  | { kind: 'stalled'; reason: string }
  | { kind: 'idle' }
  | { kind: 'keeping-up'; utilization: number | null }
  | { kind: 'draining'; drainSec: number }
  | { kind: 'growing'; growthPerSec: number };

/** The forecast line for one queue. */
export function forecastText(input: ForecastInput): { kind: ForecastKind; text: string } {
  switch (input.kind) {
    case 'insufficient':
      return { kind: input.kind, text: `not enough data yet (${input.detail})` };
    case 'stalled':
      return { kind: input.kind, text: `stalled (${input.reason})` };
    case 'idle':
      return { kind: input.kind, text: 'idle' };
    case 'keeping-up': {
      const load = input.utilization === null ? '' : ` (${Math.round(input.utilization * 100)}% busy)`;
      return { kind: input.kind, text: `keeping up${load}` };
    }
    case 'draining':
      return { kind: input.kind, text: `clears in ${formatDuration(input.drainSec)}` };
    case 'growing':
      // Saturated and steady: throughput-based capacity equals arrivals exactly.
      if (input.growthPerSec < 0.01)
        return { kind: input.kind, text: 'will not drain (arrivals match capacity)' };
      return { kind: input.kind, text: `will not drain (growing ${formatRate(input.growthPerSec)})` };
  }
}
