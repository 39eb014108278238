/**
 * On time or late: the one rule every beat finding, the check and the lag metric use. A run is
 * late when it comes (or has not come) more than a tolerance after it was due; the tolerance grows
 * with the period, since beat itself sleeps up to `beat_max_interval` and a daily task ten seconds
 * late is on time while a 2-second one is not.
 */

/** Defaults for the lateness rule. */
export interface BeatTiming {
  /** Smallest tolerance, seconds. */
  lateToleranceSec: number;
  /** Tolerance as a share of the period, when that is larger. */
  lateTolerancePeriodShare: number;
}

export const defaultBeatTiming: Readonly<BeatTiming> = Object.freeze({
  lateToleranceSec: 10,
  lateTolerancePeriodShare: 0.1,
});

/** The tolerance for an entry of period `periodSec` (unknown period: the minimum). */
export function lateToleranceSec(periodSec: number | null, timing: BeatTiming = defaultBeatTiming): number {
  const share = periodSec === null ? 0 : periodSec * timing.lateTolerancePeriodShare;
  return Math.max(timing.lateToleranceSec, share);
}

/** Seconds past due at `nowMs` (0 when not yet due); null when the due time is unknown. */
export function lagSec(dueAtMs: number | null, nowMs: number): number | null {
  if (dueAtMs === null) return null;
  return Math.max(0, (nowMs - dueAtMs) / 1000);
}

/** Whether an entry due at `dueAtMs` is late at `nowMs`. */
export function isLate(
  dueAtMs: number | null,
  nowMs: number,
  periodSec: number | null,
  timing: BeatTiming = defaultBeatTiming,
): boolean {
  const lag = lagSec(dueAtMs, nowMs);
  return lag !== null && lag > lateToleranceSec(periodSec, timing);
}

/**
 * Whether a run sent at `ranAtMs` was on time for the due time qtop saw before it (`dueAtMs`, the
 * schedule's score before the run); null when qtop did not see the due time.
 */
export function ranOnTime(
  dueAtMs: number | null,
  ranAtMs: number,
  periodSec: number | null,
  timing: BeatTiming = defaultBeatTiming,
): boolean | null {
  if (dueAtMs === null) return null;
  return (ranAtMs - dueAtMs) / 1000 <= lateToleranceSec(periodSec, timing);
}
