/**
 * The decoded shapes of everything qtop reads off the Celery/kombu wire.
 * Field meanings follow shared/docs/celery-redis-wire.md (section numbers cited below).
 * Decoders produce these; sources, the store and the command layer consume them.
 */

/** Any JSON value, as it came off the wire. */
export type Json = null | boolean | number | string | Json[] | JsonObject;
export type JsonObject = { [key: string]: Json };

/** Every decoder returns this and never throws. */
export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * A message body after following `properties.body_encoding` (wire doc 4.1).
 * Only JSON is decoded; pickle, msgpack and yaml are reported, never interpreted.
 */
export type Payload =
  | {
      kind: 'json';
      value: Json /** kombu compression method the body was decompressed from. */;
      compressed?: string;
    }
  | { kind: 'opaque'; contentType: string; reason: string; bytes: number };

/** The kombu envelope around every list item and pub/sub payload (wire doc 4). */
export interface Envelope {
  contentType: string | null;
  contentEncoding: string | null;
  headers: JsonObject;
  properties: JsonObject;
  deliveryTag: string | null;
  /** `properties.delivery_info`; null when absent (a poison shape for workers, wire doc 5). */
  deliveryInfo: { exchange: string; routingKey: string } | null;
  priority: number | null;
  redelivered: boolean;
  payload: Payload;
  /** The `compression` header (kombu's content type, e.g. `application/x-gzip`); null or absent when plain. */
  compression?: string | null;
  /** Length of the raw text the envelope was decoded from. */
  rawBytes: number;
}

/** A task message from a queue list or the `unacked` hash (wire doc 5). */
export interface TaskMessage {
  protocol: 1 | 2;
  id: string;
  name: string;
  /** Real JSON args; null when the payload is opaque (pickle etc). */
  args: Json[] | null;
  kwargs: JsonObject | null;
  /** The third body item of protocol 2: callbacks, errbacks, chain, chord. */
  embed: Json;
  argsRepr: string | null;
  kwargsRepr: string | null;
  /** ISO 8601 as sent; naive times mean UTC. */
  eta: string | null;
  expires: string | null;
  retries: number;
  rootId: string | null;
  parentId: string | null;
  groupId: string | null;
  origin: string | null;
  shadow: string | null;
  /** `[hard, soft]` seconds. */
  timeLimit: [number | null, number | null];
  ignoreResult: boolean;
  /** `delivery_info.routing_key`: the queue for Celery's direct routing. */
  routingKey: string | null;
  exchange: string | null;
  priority: number | null;
  deliveryTag: string | null;
  redelivered: boolean;
  /** Why args/kwargs are null, e.g. "pickle payload, not decoded". */
  payloadNote: string | null;
  /** Celery >= 5.3 canvas stamps: `{header: value}` for each of `headers.stamped_headers`; null when none. */
  stamps?: JsonObject | null;
  envelope: Envelope;
}

/** One `unacked` hash value: `[envelope, exchange, routing_key]` (wire doc 3.3). */
export interface UnackedEntry {
  message: TaskMessage;
  exchange: string;
  routingKey: string;
}

export type TaskEventType =
  | 'task-sent'
  | 'task-received'
  | 'task-started'
  | 'task-succeeded'
  | 'task-failed'
  | 'task-retried'
  | 'task-revoked'
  | 'task-rejected'
  | 'task-cancelled';

export type WorkerEventType = 'worker-online' | 'worker-heartbeat' | 'worker-offline';

/** Fields every Celery event carries (wire doc 6.3). */
interface EventBase {
  hostname: string;
  /** Epoch seconds from the sender's `time.time()`; used as-is, never shifted by utcoffset. */
  timestamp: number;
  utcoffset: number | null;
  pid: number | null;
  clock: number | null;
}

/** A `task-*` event. Optional fields exist only on the event types that carry them. */
export interface TaskEvent extends EventBase {
  kind: 'task';
  type: TaskEventType;
  uuid: string;
  name?: string;
  /** Python reprs, not JSON (wire doc 6.3), possibly cut at 1024 characters. */
  args?: string;
  kwargs?: string;
  result?: string;
  exception?: string;
  traceback?: string;
  runtime?: number;
  retries?: number;
  eta?: string | null;
  expires?: string | null;
  rootId?: string | null;
  parentId?: string | null;
  queue?: string;
  exchange?: string;
  routingKey?: string;
  terminated?: boolean;
  signum?: number | null;
  expired?: boolean;
  requeue?: boolean;
}

/** A `worker-*` event. A wake-up heartbeat (freq 5) lacks active/processed/loadavg. */
export interface WorkerEvent extends EventBase {
  kind: 'worker';
  type: WorkerEventType;
  freq: number | null;
  active: number | null;
  processed: number | null;
  loadavg: [number, number, number] | null;
  swIdent: string | null;
  swVer: string | null;
  swSys: string | null;
}

/** An event of a type qtop does not model; kept so it can be counted. */
export interface OtherEvent extends EventBase {
  kind: 'other';
  type: string;
}

export type CeleryEvent = TaskEvent | WorkerEvent | OtherEvent;

/** What one PUBLISH on the event channel decodes to: single events and `task.multi` arrays. */
export interface EventBatch {
  events: CeleryEvent[];
  /** Reasons for items inside the batch that could not be decoded (the rest still count). */
  malformed: string[];
}

/** A control request as sent on the pidbox channel (wire doc 7.1). */
export interface PidboxRequest {
  method: string;
  arguments: JsonObject;
  destination: string[] | null;
  pattern: string | null;
  matcher: string | null;
  ticket: string | null;
  replyTo: { exchange: string; routingKey: string } | null;
}

/** One worker's reply from a reply list (wire doc 7.2): body `{node: value}`. */
export interface PidboxReply {
  ticket: string | null;
  node: string;
  /** The reply value; `{error: "..."}` replies are split out into `error`. */
  value: Json;
  error: string | null;
}

/** Exception details in FAILURE/RETRY/REVOKED meta: `{exc_type, exc_message, exc_module}`. */
export interface ResultException {
  type: string;
  message: Json;
  module: string | null;
}

/** `celery-task-meta-{id}` value (wire doc 9.1), plain or `result_extended`. */
export interface ResultMeta {
  taskId: string;
  status: string;
  result: Json;
  exception: ResultException | null;
  traceback: string | null;
  children: Json;
  /** As written; 5.2 writes naive UTC. */
  dateDone: string | null;
  groupId: string | null;
  parentId: string | null;
  /** Present only with `result_extended=True`. */
  extended: {
    name: string | null;
    args: Json[] | null;
    kwargs: JsonObject | null;
    worker: string | null;
    retries: number | null;
    queue: string | null;
    /** Celery >= 5.3: `stamped_headers` and each stamp copied to the meta's top level (absent: none). */
    stamps?: JsonObject | null;
  } | null;
}

/** `celery-taskset-meta-{gid}` value (wire doc 9.2). */
export interface GroupMeta {
  groupId: string;
  childIds: string[];
}

/** One member of a chord's `.j` zset: `[1, task_id, state, result]`. */
export interface ChordJoinMember {
  taskId: string;
  state: string;
  result: Json;
}

/** One member of a `_kombu.binding.{exchange}` set: `routing_key SEP pattern SEP queue`. */
export interface Binding {
  routingKey: string;
  pattern: string;
  queue: string;
}
