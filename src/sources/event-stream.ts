import type { Redis } from 'ioredis';
import type { Clock } from '../base/clock.js';
import { decodeEventMessage } from '../celery/events.js';
import { eventChannelPattern } from '../celery/names.js';
import type { WireOptions } from '../celery/options.js';
import type { Action } from '../store/actions.js';
import { type CutoffProbe, eventGapReason } from './pubsub-cutoff.js';

/** A running event subscription; `stop()` unsubscribes and detaches every listener. */
export interface EventStream {
  stop(): Promise<void>;
}

/**
 * Receive Celery events: one `PSUBSCRIBE {prefix}/{db}.celeryev/*` on `subscriber` (wire doc 6.1: no
 * binding or queue is needed, and events are never stored, so only what is published while
 * subscribed is seen). Each PUBLISH becomes one `events/received` (a single event or a `task.multi`
 * batch) or, when undecodable, one `events/malformed`; the stream goes on either way.
 *
 * Throughput: the Buffer variant gives the byte count without re-encoding and the payload is turned
 * into a string once, for the decoder; there is no timer or other allocation per message.
 * `subscriber` may carry other patterns (the result source's); messages of other patterns are ignored.
 *
 * Health: `source/recovered` once the first PSUBSCRIBE is confirmed. A dropped connection
 * (`close`, `reconnecting`, `end`) dispatches `source/failed` once per outage. On the next `ready`,
 * ioredis has already queued its own PSUBSCRIBE of the remembered pattern (autoResubscribe, exactly one
 * command per pattern), so we do not subscribe again; a PING queued behind it (allowed in subscriber
 * mode, answered in order) tells when the subscription is back, and only then `source/recovered` is
 * dispatched. With `autoResubscribe: false` the stream resubscribes itself instead.
 *
 * Events are never stored, so everything published between the drop and the resubscription is lost.
 * After each recovery a `source/gap-explained` says so with both times and, when `probe` can read the
 * server's counters, whether Redis cut the subscriber off for falling behind (pubsub-cutoff.ts).
 */
export async function startEventStream(
  subscriber: Redis,
  opts: WireOptions,
  onAction: (action: Action) => void,
  clock: Clock,
  probe?: CutoffProbe,
): Promise<EventStream> {
  const pattern = eventChannelPattern(opts);
  let healthy = false;
  let stopped = false;
  /** When the current outage began; null while subscribed. */
  let lostAt: number | null = null;

  const onMessage = (from: string, _channel: Buffer, message: Buffer) => {
    if (from !== pattern) return;
    const bytes = message.length;
    const decoded = decodeEventMessage(message.toString('utf8'));
    if (decoded.ok) {
      const { events, malformed } = decoded.value;
      onAction({ type: 'events/received', at: clock.now(), events, malformed: malformed.length, bytes });
    } else {
      onAction({ type: 'events/malformed', at: clock.now(), reason: decoded.reason, bytes });
    }
  };
  const fail = (reason: string) => {
    if (stopped || !healthy) return;
    healthy = false;
    lostAt = clock.now();
    onAction({ type: 'source/failed', at: lostAt, source: 'events', reason });
  };
  const recover = () => {
    if (stopped || healthy) return;
    healthy = true;
    const at = clock.now();
    onAction({ type: 'source/recovered', at, source: 'events' });
    const from = lostAt;
    lostAt = null;
    if (from === null) {
      void probe?.mark();
      return;
    }
    // The gap is named by its start, so the answer may safely arrive after events (or a new outage).
    void (probe?.explain() ?? Promise.resolve('unknown' as const)).then((cause) => {
      if (stopped) return;
      const reason = eventGapReason(from, at, cause);
      onAction({ type: 'source/gap-explained', at: clock.now(), source: 'events', from, reason });
    });
  };
  const onClose = () => fail('event subscription lost: connection closed, reconnecting');
  const onReconnecting = () => fail('event subscription lost: reconnecting to Redis');
  const onEnd = () => fail('event subscription ended: the connection was closed for good');
  const onReady = () => {
    if (stopped || healthy) return;
    const confirm =
      subscriber.options.autoResubscribe === false ? subscriber.psubscribe(pattern) : subscriber.ping();
    confirm.then(recover, () => {
      // Dropped again before the confirmation: the next `ready` tries again.
    });
  };

  subscriber.on('pmessageBuffer', onMessage);
  subscriber.on('close', onClose).on('reconnecting', onReconnecting).on('end', onEnd).on('ready', onReady);
  const detach = () => {
    subscriber.off('pmessageBuffer', onMessage);
    subscriber
      .off('close', onClose)
      .off('reconnecting', onReconnecting)
      .off('end', onEnd)
      .off('ready', onReady);
  };
  try {
    await subscriber.psubscribe(pattern);
  } catch (error) {
    stopped = true;
    detach();
    throw error;
  }
  recover();

  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      detach();
      // Offline, a PUNSUBSCRIBE would wait for the reconnect; queue it without waiting so the
      // resubscription ioredis replays then is undone right behind it.
      const leaving = subscriber.punsubscribe(pattern).then(
        () => {},
        () => {},
      );
      if (subscriber.status === 'ready') await leaving;
    },
  };
}
