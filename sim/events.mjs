// Celery 5.2 events exactly as a worker publishes them (wire doc 6): the event objects with the
// fields and field order of the captured fixtures, serialized as Python's json.dumps does, and the
// kombu envelope (base64 body, headers {hostname}, delivery_mode 1). Task events travel in
// `task.multi` batches (a JSON array, at most 24 per PUBLISH); worker events one per PUBLISH.
// Hot path of the simulator and of the ingest benchmark: plain string building, no JSON.stringify.
import { randomUUID } from 'node:crypto';
import { pyDumps } from './pyjson.mjs';

/** Celery's event dispatcher flushes a `task.multi` buffer at this many events (wire doc 6.1). */
export const MULTI_LIMIT = 24;

/** A traceback as Celery 5.2 formats one (fixture event-task-failed.json, path replaced). */
export function tracebackFor(taskName, exception, line = 23) {
  const fn = taskName.split('.').pop();
  return (
    'Traceback (most recent call last):\n' +
    '  File "/usr/lib/python3/dist-packages/celery/app/trace.py", line 451, in trace_task\n' +
    '    R = retval = fun(*args, **kwargs)\n' +
    '                 ^^^^^^^^^^^^^^^^^^^^\n' +
    '  File "/usr/lib/python3/dist-packages/celery/app/trace.py", line 734, in __protected_call__\n' +
    '    return self.run(*args, **kwargs)\n' +
    '           ^^^^^^^^^^^^^^^^^^^^^^^^^\n' +
    `  File "/srv/app/tasks.py", line ${line}, in ${fn}\n` +
    `    raise ${exception}\n` +
    `${exception.replace(/^(\w+)\('(.*)'\)$/, '$1: $2')}\n`
  );
}

/** Epoch seconds with microseconds, like Python's time.time(). */
export function nowSeconds() {
  return (performance.timeOrigin + performance.now()) / 1000;
}

function q(text) {
  return pyDumps(text);
}

/**
 * A simulated worker's identity for event building: hostname, pid, Lamport clock. `prefix` is the
 * cached `{"hostname": "...", "utcoffset": 0, "pid": N, "clock": ` opening of every event.
 */
export function eventSource(hostname, pid) {
  return {
    hostname,
    pid,
    clock: 0,
    prefix: `{"hostname": ${q(hostname)}, "utcoffset": 0, "pid": ${pid}, "clock": `,
  };
}

function open(src) {
  src.clock += 1;
  return `${src.prefix}${src.clock}`;
}

function close(ts, type) {
  return `, "timestamp": ${ts}, "type": "${type}"}`;
}

/** `worker-online`, `worker-heartbeat` or `worker-offline` (freq 2.0, loadavg, sw_*). */
export function workerEventJson(src, type, ts, { active = 0, processed = 0, loadavg = [0, 0, 0] } = {}) {
  const load = loadavg.map((v) => (Number.isInteger(v) ? `${v}.0` : String(v))).join(', ');
  return (
    `${open(src)}, "freq": 2.0, "active": ${active}, "processed": ${processed}, "loadavg": [${load}], ` +
    `"sw_ident": "py-celery", "sw_ver": "5.2.6", "sw_sys": "Linux"${close(ts, type)}`
  );
}

/**
 * `task-received`. `task` carries `id`, `name`, `argsRepr`, `kwargsRepr`, `retries`, `eta`,
 * `rootId`, `parentId` (the last three default to none / the task itself).
 */
export function receivedJson(src, task, ts) {
  return (
    `${open(src)}, "uuid": "${task.id}", "name": ${q(task.name)}, "args": ${q(task.argsRepr)}, ` +
    `"kwargs": ${q(task.kwargsRepr)}, "root_id": "${task.rootId ?? task.id}", ` +
    `"parent_id": ${task.parentId ? `"${task.parentId}"` : 'null'}, "retries": ${task.retries ?? 0}, ` +
    `"eta": ${task.eta ? q(task.eta) : 'null'}, "expires": null${close(ts, 'task-received')}`
  );
}

export function startedJson(src, id, ts) {
  return `${open(src)}, "uuid": "${id}"${close(ts, 'task-started')}`;
}

/** `result` is the Python repr of the return value. */
export function succeededJson(src, id, ts, resultRepr, runtime) {
  return `${open(src)}, "uuid": "${id}", "result": ${q(resultRepr)}, "runtime": ${runtime}${close(ts, 'task-succeeded')}`;
}

export function failedJson(src, id, ts, exception, traceback) {
  return `${open(src)}, "uuid": "${id}", "exception": ${q(exception)}, "traceback": ${q(traceback)}${close(ts, 'task-failed')}`;
}

export function retriedJson(src, id, ts, exception, traceback) {
  return `${open(src)}, "uuid": "${id}", "exception": ${q(exception)}, "traceback": ${q(traceback)}${close(ts, 'task-retried')}`;
}

export function revokedJson(src, id, ts, terminated = false, signum = null) {
  return (
    `${open(src)}, "uuid": "${id}", "terminated": ${terminated}, "signum": ${signum ?? 'null'}, ` +
    `"expired": false${close(ts, 'task-revoked')}`
  );
}

/** The kombu envelope of one event PUBLISH (wire doc 6.2). `bodyJson` is an object or an array. */
export function eventEnvelope(bodyJson, routingKey, hostname, exchange = 'celeryev') {
  const body = Buffer.from(bodyJson, 'utf8').toString('base64');
  return (
    `{"body": "${body}", "content-encoding": "utf-8", "content-type": "application/json", ` +
    `"headers": {"hostname": ${q(hostname)}}, "properties": {"delivery_mode": 1, ` +
    `"delivery_info": {"exchange": ${q(exchange)}, "routing_key": "${routingKey}"}, "priority": 0, ` +
    `"body_encoding": "base64", "delivery_tag": "${randomUUID()}"}}`
  );
}

/** Split task event JSON texts into `task.multi` bodies of at most MULTI_LIMIT events. */
export function multiBodies(events, limit = MULTI_LIMIT) {
  const bodies = [];
  for (let i = 0; i < events.length; i += limit) bodies.push(`[${events.slice(i, i + limit).join(', ')}]`);
  return bodies;
}
