/**
 * Two checks on the recent runs of one periodic task: sends closer together than its schedule
 * allows (two beat processes, each sending every entry: RedBeat's lock prevents it, the default
 * scheduler does not), and runs that keep failing. Pure; times are epoch seconds.
 */

/** Most recent runs these checks look at. */
export const recentRunWindow = 12;
/** Close pairs (and failed runs in a row) it takes to raise a finding: one could be a manual send. */
export const minCloseSends = 2;
export const minFailedRuns = 3;

/**
 * How many of the recent arrivals came less than half a period after the one before: each is a
 * send the schedule did not ask for. A run qtop itself started ("run now") is one such pair, which
 * is why a finding takes `minCloseSends`.
 */
export function closeSends(arrivals: number[], periodSec: number): number {
  if (!(periodSec > 0)) return 0;
  const t = [...arrivals].sort((a, b) => a - b).slice(-recentRunWindow);
  let close = 0;
  for (let i = 1; i < t.length; i += 1) if (t[i]! - t[i - 1]! < periodSec / 2) close += 1;
  return close;
}

/**
 * Failed runs in a row at the end of `states` (oldest first, one per run; null when qtop does not
 * know how the run ended, which neither breaks nor extends the streak), or 0.
 */
export function failedRunsInARow(states: (string | null)[]): number {
  let streak = 0;
  for (let i = states.length - 1; i >= 0; i -= 1) {
    const state = states[i];
    if (state === null || state === undefined) continue;
    if (state !== 'FAILURE') break;
    streak += 1;
  }
  return streak;
}
