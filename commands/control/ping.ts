/**
 * `ping`: which workers answer their mailbox right now (wire doc 7.3: `{"ok": "pong"}`). Read-only in
 * effect (the round's reply binding is removed again), so it is allowed in `--read-only` mode.
 */
import type { ControlOutcome, Destination } from '../../src/control/controls.js';
import type { ControlRuntime } from './runtime.js';
import { sendCommand } from './runtime.js';

/** Ping `destination` (default every worker); workers in the pidbox set that stay silent make it partial. */
export function ping(rt: ControlRuntime, destination: Destination = 'all'): Promise<ControlOutcome> {
  return sendCommand(rt, destination, { method: 'ping' }, (target) => `pong from ${target}`);
}
