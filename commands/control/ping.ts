/**
 * `ping`: which workers answer their mailbox right now (wire doc 7.3: `{"ok": "pong"}`). Read-only in
 * effect (the round's reply binding is removed again), so it is allowed in `--read-only` mode. A
 * worker answering in pickle counts as a reply; a silent worker that still sends heartbeats refuses
 * JSON, and the outcome names the setting to change (`accept_content`).
 */
import type { ControlOutcome, Destination } from '../../src/control/controls.js';
import { acceptContentFix, heardAlive } from './heard-alive.js';
import { outcome } from './outcome.js';
import type { ControlRuntime } from './runtime.js';
import { sendCommand } from './runtime.js';

/** Ping `destination` (default every worker); workers in the pidbox set that stay silent make it partial. */
export async function ping(rt: ControlRuntime, destination: Destination = 'all'): Promise<ControlOutcome> {
  const result = await sendCommand(rt, destination, { method: 'ping' }, (target) => `pong from ${target}`);
  const silent = result.replies.filter((r) => r.status === 'no-reply');
  if (result.kind !== 'partial' || silent.length === 0) return result;
  const alive = new Set(
    await heardAlive(
      rt,
      silent.map((r) => r.node),
    ),
  );
  if (alive.size === 0) return result;
  const replies = result.replies.map((r) => (alive.has(r.node) ? { ...r, message: acceptContentFix } : r));
  const names = [...alive].join(', ');
  return outcome(
    'partial',
    `${result.summary}; ${names} ${alive.size === 1 ? 'is alive but refuses' : 'are alive but refuse'} qtop's JSON requests: ` +
      "add 'json' to accept_content (e.g. accept_content=['pickle', 'json'])",
    replies,
    result.details,
  );
}
