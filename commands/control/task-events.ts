/**
 * Task events on or off (`enable_events` / `disable_events`, wire doc 6.1 and 7.3). A worker started
 * without `-E` sends only worker events; after `enable_events` it sends task events too, which is
 * what lets qtop show task states live. Worker events (heartbeats) are unaffected either way.
 */
import type { ControlOutcome, Destination } from '../../src/control/controls.js';
import { type ControlRuntime, sendCommand } from './runtime.js';

/** Turn task events on (`enabled`) or off on `destination` (default every worker). */
export function setEvents(
  rt: ControlRuntime,
  enabled: boolean,
  destination: Destination = 'all',
): Promise<ControlOutcome> {
  const refused = rt.refuseWrite();
  if (refused) return Promise.resolve(refused);
  return sendCommand(
    rt,
    destination,
    { method: enabled ? 'enable_events' : 'disable_events' },
    (target) => `task events ${enabled ? 'enabled' : 'disabled'} on ${target}`,
  );
}
