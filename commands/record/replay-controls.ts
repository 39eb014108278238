/**
 * The Controls a replay screen is given: read-only with the replay reason, so the screen's
 * existing read-only path hides the write keys and refuses them with that reason. Unlike the
 * read-only `createControls` it holds no Redis connection at all: a replay runs without the
 * cluster (often long after it changed), so even ping, which reads, has nothing to ask.
 */
import type { ControlOutcome, Controls } from '../../src/control/controls.js';
import { outcome } from '../control/outcome.js';

/** Why nothing can be sent during a replay. */
export const replayReason = 'replay: control actions are disabled';

/** Controls that refuse every action with `replayReason`. */
export function replayControls(): Controls {
  const refuse = (): Promise<ControlOutcome> =>
    Promise.resolve(outcome('refused', `refused: ${replayReason}`));
  return {
    canWrite: false,
    readOnlyReason: replayReason,
    revoke: refuse,
    revokeStamped: refuse,
    runBeatEntry: refuse,
    setBeatEntryEnabled: refuse,
    retry: refuse,
    retryFailed: refuse,
    retryCall: () => Promise.resolve({ ok: false as const, summary: `refused: ${replayReason}` }),
    findBulk: () => refuse().then((outcome) => ({ outcome })),
    poolGrow: refuse,
    poolShrink: refuse,
    autoscale: refuse,
    rateLimit: refuse,
    timeLimit: refuse,
    addConsumer: refuse,
    cancelConsumer: refuse,
    pauseQueue: refuse,
    resumeQueue: refuse,
    pausedOn: () => [],
    setEvents: refuse,
    purgeQueue: refuse,
    deleteMessage: refuse,
    moveMessage: refuse,
    ping: refuse,
    shutdown: refuse,
  };
}
