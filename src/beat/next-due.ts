/**
 * When a RedBeat entry is really due. RedBeat's schedule score is `due_at` floored to whole
 * seconds and computed as `last_run_at + remaining_estimate(last_run_at)`, where the remaining
 * time is taken a moment after `last_run_at`: so the score is the due time less that moment,
 * floored (measured: a crontab due at :00 scores :59). Beat itself sends at the schedule's exact
 * time, so qtop recomputes it where it can: last run + period for intervals, the next fire after
 * the last run for crontabs (UTC). When the recomputed time strays from the score by more than
 * `agreeMs` (an app `timezone` other than UTC, a changed schedule) the score wins.
 */
import { nextCronFire } from './crontab.js';
import type { BeatSchedule } from './types.js';

export const agreeMs = 1_500;

/** The due time (epoch ms) of an entry with `schedule`, last run `lastRunAt`, score `scoreMs`. */
export function redbeatNextDue(
  schedule: BeatSchedule,
  lastRunAt: number | null,
  scoreMs: number | null,
): number | null {
  if (scoreMs === null) return null;
  if (schedule.kind === 'interval') {
    // Never run: beat sends it on its next tick, which is what the score (setup time) says.
    if (lastRunAt === null) return scoreMs;
    const due = lastRunAt + schedule.everySec * 1000;
    return Math.abs(due - scoreMs) <= agreeMs ? due : scoreMs;
  }
  if (schedule.kind === 'crontab') {
    // Never run: the score is when the entry was saved ("due now"), but a crontab waits for its time.
    if (lastRunAt === null) return nextCronFire(schedule, scoreMs - 1) ?? scoreMs;
    const due = nextCronFire(schedule, lastRunAt);
    return due !== null && Math.abs(due - scoreMs) <= agreeMs ? due : scoreMs;
  }
  return scoreMs;
}
