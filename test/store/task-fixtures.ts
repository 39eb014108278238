/**
 * Test helpers for the task domain: builders for typed wire values, and a minimal local
 * decoding of the captured Celery 5.2 fixtures (JSON.parse + base64), kept independent of the
 * wire decoders so these tests exercise the store alone.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Json, JsonObject, ResultMeta, TaskEvent, TaskEventType } from '../../src/celery/types.js';
import type { Action, InspectReply, PeekedMessage } from '../../src/store/actions.js';

const fixtureDir = fileURLToPath(new URL('../fixtures/celery-5.2/', import.meta.url));

function readJson(file: string): Json {
  return JSON.parse(fs.readFileSync(`${fixtureDir}${file}`, 'utf8')) as Json;
}

/** The body of a kombu envelope fixture, base64 decoded and parsed. */
export function envelopeBody(file: string): Json {
  const envelope = readJson(file) as JsonObject;
  return JSON.parse(Buffer.from(String(envelope.body), 'base64').toString('utf8')) as Json;
}

function str(obj: JsonObject, key: string): string | undefined {
  const v = obj[key];
  return typeof v === 'string' ? v : undefined;
}

/** The task events inside an event fixture (one object or a `task.multi` array). */
export function fixtureEvents(file: string): TaskEvent[] {
  const body = envelopeBody(file);
  const items = (Array.isArray(body) ? body : [body]) as JsonObject[];
  return items.map((o) => {
    const event: TaskEvent = {
      kind: 'task',
      type: o.type as TaskEventType,
      uuid: String(o.uuid),
      hostname: String(o.hostname),
      timestamp: Number(o.timestamp),
      utcoffset: (o.utcoffset as number | null) ?? null,
      pid: (o.pid as number | null) ?? null,
      clock: (o.clock as number | null) ?? null,
    };
    for (const key of [
      'name',
      'args',
      'kwargs',
      'result',
      'exception',
      'traceback',
      'queue',
      'exchange',
    ] as const) {
      const v = str(o, key);
      if (v !== undefined) event[key] = v;
    }
    if (str(o, 'routing_key') !== undefined) event.routingKey = str(o, 'routing_key');
    if (typeof o.runtime === 'number') event.runtime = o.runtime;
    if (typeof o.retries === 'number') event.retries = o.retries;
    for (const key of ['terminated', 'expired', 'requeue'] as const)
      if (typeof o[key] === 'boolean') event[key] = o[key];
    if ('signum' in o) event.signum = (o.signum as number | null) ?? null;
    if ('eta' in o) event.eta = (o.eta as string | null) ?? null;
    if ('expires' in o) event.expires = (o.expires as string | null) ?? null;
    if ('root_id' in o) event.rootId = (o.root_id as string | null) ?? null;
    if ('parent_id' in o) event.parentId = (o.parent_id as string | null) ?? null;
    return event;
  });
}

/** The replies inside a pidbox reply fixture: body `{node: value}`. */
export function fixtureReplies(file: string): InspectReply[] {
  const body = envelopeBody(file) as JsonObject;
  return Object.entries(body).map(([node, value]) => ({ node, value, error: null }));
}

/** A result meta fixture (the plain JSON value of `celery-task-meta-{id}`). */
export function fixtureMeta(file: string): ResultMeta {
  const m = readJson(file) as JsonObject;
  const status = String(m.status);
  const result = m.result ?? null;
  const exc = ['FAILURE', 'RETRY', 'REVOKED'].includes(status) ? (result as JsonObject) : null;
  return {
    taskId: String(m.task_id),
    status,
    result,
    exception: exc
      ? {
          type: String(exc.exc_type),
          message: exc.exc_message ?? null,
          module: (exc.exc_module as string) ?? null,
        }
      : null,
    traceback: (m.traceback as string | null) ?? null,
    children: m.children ?? null,
    dateDone: (m.date_done as string | null) ?? null,
    groupId: (m.group_id as string | undefined) ?? null,
    parentId: (m.parent_id as string | undefined) ?? null,
    extended:
      'name' in m
        ? {
            name: (m.name as string | null) ?? null,
            args: (m.args as Json[] | null) ?? null,
            kwargs: (m.kwargs as JsonObject | null) ?? null,
            worker: (m.worker as string | null) ?? null,
            retries: (m.retries as number | null) ?? null,
            queue: (m.queue as string | null) ?? null,
          }
        : null,
  };
}

/** A hand-built task event; `timestamp` in epoch seconds. */
export function taskEvent(
  type: TaskEventType,
  uuid: string,
  timestamp: number,
  extra: Partial<TaskEvent> = {},
): TaskEvent {
  return {
    kind: 'task',
    type,
    uuid,
    hostname: type === 'task-sent' ? 'gen1@producer' : 'w1@vm',
    timestamp,
    utcoffset: 0,
    pid: 1,
    clock: 1,
    ...extra,
  };
}

/** A hand-built result meta. */
export function resultMeta(taskId: string, status: string, extra: Partial<ResultMeta> = {}): ResultMeta {
  return {
    taskId,
    status,
    result: null,
    exception: null,
    traceback: null,
    children: [],
    dateDone: null,
    groupId: null,
    parentId: null,
    extended: null,
    ...extra,
  };
}

/** A hand-built peeked queue message. */
export function peeked(id: string, extra: Partial<PeekedMessage> = {}): PeekedMessage {
  return {
    position: 0,
    priorityStep: 0,
    id,
    name: 'app.add',
    args: [2, 3],
    kwargs: {},
    argsRepr: '(2, 3)',
    kwargsRepr: '{}',
    eta: null,
    expires: null,
    retries: 0,
    redelivered: false,
    bytes: 100,
    note: null,
    ...extra,
  };
}

/** An `events/received` action carrying `events`. */
export function eventsAction(at: number, ...events: TaskEvent[]): Action {
  return { type: 'events/received', at, events, malformed: 0, bytes: 0 };
}

/** A `results/read` action. */
export function resultsAction(at: number, via: 'scan' | 'get' | 'pubsub', ...metas: ResultMeta[]): Action {
  return { type: 'results/read', at, via, metas, malformed: 0 };
}
