/**
 * Builds a protocol-2 task message a Celery 5.2 worker runs, byte-shape for byte-shape what the
 * Node check of wire doc section 11 published (fixture `task-message-from-node.json`). Pure: the
 * caller LPUSHes `raw` onto `listKey` after `SADD bindingKey bindingMember` (wire doc 5.2 step 5).
 */
import { isExactNumber, stringifyExact } from './json-exact.js';
import { bindingKey, bindingMember, priorityStep, queueListKey } from './names.js';
import type { WireOptions } from './options.js';
import { argsRepr, kwargsRepr } from './py-repr.js';
import type { Decoded, Json, JsonObject } from './types.js';

/** What to publish. Only `name`, `args`, `kwargs` and `queue` are required. */
export interface TaskSpec {
  /** The registered task name (`headers.task`). */
  name: string;
  args: Json[];
  kwargs: JsonObject;
  /** Destination queue: routing key of the anonymous exchange and the list name. */
  queue: string;
  /** 0..255 as the sender gives it; kombu buckets it (wire doc 2, 3.2). Default 0. */
  priority?: number;
  /** Task id; default a fresh UUID4. A retry must use a new id (wire doc 5.2 step 6). */
  id?: string;
  /** ISO 8601 (`2026-11-24T12:43:39.348288+00:00`; naive means UTC). */
  eta?: string | null;
  expires?: string | null;
  retries?: number;
  /** Default: the task's own id (a plain call starts its own workflow). */
  rootId?: string | null;
  parentId?: string | null;
  groupId?: string | null;
  groupIndex?: number | null;
  /** `[hard, soft]` seconds. */
  timeLimit?: [number | null, number | null];
  ignoreResult?: boolean;
  shadow?: string | null;
  /** Third body item; default `{callbacks: null, errbacks: null, chain: null, chord: null}`. */
  embed?: JsonObject | null;
  /** `headers.origin`; default `qtop` (callers add `@host`: src/celery does no I/O). */
  origin?: string;
  /**
   * Display reprs; default Celery's saferepr of args/kwargs. Pass the original ones on a retry:
   * apps set custom reprs to hide secrets, and recomputing them would reveal the values.
   */
  argsRepr?: string;
  kwargsRepr?: string;
  /** Further headers to keep on a retry (e.g. 5.3's `stamps`); the documented ones always win. */
  extraHeaders?: JsonObject;
  /** Default a fresh UUID4. */
  deliveryTag?: string;
}

/** The message and where it goes. */
export interface EncodedTask {
  /** The JSON envelope to LPUSH. */
  raw: string;
  id: string;
  deliveryTag: string;
  /** The list for this priority: `{prefix}{queue}[SEP{step}]`. */
  listKey: string;
  /** `{prefix}_kombu.binding.{queue}`: SADD `bindingMember` here first (wire doc 5.2 step 5). */
  bindingKey: string;
  bindingMember: string;
}

/** Header names Celery 5.2.6 writes, in its order (wire doc 5.1). */
export const TASK_HEADER_ORDER = [
  'lang',
  'task',
  'id',
  'shadow',
  'eta',
  'expires',
  'group',
  'group_index',
  'retries',
  'timelimit',
  'root_id',
  'parent_id',
  'argsrepr',
  'kwargsrepr',
  'origin',
  'ignore_result',
] as const;

const DEFAULT_EMBED: JsonObject = { callbacks: null, errbacks: null, chain: null, chord: null };
/** What Python's `datetime.isoformat()` writes; older `fromisoformat` accepts nothing looser. */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3}|\.\d{6})?([+-]\d{2}:\d{2})?$/;

/** The list a message of this priority is LPUSHed onto (wire doc 2: 7 -> `{q}SEP6`, 255 -> `{q}SEP9`). */
export function expectedPriorityListKey(opts: WireOptions, queue: string, priority: number): string {
  return queueListKey(opts, queue, priorityStep(opts, priority));
}

/**
 * Encode `spec` as the complete envelope of wire doc 5.2, or refuse with a reason. It never emits
 * one of the poison shapes of wire doc 5 (no content-type, a two-item body, no delivery_tag, no
 * delivery_info), nor JSON that would silently change (NaN, undefined, non-plain objects).
 */
