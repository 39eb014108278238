import { asBoolean, asNumber, asString, fail, field, guarded, isObject, ok, typeName } from './decoded.js';
import { decodeEnvelope } from './envelope.js';
import type {
  CeleryEvent,
  Decoded,
  EventBatch,
  Json,
  JsonObject,
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
 */
export function decodeEventMessage(raw: string): Decoded<EventBatch> {
  return guarded('event message', () => {
    const envelope = decodeEnvelope(raw);
    if (!envelope.ok) return envelope;
    const payload = envelope.value.payload;
    if (payload.kind === 'opaque') return fail(payload.reason);
    const body = payload.value;
    let items: Json[];
    if (Array.isArray(body)) items = body;
    else if (isObject(body)) items = [body];
    else return fail(`event body is neither an object nor an array (${typeName(body)})`);

    const batch: EventBatch = { events: [], malformed: [] };
    items.forEach((item, index) => {
      const event = decodeEventObject(item);
      if (event.ok) batch.events.push(event.value);
      else batch.malformed.push(items.length > 1 ? `item ${index}: ${event.reason}` : event.reason);
    });
    return ok(batch);
  });
}

/**
 * Decode one event object into a TaskEvent, WorkerEvent or OtherEvent, mapping the wire's
 * snake_case to camelCase (wire doc 6.3). Requires type, hostname and a numeric timestamp;
 * task events also need uuid. Never throws.
 */
export function decodeEventObject(obj: unknown): Decoded<CeleryEvent> {
  return guarded<CeleryEvent>('event', () => {
    if (!isObject(obj)) return fail(`event is not an object (${typeName(obj)})`);
    const type = asString(field(obj, 'type'));
    if (!type) return fail('event has no type');
    const hostname = asString(field(obj, 'hostname'));
    if (!hostname) return fail(`${type} event has no hostname`);
    const timestamp = asNumber(field(obj, 'timestamp'));
    // Epoch seconds from time.time(); used as-is, never shifted by utcoffset (wire doc 6.3).
    if (timestamp === null) return fail(`${type} event timestamp is not a number`);
    const base = {
      hostname,
      timestamp,
      utcoffset: asNumber(field(obj, 'utcoffset')),
      pid: asNumber(field(obj, 'pid')),
      clock: asNumber(field(obj, 'clock')),
    };
    if (taskTypes.has(type)) return taskEvent(obj, type as TaskEventType, base);
    if (workerTypes.has(type)) return ok(workerEvent(obj, type as WorkerEventType, base));
    return ok({ kind: 'other', type, ...base });
  });
}

type Base = Pick<TaskEvent, 'hostname' | 'timestamp' | 'utcoffset' | 'pid' | 'clock'>;
type StringKey =
  | 'name'
  | 'args'
  | 'kwargs'
  | 'result'
  | 'exception'
  | 'traceback'
  | 'queue'
  | 'exchange'
  | 'routingKey';
type NullableKey = 'eta' | 'expires' | 'rootId' | 'parentId';

// Wire name -> TaskEvent field, grouped by type. Each event type carries only some of them
// (wire doc 6.3 table); a key that was not sent stays absent.
const stringFields: [StringKey, string][] = [
  ['name', 'name'],
  ['args', 'args'],
  ['kwargs', 'kwargs'],
  ['result', 'result'],
  ['exception', 'exception'],
  ['traceback', 'traceback'],
  ['queue', 'queue'],
  ['exchange', 'exchange'],
  ['routingKey', 'routing_key'],
];
const numberFields: ['runtime' | 'retries', string][] = [
  ['runtime', 'runtime'],
  ['retries', 'retries'],
];
const booleanFields: ['terminated' | 'expired' | 'requeue', string][] = [
  ['terminated', 'terminated'],
  ['expired', 'expired'],
  ['requeue', 'requeue'],
];
// Sent as an explicit null when unset, and null is kept: null means "none", absent "not sent".
const nullableStringFields: [NullableKey, string][] = [
  ['eta', 'eta'],
  ['expires', 'expires'],
  ['rootId', 'root_id'],
  ['parentId', 'parent_id'],
];

function taskEvent(obj: JsonObject, type: TaskEventType, base: Base): Decoded<TaskEvent> {
  const uuid = asString(field(obj, 'uuid'));
  if (!uuid) return fail(`${type} event has no uuid`);
  const event: TaskEvent = { kind: 'task', type, uuid, ...base };
  for (const [key, wire] of stringFields) {
    const value = asString(field(obj, wire));
    if (value !== null) event[key] = value;
  }
  for (const [key, wire] of numberFields) {
    const value = asNumber(field(obj, wire));
    if (value !== null) event[key] = value;
  }
  for (const [key, wire] of booleanFields) {
    const value = asBoolean(field(obj, wire));
    if (value !== null) event[key] = value;
  }
  for (const [key, wire] of nullableStringFields) {
    const raw = field(obj, wire);
    const value = raw === null ? null : asString(raw);
    if (raw === null || value !== null) event[key] = value;
  }
  // signum: 15 for TERM, 9 for KILL, null when not terminated (wire doc 6.3).
  const signum = field(obj, 'signum');
  if (signum === null || asNumber(signum) !== null) event.signum = asNumber(signum);
  return ok(event);
}

function workerEvent(obj: JsonObject, type: WorkerEventType, base: Base): WorkerEvent {
  return {
    kind: 'worker',
    type,
    ...base,
    freq: asNumber(field(obj, 'freq')),
    // A wake-up heartbeat (freq 5) has no active/processed/loadavg (wire doc 6.3).
    active: asNumber(field(obj, 'active')),
    processed: asNumber(field(obj, 'processed')),
    loadavg: loadavg(field(obj, 'loadavg')),
    swIdent: asString(field(obj, 'sw_ident')),
    swVer: asString(field(obj, 'sw_ver')),
    swSys: asString(field(obj, 'sw_sys')),
  };
}

function loadavg(value: Json | undefined): [number, number, number] | null {
  if (!Array.isArray(value) || value.length !== 3) return null;
  const [a, b, c] = value.map(asNumber);
  return a != null && b != null && c != null ? [a, b, c] : null;
}
