/**
 * Per-task-name limits on workers: `rate_limit` and `time_limit` (wire doc 7.3). A task name no
 * worker has registered gets `{"error": "unknown task"}` from every worker, which is reported as
 * not found rather than as a worker failure.
 */
import type { ControlOutcome, Destination } from '../../src/control/controls.js';
import { outcome } from './outcome.js';
import { type ControlRuntime, sendCommand } from './runtime.js';

/** Celery's rate syntax (`celery.utils.time.rate`): a number of tasks per second, or per s, m or h. */
const RATE = /^\d+(\.\d+)?(\/[smh])?$/;
const UNKNOWN_TASK = /unknown task/i;

/** Set (or with `rate` null, remove) the rate limit of `taskName` on `destination` (default every worker). */
export function rateLimit(
  rt: ControlRuntime,
  taskName: string,
  rate: string | null,
  destination: Destination = 'all',
): Promise<ControlOutcome> {
  const refused = rt.refuseWrite();
  if (refused) return Promise.resolve(refused);
  if (!taskName) return Promise.resolve(outcome('refused', 'refused: a task name is required'));
  if (rate !== null && !RATE.test(rate)) {
    return Promise.resolve(outcome('refused', `refused: rate '${rate}' is not like 10/m, 5/s, 100/h or 2`));
  }
  return sendCommand(
    rt,
    destination,
    { method: 'rate_limit', arguments: { task_name: taskName, rate_limit: rate } },
    (target) => `rate limit of ${taskName} ${rate === null ? 'removed' : `set to ${rate}`} on ${target}`,
    UNKNOWN_TASK,
  );
}

/** Set the soft and hard time limits (seconds, null for none) of `taskName`. */
export function timeLimit(
  rt: ControlRuntime,
  taskName: string,
  soft: number | null,
  hard: number | null,
  destination: Destination = 'all',
): Promise<ControlOutcome> {
  const refused = rt.refuseWrite();
  if (refused) return Promise.resolve(refused);
  if (!taskName) return Promise.resolve(outcome('refused', 'refused: a task name is required'));
  const bad = [soft, hard].some((v) => v !== null && !(Number.isFinite(v) && v > 0));
  if (bad || (soft !== null && hard !== null && soft > hard)) {
    return Promise.resolve(outcome('refused', 'refused: time limits are seconds > 0 with SOFT <= HARD'));
  }
  return sendCommand(
    rt,
    destination,
    { method: 'time_limit', arguments: { task_name: taskName, soft, hard } },
    (target) =>
      `time limits of ${taskName} set to soft=${soft ?? 'none'} hard=${hard ?? 'none'} on ${target}`,
    UNKNOWN_TASK,
  );
}
