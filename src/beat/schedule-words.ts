/**
 * A schedule in words for the Beat panel and JSON (`every 5s`, `cron 0 3 * * *`), and its period
 * in seconds where it has one. Cron fields print in cron's order (minute hour day-of-month month
 * day-of-week), not in Celery's argument order.
 */
import { cronPeriodSec } from './crontab.js';
import type { BeatSchedule } from './types.js';

const RRULE_FREQS = ['yearly', 'monthly', 'weekly', 'daily', 'hourly', 'minutely', 'secondly'];
const RRULE_SEC = [365 * 86_400, 30 * 86_400, 7 * 86_400, 86_400, 3_600, 60, 1];

/** `5s`, `1m30s`, `2h`, `1d4h`: compact, exact to the second (sub-second periods keep decimals). */
export function formatPeriod(sec: number): string {
  if (sec < 60 && !Number.isInteger(sec)) return `${Number(sec.toFixed(3))}s`;
  let rest = Math.round(sec);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.join('') || '0s';
}

/** The schedule in words: `every 5s`, `cron 0 3 * * *`, `solar sunrise (52.5, 13.4)`. */
export function scheduleWords(schedule: BeatSchedule): string {
  switch (schedule.kind) {
    case 'interval':
      return `every ${formatPeriod(schedule.everySec)}${schedule.relative ? ' (relative)' : ''}`;
    case 'crontab':
      return `cron ${schedule.minute} ${schedule.hour} ${schedule.dayOfMonth} ${schedule.monthOfYear} ${schedule.dayOfWeek}`;
    case 'solar':
      return `solar ${schedule.event} (${schedule.lat}, ${schedule.lon})`;
    case 'rrule':
      return `rrule ${RRULE_FREQS[schedule.freq] ?? `freq ${schedule.freq}`}${schedule.interval > 1 ? ` every ${schedule.interval}` : ''}`;
    case 'unknown':
      return `unknown (${schedule.reason})`;
  }
}

/**
 * Seconds between runs: exact for intervals and rrules, the gap between the next two fires for a
 * crontab (from `nowMs`), null for solar and unknown schedules (no fixed period).
 */
export function schedulePeriodSec(schedule: BeatSchedule, nowMs: number): number | null {
  switch (schedule.kind) {
    case 'interval':
      return schedule.everySec;
    case 'crontab':
      return cronPeriodSec(schedule, nowMs);
    case 'rrule': {
      const unit = RRULE_SEC[schedule.freq];
      return unit === undefined ? null : unit * Math.max(1, schedule.interval);
    }
    default:
      return null;
  }
}
