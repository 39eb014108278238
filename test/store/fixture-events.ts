import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Json, JsonObject, TaskEvent, TaskEventType, WorkerEvent } from '../../src/celery/types.js';
import type { Action, InspectMethod, InspectReply, PeekedMessage } from '../../src/store/actions.js';
import type { Model } from '../../src/store/model.js';
import { reduceHealth } from '../../src/store/reduce-health.js';
import { reduceQueues } from '../../src/store/reduce-queues.js';
import { reduceWorkers } from '../../src/store/reduce-workers.js';

/**
 * Real Celery 5.2 captures (test/fixtures/celery-5.2) turned into the typed values the store
 * receives, by a deliberately tiny local mapping: these tests exercise the store, not the
 * decoders, and must not break when a decoder changes.
 */
const dir = fileURLToPath(new URL('../fixtures/celery-5.2/', import.meta.url));

/** qtop clock for tests: 2026-11-24 12:00:00 UTC, in ms. */
export const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);

/** The JSON inside a captured envelope's base64 body. */
export function fixtureBody(file: string): Json {
  const envelope = JSON.parse(fs.readFileSync(`${dir}${file}`, 'utf8')) as { body: string };
  return JSON.parse(Buffer.from(envelope.body, 'base64').toString('utf8')) as Json;
}

function num(obj: JsonObject, key: string): number | null {
  const value = obj[key];
  return typeof value === 'number' ? value : null;
}

function str(obj: JsonObject, key: string): string | null {
  const value = obj[key];
  return typeof value === 'string' ? value : null;
}

/** A worker-* event file as a WorkerEvent; `patch` overrides fields (hostname, timestamp…). */
export function workerEvent(file: string, patch: Partial<WorkerEvent> = {}): WorkerEvent {
  const o = fixtureBody(file) as JsonObject;
  const loadavg = Array.isArray(o.loadavg) ? (o.loadavg as [number, number, number]) : null;
  return {
    kind: 'worker',
    type: str(o, 'type') as WorkerEvent['type'],
    hostname: str(o, 'hostname')!,
    timestamp: num(o, 'timestamp')!,
    utcoffset: num(o, 'utcoffset'),
    pid: num(o, 'pid'),
    clock: num(o, 'clock'),
    freq: num(o, 'freq'),
    active: num(o, 'active'),
    processed: num(o, 'processed'),
    loadavg,
    swIdent: str(o, 'sw_ident'),
    swVer: str(o, 'sw_ver'),
    swSys: str(o, 'sw_sys'),
    ...patch,
  };
}

/** A task event file (single object or `task.multi` array) as TaskEvents (common fields only). */
export function taskEvents(file: string): TaskEvent[] {
  const body = fixtureBody(file);
  const items = (Array.isArray(body) ? body : [body]) as JsonObject[];
  return items.map((o) => ({
    kind: 'task',
    type: str(o, 'type') as TaskEventType,
    uuid: str(o, 'uuid')!,
    hostname: str(o, 'hostname')!,
    timestamp: num(o, 'timestamp')!,
    utcoffset: num(o, 'utcoffset'),
    pid: num(o, 'pid'),
    clock: num(o, 'clock'),
  }));
}

/** A pidbox reply file (`{node: value}`) as InspectReplies, `{error}` split out (wire doc 7.3). */
export function inspectReplies(file: string): InspectReply[] {
  return Object.entries(fixtureBody(file) as JsonObject).map(([node, value]) => {
    const error =
      value !== null && typeof value === 'object' && !Array.isArray(value) && typeof value.error === 'string'
        ? value.error
        : null;
    return { node, value, error };
  });
}

export function received(at: number, events: (TaskEvent | WorkerEvent)[], bytes = 100): Action {
  return { type: 'events/received', at, events, malformed: 0, bytes };
}

export function inspected(
  at: number,
  method: InspectMethod,
  replies: InspectReply[],
  silent: string[] = [],
): Action {
  return { type: 'inspect/replied', at, method, replies, silent };
}

/** Run actions through this engineer's domains (the full reducer also needs the task domain). */
export function apply(model: Model, ...actions: Action[]): void {
  for (const action of actions) {
    reduceHealth(model, action);
    reduceQueues(model, action);
    reduceWorkers(model, action);
  }
}

/** A peeked queue message with everything but the given fields at plain defaults. */
export function peeked(
  id: string | null,
  position: number,
  patch: Partial<PeekedMessage> = {},
): PeekedMessage {
  return {
    position,
    priorityStep: 0,
    id,
    name: 'app.add',
    args: [2, 3],
    kwargs: {},
    argsRepr: null,
    kwargsRepr: null,
    eta: null,
    expires: null,
    retries: 0,
    redelivered: false,
    bytes: 200,
    note: null,
    ...patch,
  };
}
