/**
 * Everything that can change qtop's picture of the cluster, as typed actions named
 * `domain/past-tense`. Sources decode what they read and dispatch these; nothing else
 * writes to the model. Times are epoch milliseconds from the injected clock (`at`); event
 * timestamps inside Celery events stay in epoch seconds as Celery sends them.
 */
import type { BeatDefinition, BeatMeta } from '../beat/types.js';
import type { CeleryEvent, Json, JsonObject, ResultMeta } from '../celery/types.js';

/** The sources that feed the store; health and gaps are tracked per source. */
export type SourceName = 'queues' | 'events' | 'inspect' | 'results' | 'unacked' | 'beat';

/** A queued message as the queue source peeked it (already decoded, args bounded). */
export interface PeekedMessage {
  /** Position in execution order within the queue (0 runs next). */
  position: number;
  priorityStep: number;
  id: string | null;
  name: string | null;
  /** Real JSON when the payload is JSON and small enough to hold; else null with `note`. */
  args: Json[] | null;
  kwargs: JsonObject | null;
  argsRepr: string | null;
  kwargsRepr: string | null;
  eta: string | null;
  expires: string | null;
  retries: number;
  redelivered: boolean;
  bytes: number;
  /** Why the message (or its args) could not be shown: "pickle payload, not decoded", … */
  note: string | null;
  /** Celery >= 5.3 canvas stamps (celery/stamps.ts); null when none. Absent in older recordings. */
  stamps?: JsonObject | null;
  /** Workflow links from the headers (and the chord body the embed names); absent in older recordings. */
  rootId?: string | null;
  parentId?: string | null;
  groupId?: string | null;
  chordId?: string | null;
  /** Chain links still to be sent after this task, next first (protocol 2 `embed.chain`); absent when none. */
  chain?: { id: string; name: string | null }[];
}

/** One queue as sampled: lengths per priority list, and the next messages in execution order. */
export interface QueueSample {
  name: string;
  /** Exchanges whose bindings name this queue. */
  exchanges: string[];
  /** Length per priority step (`{0: 12, 3: 1, 6: 0, 9: 0}`); the total is their sum. */
  lengths: Record<number, number>;
  peek: PeekedMessage[];
}

/** One `unacked` hash entry: a message a worker has taken but not acked (reserved or ETA). */
export interface UnackedSample {
  deliveryTag: string;
  /** Delivery time from `unacked_index` (epoch seconds), null when the index lacks it. */
  deliveredAt: number | null;
  queue: string | null;
  message: PeekedMessage | null;
  note: string | null;
}

/** One worker's answer (or error) to one inspect method. */
export interface InspectReply {
  node: string;
  value: Json;
  error: string | null;
}

export type InspectMethod =
  | 'ping'
  | 'stats'
  | 'active'
  | 'reserved'
  | 'scheduled'
  | 'active_queues'
  | 'registered';

/** One RedBeat entry as read: its schedule score and its decoded hash fields (src/sources/beat-source.ts). */
export interface BeatEntrySample {
  /** The hash key, `{prefix}{name}`: the schedule's member. */
  key: string;
  /** Epoch ms of the score (next due); null for RedBeat's -1 ("never again"). */
  dueAt: number | null;
  definition: BeatDefinition | null;
  meta: BeatMeta | null;
  /** Why the definition or meta could not be read, or null. */
  problem: string | null;
}

/** The RedBeat lock (`{prefix}:lock`): who holds it and for how long still. */
export interface BeatLockSample {
  key: string;
  /** The holder's token (redis-py Lock: a uuid1 hex), or null when no beat holds the lock. */
  token: string | null;
  /** PTTL in ms; null when the key is gone (or has no TTL). */
  ttlMs: number | null;
}

export type Action =
  /** A decoded PUBLISH on the event channel (one event, or a `task.multi` batch). */
  | { type: 'events/received'; at: number; events: CeleryEvent[]; malformed: number; bytes: number }
  /** A PUBLISH on the event channel that could not be decoded at all. */
  | { type: 'events/malformed'; at: number; reason: string; bytes: number }
  /** Every queue discovered from `_kombu.binding.*`, with lengths and peeks, in one sample. */
  | {
      type: 'queues/sampled';
      at: number;
      queues: QueueSample[];
      undecodableBindings: number;
      /** kombu's sep as the binding members tell it (routing-sep.ts); absent: no members to tell. */
      sep?: { detected: string | null; mismatch: string | null };
    }
  /** The whole `unacked` hash (bounded) with `unacked_index` scores. */
  | { type: 'unacked/sampled'; at: number; total: number; entries: UnackedSample[] }
  /** Workers listed in the pidbox binding set (alive or stale after SIGKILL). */
  | {
      type: 'pidbox/sampled';
      at: number;
      nodes: string[];
      /** The fanout prefix the workers' mailbox channels show (fanout-detect.ts); absent: not probed. */
      fanoutPrefix?: { seen: 'literal' | 'formatted' | null; mismatch: string | null };
    }
  /** One inspect round of one method; `silent` names known workers that did not answer in time. */
  | { type: 'inspect/replied'; at: number; method: InspectMethod; replies: InspectReply[]; silent: string[] }
  /** Result meta read from the backend: a scan page, a GET, or a live PUBLISH. */
  | {
      type: 'results/read';
      at: number;
      via: 'scan' | 'get' | 'pubsub';
      metas: ResultMeta[];
      malformed: number;
      /** Notifications whose key the backend db does not hold: another db or app on the server, dropped. */
      otherDb?: number;
    }
  /** A source's poll or subscription failed; the store records a gap until it recovers. */
  | { type: 'source/failed'; at: number; source: SourceName; reason: string }
  | { type: 'source/recovered'; at: number; source: SourceName }
  /** Why the gap that opened at `from` happened, learned only after it closed (e.g. on resubscribing). */
  | { type: 'source/gap-explained'; at: number; source: SourceName; from: number; reason: string }
  /** Redis load qtop itself caused since the last report (for the `meta` section). */
  | {
      type: 'load/measured';
      at: number;
      commands: number;
      bytesIn: number;
      bytesOut: number;
      windowMs: number;
    }
  /**
   * One read of the RedBeat keys: the schedule (bounded), each entry's hash, and the lock (null when
   * the lock check is off). `scheduleFound` is false when the schedule key does not exist.
   */
  | {
      type: 'beat/sampled';
      at: number;
      prefix: string;
      scheduleFound: boolean;
      entries: BeatEntrySample[];
      /** More entries exist than were read. */
      truncated: boolean;
      lock: BeatLockSample | null;
    }
  /** A retry published a new task for an old one (control layer); kept so both show the link. */
  | { type: 'task/retried-as'; at: number; oldId: string; newId: string };

export type ActionType = Action['type'];
