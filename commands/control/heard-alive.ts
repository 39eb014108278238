/**
 * Why a worker stays silent in a control round. A worker whose `accept_content` lacks json refuses
 * qtop's JSON request (kombu logs `ContentDisallowed` at CRITICAL and sends nothing back, measured on
 * Celery 5.2.6 and 5.6.3), which looks exactly like a dead worker from the pidbox. Heartbeats tell them
 * apart: worker events use event_serializer (JSON by default), not accept_content, and come every 2 s, so
 * a silent node heard beating is alive and refusing. Only run after a round had silent nodes.
 */

import { decodeEventMessage } from '../../src/celery/events.js';
import { eventChannelPattern } from '../../src/celery/names.js';
import type { ControlRuntime } from './runtime.js';

/** Celery's default heartbeat interval is 2 s; one beat plus slack. */
const LISTEN_MS = 2_500;

/** The nodes among `silent` that sent any event within `LISTEN_MS` (never throws; [] on failure). */
export async function heardAlive(rt: ControlRuntime, silent: string[]): Promise<string[]> {
  if (silent.length === 0) return [];
  const want = new Set(silent);
  const heard = new Set<string>();
  const sub = rt.ctx.broker.duplicate({
    connectionName: 'qtop-control-heartbeats',
    enableOfflineQueue: true,
  });
  sub.on('error', () => {});
  try {
    sub.on('pmessage', (_pattern: string, _channel: string, message: string) => {
      const batch = decodeEventMessage(message);
      if (!batch.ok) return;
      for (const event of batch.value.events) if (want.has(event.hostname)) heard.add(event.hostname);
    });
    await sub.psubscribe(eventChannelPattern(rt.ctx.wire));
    const end = rt.ctx.clock.now() + LISTEN_MS;
    while (heard.size < want.size && rt.ctx.clock.now() < end && !rt.ctx.signal?.aborted) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } catch {
    // A failed listen only loses the diagnosis; the round's own outcome stands.
  } finally {
    sub.disconnect();
  }
  return silent.filter((node) => heard.has(node));
}

/** The fix named when workers are alive but never answer qtop. */
export const acceptContentFix =
  "alive (heartbeats heard) but refuses qtop's JSON requests: add 'json' to the worker's accept_content";