export function encodeTaskMessage(spec: TaskSpec, opts: WireOptions): Decoded<EncodedTask> {
  const problem = specProblem(spec, opts);
  if (problem) return { ok: false, reason: problem };
  const id = spec.id ?? globalThis.crypto.randomUUID();
  const deliveryTag = spec.deliveryTag ?? globalThis.crypto.randomUUID();
  const priority = spec.priority ?? 0;
  const headers: JsonObject = {
    lang: 'py',
    task: spec.name,
    id,
    shadow: spec.shadow ?? null,
    eta: spec.eta ?? null,
    expires: spec.expires ?? null,
    group: spec.groupId ?? null,
    group_index: spec.groupIndex ?? null,
    retries: spec.retries ?? 0,
    timelimit: spec.timeLimit ?? [null, null],
    root_id: spec.rootId ?? id,
    parent_id: spec.parentId ?? null,
    argsrepr: spec.argsRepr ?? argsRepr(spec.args),
    kwargsrepr: spec.kwargsRepr ?? kwargsRepr(spec.kwargs),
    origin: spec.origin ?? 'qtop',
    ignore_result: spec.ignoreResult ?? false,
  };
  for (const [key, value] of Object.entries(spec.extraHeaders ?? {})) {
    if (!Object.hasOwn(headers, key)) Object.defineProperty(headers, key, { value, enumerable: true });
  }
  // Body: [args, kwargs, embed], Base64 of UTF-8 JSON (wire doc 4.1, 5.1); compact JSON is accepted.
  const body = Buffer.from(
    stringifyExact([spec.args, spec.kwargs, spec.embed ?? DEFAULT_EMBED], { nonFinite: 'raw' }),
    'utf8',
  );
  const envelope = {
    body: body.toString('base64'),
    'content-encoding': 'utf-8',
    'content-type': 'application/json', // without it the 5.2 worker dies (wire doc 4)
    headers,
    properties: {
      correlation_id: id,
      reply_to: '',
      delivery_mode: 2,
      delivery_info: { exchange: '', routing_key: spec.queue }, // anonymous exchange (wire doc 5.1)
      priority,
      body_encoding: 'base64',
      delivery_tag: deliveryTag,
    },
  };
  return {
    ok: true,
    value: {
      raw: JSON.stringify(envelope),
      id,
      deliveryTag,
      listKey: expectedPriorityListKey(opts, spec.queue, priority),
      bindingKey: bindingKey(opts, spec.queue),
      bindingMember: bindingMember(opts, spec.queue, '', spec.queue),
    },
  };
}

function specProblem(spec: TaskSpec, opts: WireOptions): string | null {
  if (typeof spec.name !== 'string' || spec.name === '') return 'task name must be a non-empty string';
  if (!Array.isArray(spec.args)) return 'args must be an array';
  if (!isPlainObject(spec.kwargs)) return 'kwargs must be a plain object';
  if (typeof spec.queue !== 'string' || spec.queue === '') return 'queue must be a non-empty string';
  // The separator inside a queue name would split its binding member wrongly (wire doc 3.1).
  if (spec.queue.includes(opts.sep)) return 'queue name contains the kombu separator';
  const priority = spec.priority ?? 0;
  if (!Number.isInteger(priority) || priority < 0 || priority > 255)
    return 'priority must be an integer 0..255';
  for (const [field, value] of [
    ['id', spec.id],
    ['deliveryTag', spec.deliveryTag],
    ['origin', spec.origin],
    ['argsRepr', spec.argsRepr],
    ['kwargsRepr', spec.kwargsRepr],
  ] as const) {
    if (value !== undefined && (typeof value !== 'string' || value === ''))
      return `${field} must be a non-empty string`;
  }
  for (const [field, value] of [
    ['rootId', spec.rootId],
    ['parentId', spec.parentId],
    ['groupId', spec.groupId],
    ['shadow', spec.shadow],
  ] as const) {
    if (value != null && (typeof value !== 'string' || value === ''))
      return `${field} must be a non-empty string or null`;
  }
  for (const [field, value] of [
    ['eta', spec.eta],
    ['expires', spec.expires],
  ] as const) {
    if (
      value != null &&
      (typeof value !== 'string' || !ISO_8601.test(value) || Number.isNaN(Date.parse(value)))
    ) {
      return `${field} must be ISO 8601 as Python writes it (2026-11-24T12:43:39.348288+00:00)`;
    }
  }
  if (spec.retries !== undefined && !(Number.isSafeInteger(spec.retries) && spec.retries >= 0)) {
    return 'retries must be a non-negative integer';
  }
  if (spec.groupIndex != null && !(Number.isSafeInteger(spec.groupIndex) && spec.groupIndex >= 0)) {
    return 'groupIndex must be a non-negative integer or null';
  }
  if (spec.timeLimit !== undefined) {
    const ok =
      Array.isArray(spec.timeLimit) &&
      spec.timeLimit.length === 2 &&
      spec.timeLimit.every((v) => v === null || (typeof v === 'number' && Number.isFinite(v) && v >= 0));
    if (!ok) return 'timeLimit must be [hard, soft] with non-negative seconds or null';
  }
  if (spec.ignoreResult !== undefined && typeof spec.ignoreResult !== 'boolean')
    return 'ignoreResult must be a boolean';
  if (spec.embed != null && !isPlainObject(spec.embed)) return 'embed must be a plain object or null';
  if (spec.extraHeaders !== undefined && !isPlainObject(spec.extraHeaders))
    return 'extraHeaders must be a plain object';
  for (const [field, value] of [
    ['args', spec.args],
    ['kwargs', spec.kwargs],
    ['embed', spec.embed ?? null],
    ['extraHeaders', spec.extraHeaders ?? null],
  ] as const) {
    const bad = jsonProblem(value, field, 0);
    if (bad) return bad;
  }
  return null;
}

function isPlainObject(value: unknown): value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Why `value` would not survive JSON.stringify unchanged, or null. */
function jsonProblem(value: unknown, path: string, depth: number): string | null {
  if (depth > 500) return `${path} is nested too deeply (or cyclic)`;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return null;
  // Numbers kept as written (big integers, NaN): the body is written with stringifyExact.
  if (isExactNumber(value)) return null;
  if (typeof value === 'number')
    return Number.isFinite(value) ? null : `${path} is ${value}, which JSON cannot hold`;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const bad = jsonProblem(item, `${path}[${i}]`, depth + 1);
      if (bad) return bad;
    }
    return null;
  }
  if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      const bad = jsonProblem(item, `${path}.${key}`, depth + 1);
      if (bad) return bad;
    }
    return null;
  }
  return `${path} is ${value === undefined ? 'undefined' : typeof value}, not JSON`;
}
