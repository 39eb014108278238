import { asNumber, asString, fail, guarded, isObject, ok, typeName } from './decoded.js';
import { decodeEnvelope, strictBase64 } from './envelope.js';
import type {
  CeleryEvent,
  Decoded,
  EventBatch,
  Json,
  TaskEvent,
  TaskEventType,
  WorkerEvent,
  WorkerEventType,
} from './types.js';

const taskTypes: ReadonlySet<string> = new Set<TaskEventType>([
  'task-sent',
  'task-received',
  'task-started',
  'task-succeeded',
  'task-failed',
  'task-retried',
  'task-revoked',
  'task-rejected',
  'task-cancelled',
]);
const workerTypes: ReadonlySet<string> = new Set<WorkerEventType>([
  'worker-online',
  'worker-heartbeat',
  'worker-offline',
]);

/**
 * Decode one PUBLISH on `/{db}.celeryev/*` (wire doc 6). The body is one event object or,
 * on `task.multi`, an array of them (6.1). A bad item is reported in `malformed` and the
 * rest still count; only an unusable envelope or body fails the whole message. Never throws.
 *
 * Hot path: a worker's event envelope (JSON content type, Base64 body, no compression) is read
 * by `eventBody` with two JSON.parse calls and a strict Base64 decode; anything else, and any
 * failure on the way, goes through the general envelope decoder, whose lenient JSON fallback
 * (NaN/Infinity, json-exact.ts) and exact reasons stay off the hot path.
 */
export function decodeEventMessage(raw: string): Decoded<EventBatch> {
  return guarded('event message', () => {
    let body = eventBody(raw);
    if (body === notCommon) {
      const envelope = decodeEnvelope(raw);
      if (!envelope.ok) return envelope;
      const payload = envelope.value.payload;
      if (payload.kind === 'opaque') return fail(payload.reason);
      body = payload.value;
    }
    const batch: EventBatch = { events: [], malformed: [] };
    if (Array.isArray(body)) {
      const items = body as unknown[];
      for (let index = 0; index < items.length; index++) {
        const event = decodeEventObject(items[index]);
        if (event.ok) batch.events.push(event.value);
        else batch.malformed.push(items.length > 1 ? `item ${index}: ${event.reason}` : event.reason);
      }
    } else if (isObject(body)) {
      const event = decodeEventObject(body);
      if (event.ok) batch.events.push(event.value);
      else batch.malformed.push(event.reason);
    } else return fail(`event body is neither an object nor an array (${typeName(body)})`);
    return ok(batch);
  });
}

const notCommon = Symbol('not the common event envelope');
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The parsed body of the envelope every Celery worker publishes events in, or `notCommon` when
 * the envelope is anything else or anything fails (the general decoder then says why). Numbers
 * past 2^53 are not looked for: no event field qtop reads can hold one meaningfully.
 */
function eventBody(raw: string): unknown {
  let envelope: unknown;
  try {
    envelope = JSON.parse(raw);
  } catch {
    return notCommon;
  }
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) return notCommon;
  const e = envelope as Record<string, unknown>;
  const body = e.body;
  if (typeof body !== 'string' || e['content-type'] !== 'application/json') return notCommon;
  const encoding = e['content-encoding'];
  if (encoding != null && typeof encoding !== 'string') return notCommon;
  const headers = e.headers;
  if (headers != null && (typeof headers !== 'object' || Array.isArray(headers))) return notCommon;
  if (headers != null && (headers as Record<string, unknown>).compression != null) return notCommon;
  const properties = e.properties;
  if (properties != null && (typeof properties !== 'object' || Array.isArray(properties))) return notCommon;
  const bodyEncoding = properties == null ? undefined : (properties as Record<string, unknown>).body_encoding;
  let text: string;
  if (bodyEncoding === 'base64') {
    const bytes = strictBase64(body);
    if (bytes === null) return notCommon;
    try {
      text = utf8.decode(bytes);
    } catch {
      return notCommon;
    }
  } else if (bodyEncoding == null || bodyEncoding === 'utf-8') text = body;
  else return notCommon;
  try {
    return JSON.parse(text);
  } catch {
    return notCommon;
  }
}

