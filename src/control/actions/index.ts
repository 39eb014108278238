/**
 * Every control action, in the order the help and the docs list them: the one table the keymap,
 * the CLI and the command log read (src/control/action.ts says what a record holds).
 */
import type { AnyAction } from '../action.js';
import { beatRunNow, beatToggle } from './beat.js';
import { bulkTasks } from './bulk.js';
import { hintApply } from './hints.js';
import { messageDelete, messageMove, purge, queuePause, queueResume } from './queues.js';
import { editRetry } from './retry-edit.js';
import { revokeStamped } from './stamps.js';
import { rateLimit, retry, retryFailed, revoke, terminate, timeLimit } from './tasks.js';
import {
  autoscale,
  consumerAdd,
  consumerCancel,
  eventsOff,
  eventsOn,
  ping,
  poolGrow,
  poolShrink,
  shutdown,
} from './workers.js';

/** The records, type-erased for lookup by id. */
export const controlActions: readonly AnyAction[] = [
  eventsOn,
  eventsOff,
  purge,
  queuePause,
  queueResume,
  consumerAdd,
  consumerCancel,
  messageDelete,
  messageMove,
  poolGrow,
  poolShrink,
  autoscale,
  shutdown,
  ping,
  revoke,
  terminate,
  revokeStamped,
  retry,
  rateLimit,
  timeLimit,
  retryFailed,
  editRetry,
  bulkTasks,
  hintApply,
  beatRunNow,
  beatToggle,
];

const byId = new Map(controlActions.map((a) => [a.id, a]));

/** The record of `id`; throws for an unknown id (a programming error, not an operator's). */
export function actionById(id: string): AnyAction {
  const action = byId.get(id);
  if (!action) throw new Error(`unknown control action ${id}`);
  return action;
}
