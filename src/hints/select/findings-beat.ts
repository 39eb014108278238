/**
 * Beat findings: no beat running (the RedBeat lock is gone while enabled entries wait), a periodic
 * task late by more than its tolerance (src/beat/timing.ts), two beats sending the same schedule,
 * and a periodic task whose runs keep failing. They join the hints findings, `qtop check` and the
 * `beat.findings` of the snapshot.
 */
import {
  closeSends,
  failedRunsInARow,
  minCloseSends,
  minFailedRuns,
  recentRunWindow,
} from '../../beat/run-checks.js';
import { formatPeriod } from '../../beat/schedule-words.js';
import type { Model } from '../../store/model.js';
import type { BeatEntryRow, BeatView } from '../../store/select-beat.js';
import type { Finding } from '../maths/types.js';
import { finding } from './context.js';

const sec = (s: number) => formatPeriod(Math.max(0, Math.round(s)));

/** The "beat is down" finding, or null: the lock is gone while enabled RedBeat entries exist. */
export function beatDownFinding(view: BeatView): Finding | null {
  const lock = view.lock;
  const enabled = view.entries.filter((e) => e.source === 'redbeat' && e.enabled === true);
  if (!lock || lock.held || enabled.length === 0) return null;
  return finding({
    kind: 'beat-down',
    severity: 'critical',
    summary: `no beat is running: the RedBeat lock ${lock.key} is gone while ${enabled.length} enabled entries wait`,
    evidence: [
      `${lock.key} does not exist (a running beat re-extends it every tick; it is released on a clean stop and expires after redbeat_lock_timeout after a crash)`,
      lock.seenHeld
        ? 'qtop saw the lock held earlier in this run'
        : 'qtop has not seen the lock held in this run',
      `entries: ${enabled
        .map((e) => e.name)
        .slice(0, 5)
        .join(', ')}${enabled.length > 5 ? ', …' : ''}`,
    ],
    fix: 'start celery beat (with the RedBeat scheduler) and check its log; if RedBeat runs without a lock on purpose (redbeat_lock_key = None), tell qtop the lock check is off',
  });
}

function lateFinding(row: BeatEntryRow): Finding {
  const what = row.source === 'redbeat' ? `entry ${row.name}` : `${row.name} (inferred)`;
  return finding({
    kind: 'beat-late',
    // An exact schedule missed is an outage (`qtop check` exits 2); an inferred one may be a change.
    severity: row.source === 'redbeat' ? 'critical' : 'warning',
    taskName: row.task,
    summary: `${what} is ${sec(row.lagSec ?? 0)} past due (${row.schedule})`,
    evidence: [
      `due at ${row.nextDueAt}, tolerance ${sec(row.toleranceSec)}`,
      row.lastRunAt ? `last run ${row.lastRunAt}` : 'never ran',
    ],
    fix:
      row.source === 'redbeat'
        ? 'check that celery beat runs and is not stuck (its log, the RedBeat lock TTL) and that it reaches this Redis'
        : 'check that celery beat runs; if the task was stopped on purpose this clears once it leaves the arrival window',
    taskIds: row.lastResult ? [row.lastResult.taskId] : [],
  });
}

/** Every beat finding for the view; `model` gives the recent arrivals and their task states. */
export function beatFindings(model: Model, view: BeatView): Finding[] {
  const out: Finding[] = [];
  const down = beatDownFinding(view);
  if (down) out.push(down);
  for (const row of view.entries) {
    // While no beat runs, every entry is late: the down finding says it once.
    if (row.late && !(down && row.source === 'redbeat')) out.push(lateFinding(row));
    const arrivals = row.task ? model.beat.arrivals.get(row.task) : undefined;
    if (!arrivals || !row.task) continue;
    const ids = arrivals.ids.slice(-recentRunWindow);
    const close = row.periodSec === null ? 0 : closeSends(arrivals.times, row.periodSec);
    if (row.schedule.endsWith('x2 beats') || close >= minCloseSends) {
      out.push(
        finding({
          kind: 'beat-duplicate',
          severity: 'warning',
          taskName: row.task,
          summary: `${row.task} is sent more often than its schedule (${row.schedule}): two beat processes?`,
          evidence: [
            row.schedule.endsWith('x2 beats')
              ? `its arrivals form two interleaved series of period ${sec(row.periodSec ?? 0)}`
              : `${close} of the last ${ids.length} sends came less than half a period after the one before`,
          ],
          fix: 'run exactly one celery beat per schedule (with RedBeat, keep its lock on); stop the extra process',
          taskIds: ids,
        }),
      );
    }
    const states = ids.map((id) => model.tasks.get(id)?.state ?? null);
    const failed = failedRunsInARow(states);
    if (failed >= minFailedRuns) {
      out.push(
        finding({
          kind: 'beat-failing',
          severity: 'warning',
          taskName: row.task,
          summary: `periodic task ${row.task} failed its last ${failed} runs`,
          evidence: [`${failed} runs in a row ended in FAILURE (${row.schedule})`],
          fix: 'open one of the failed runs (Failures panel) for the traceback; beat keeps sending it on schedule',
          taskIds: ids.filter((_, i) => states[i] === 'FAILURE'),
        }),
      );
    }
  }
  return out;
}