/**
 * Decode one event object into a TaskEvent, WorkerEvent or OtherEvent, mapping the wire's
 * snake_case to camelCase (wire doc 6.3). Requires type, hostname and a numeric timestamp;
 * task events also need uuid. Never throws.
 *
 * Fields are read directly (none of the names read is an Object.prototype member, so a missing
 * key reads undefined) and every TaskEvent has the same shape, absent fields as `undefined`,
 * so the reducers that read them see one hidden class.
 */
export function decodeEventObject(obj: unknown): Decoded<CeleryEvent> {
  return guarded<CeleryEvent>('event', () => {
    if (!isObject(obj)) return fail(`event is not an object (${typeName(obj)})`);
    const o = obj as Record<string, unknown>;
    const type = o.type;
    if (typeof type !== 'string' || type === '') return fail('event has no type');
    const hostname = o.hostname;
    if (typeof hostname !== 'string' || hostname === '') return fail(`${type} event has no hostname`);
    const timestamp = asNumber(o.timestamp);
    // Epoch seconds from time.time(); used as-is, never shifted by utcoffset (wire doc 6.3).
    if (timestamp === null) return fail(`${type} event timestamp is not a number`);
    if (taskTypes.has(type)) return taskEvent(o, type as TaskEventType, hostname, timestamp);
    const base = {
      hostname,
      timestamp,
      utcoffset: asNumber(o.utcoffset),
      pid: asNumber(o.pid),
      clock: asNumber(o.clock),
    };
    if (workerTypes.has(type)) return ok(workerEvent(o, type as WorkerEventType, base));
    return ok({ kind: 'other', type, ...base });
  });
}

type Base = Pick<WorkerEvent, 'hostname' | 'timestamp' | 'utcoffset' | 'pid' | 'clock'>;

/** A string, else undefined: "not sent" and "sent as something else" read the same. */
function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Sent as an explicit null when unset, and null is kept: null means "none", absent "not sent". */
function nullableStr(value: unknown): string | null | undefined {
  return value === null ? null : typeof value === 'string' ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

// Wire names per TaskEvent field (wire doc 6.3 table); each event type carries only some of them,
// and a key that was not sent stays undefined.
function taskEvent(o: Record<string, unknown>, type: TaskEventType, hostname: string, timestamp: number) {
  const uuid = o.uuid;
  if (typeof uuid !== 'string' || uuid === '') return fail(`${type} event has no uuid`);
  const signum = o.signum;
  const event: TaskEvent = {
    kind: 'task',
    type,
    uuid,
    hostname,
    timestamp,
    utcoffset: asNumber(o.utcoffset),
    pid: asNumber(o.pid),
    clock: asNumber(o.clock),
    name: str(o.name),
    args: str(o.args),
    kwargs: str(o.kwargs),
    result: str(o.result),
    exception: str(o.exception),
    traceback: str(o.traceback),
    runtime: num(o.runtime),
    retries: num(o.retries),
    eta: nullableStr(o.eta),
    expires: nullableStr(o.expires),
    rootId: nullableStr(o.root_id),
    parentId: nullableStr(o.parent_id),
    queue: str(o.queue),
    exchange: str(o.exchange),
    routingKey: str(o.routing_key),
    terminated: bool(o.terminated),
    // signum: 15 for TERM, 9 for KILL, null when not terminated (wire doc 6.3).
    signum: signum === null ? null : num(signum),
    expired: bool(o.expired),
    requeue: bool(o.requeue),
  };
  return ok(event);
}

function workerEvent(o: Record<string, unknown>, type: WorkerEventType, base: Base): WorkerEvent {
  return {
    kind: 'worker',
    type,
    ...base,
    freq: asNumber(o.freq),
    // A wake-up heartbeat (freq 5) has no active/processed/loadavg (wire doc 6.3).
    active: asNumber(o.active),
    processed: asNumber(o.processed),
    loadavg: loadavg(o.loadavg as Json | undefined),
    swIdent: asString(o.sw_ident),
    swVer: asString(o.sw_ver),
    swSys: asString(o.sw_sys),
  };
}

function loadavg(value: Json | undefined): [number, number, number] | null {
  if (!Array.isArray(value) || value.length !== 3) return null;
  const [a, b, c] = value.map(asNumber);
  return a != null && b != null && c != null ? [a, b, c] : null;
}
