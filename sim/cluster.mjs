// A wire-level Celery 5.2 cluster simulator: N workers and a producer that write to Redis exactly
// what real ones write (wire doc sections 3-7), so qtop (or Flower, or `celery events`) cannot tell
// the difference on the wire. It is a load source for benchmarks and the demo, never a substitute
// for real workers in interop tests.
//
// What each simulated worker does, per tick (50 ms):
// - takes messages from its queues with RPOP (kombu's BRPOP takes from the right), priority step 0
//   first, up to its prefetch limit (concurrency x prefetch multiplier), and records each in the
//   `unacked` hash + `unacked_index` (wire doc 3.3), then sends `task-received`;
// - starts reserved tasks in free pool slots (ETA tasks wait in `unacked` until due), acking them
//   (HDEL + ZREM, acks_late=False) and sending `task-started`;
// - finishes tasks after a runtime drawn from the configured distribution: `task-succeeded`, or
//   `task-failed` with a traceback, or `task-retried` plus the retry message (same id, retries+1,
//   an ETA) pushed back onto its queue, as `self.retry(countdown=...)` does;
// - publishes task events in `task.multi` batches of at most 24 per PUBLISH, and `worker-online`,
//   a `worker-heartbeat` every 2 s (freq 2.0) and `worker-offline` on its own routing keys;
// - answers pidbox requests (ping, stats, active, reserved, scheduled, active_queues, registered,
//   revoked, query_task, clock, and the control commands revoke/terminate, enable/disable_events,
//   heartbeat, pool_grow/shrink, rate_limit, time_limit, add/cancel_consumer, shutdown).
// The producer LPUSHes real protocol-2 messages (encodeTaskMessage) at a Poisson rate after
// declaring every queue's binding. Simplification: kombu rotates queues inside one BRPOP per
// worker; here each tick serves the workers in rotation, each taking from its queues in step order.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { Redis } from 'ioredis';
import * as names from '../dist/src/celery/names.js';
import { wireOptions } from '../dist/src/celery/options.js';
import { toPythonRepr } from '../dist/src/celery/py-repr.js';
import { encodeTaskMessage } from '../dist/src/celery/task-encode.js';
import { parseRedisUrl } from '../dist/src/redis/url.js';
import {
  eventEnvelope,
  eventSource,
  failedJson,
  multiBodies,
  nowSeconds,
  receivedJson,
  retriedJson,
  revokedJson,
  startedJson,
  succeededJson,
  tracebackFor,
  workerEventJson,
} from './events.mjs';
import { startPidbox } from './pidbox.mjs';
import { pyDumps, pyFloat } from './pyjson.mjs';
import { parseDistribution, poisson, rng, zipfPicker } from './random.mjs';

export const simulatorDefaults = Object.freeze({
  /** Broker URL; null starts a private redis-server (stopped with the simulator). */
  broker: null,
  workers: 10,
  /** Pool slots per worker. */
  concurrency: 4,
  prefetchMultiplier: 4,
  /** Number of queues (the first is `celery`). */
  queues: 4,
  /** How many of the last queues have no consumer (their backlog only grows). */
  idleQueues: 0,
  /** A count, or an array / comma list of task names. */
  taskNames: 8,
  /** Task arrivals per second (Poisson). */
  rate: 20,
  /** Runtime distribution in seconds (random.mjs parseDistribution); scaled per task name. */
  runtime: 'lognormal:0.2:1',
  /** Share of runs that raise; a part of them retry (retryShare) while retries < maxRetries. */
  failureRate: 0.05,
  retryShare: 0.3,
  maxRetries: 3,
  /** Share of messages sent with a priority 1..9, and with an ETA 2-10 s ahead. */
  priorityRate: 0.1,
  etaRate: 0.01,
  /** Most task events per second (the producer slows down to stay under it). */
  eventRate: Number.POSITIVE_INFINITY,
  /** Seconds until the simulator stops by itself; Infinity runs until stop(). */
  duration: 60,
  seed: 1,
  tickMs: 50,
  heartbeatSec: 2,
  /** Write result meta (SETEX + PUBLISH celery-task-meta-{id}, 1 h TTL) as a Redis backend does. */
  results: false,
  /** Delete every key the simulator made when it stops (queues, bindings, unacked entries, results). */
  clean: true,
  hostnamePrefix: 'sim',
  /** The producer pauses while this many messages wait in the queues. */
  maxBacklog: 200_000,
  /** kombu global_keyprefix. */
  keyprefix: '',
  /** Called with an Error the simulator survived (a failed pipeline); default: ignore. */
  onError: null,
});

const TASK_NAMES = [
  'orders.process',
  'emails.send',
  'reports.build',
  'images.resize',
  'payments.charge',
  'search.index',
  'cache.warm',
  'webhooks.deliver',
];
const QUEUE_NAMES = ['celery', 'emails', 'reports', 'images', 'payments', 'search', 'webhooks', 'bulk'];
const EXCEPTIONS = [
  "ValueError('invalid input')",
  "ConnectionError('upstream refused the connection')",
  "KeyError('customer_id')",
  "TimeoutError('gave up after 30 s')",
];

function taskNameList(spec) {
  if (Array.isArray(spec)) return spec;
  if (typeof spec === 'string' && !/^\d+$/.test(spec)) return spec.split(',').filter(Boolean);
  const n = Math.max(1, Number(spec));
  return Array.from({ length: n }, (_, i) => TASK_NAMES[i] ?? `sim.task_${i}`);
}

function queueNameList(n) {
  const width = String(n).length;
  return Array.from({ length: n }, (_, i) => QUEUE_NAMES[i] ?? `queue-${String(i).padStart(width, '0')}`);
}

function isoUtc(ms) {
  // Python's isoformat of an aware UTC datetime: microseconds and +00:00.
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

/** A message taken from a queue, as a worker's Request knows it. */
function decodeMessage(raw, queue, receivedAt) {
  let envelope;
  try {
    envelope = JSON.parse(raw);
  } catch {
    return null;
  }
  const h = envelope?.headers;
  const p = envelope?.properties;
  if (!h?.task || !h.id || !p?.delivery_tag) return null; // a poison message (wire doc 5)
  let eta = null;
  if (typeof h.eta === 'string') {
    const parsed = Date.parse(/[zZ]|[+-]\d{2}:\d{2}$/.test(h.eta) ? h.eta : `${h.eta}Z`);
    eta = Number.isNaN(parsed) ? null : parsed;
  }
  return {
    id: h.id,
    name: h.task,
    raw,
    envelope,
    queue,
    priority: Number(p.priority ?? 0),
    tag: p.delivery_tag,
    retries: Number(h.retries ?? 0),
    eta,
    etaText: h.eta ?? null,
    argsRepr: h.argsrepr ?? '()',
    kwargsRepr: h.kwargsrepr ?? '{}',
    rootId: h.root_id ?? h.id,
    parentId: h.parent_id ?? null,
    receivedAt,
  };
}

/** [args, kwargs] of a taken message (decoded only when an inspect reply or a retry needs it). */
function callOf(msg) {
  try {
    const { body } = msg.envelope;
    const text =
      msg.envelope.properties.body_encoding === 'base64'
        ? Buffer.from(body, 'base64').toString('utf8')
        : body;
    const [args, kwargs] = JSON.parse(text);
    return [Array.isArray(args) ? args : [], kwargs && typeof kwargs === 'object' ? kwargs : {}];
  } catch {
    return [[], {}];
  }
}

/**
 * Start the simulated cluster. Resolves once every worker is online (bindings declared,
 * worker-online sent, pidbox subscribed). Returns `{broker, workers, queues, stats(), stop(),
 * done}`: `done` resolves when the simulator has stopped (by `duration` or `stop()`).
 */
export async function startSimulator(input = {}) {
  const o = { ...simulatorDefaults, ...input };
  if (!(o.workers >= 1 && o.workers <= 1_000)) throw new Error('workers must be 1..1000');
  if (!(o.queues >= 1 && o.queues <= 5_000)) throw new Error('queues must be 1..5000');
  if (!(o.idleQueues >= 0 && o.idleQueues < o.queues))
    throw new Error('idle queues must leave one consumed queue');
  const runtime = parseDistribution(o.runtime);
  const random = rng(o.seed);

  let server = null;
  let brokerUrl = o.broker;
  if (!brokerUrl) {
    // Only the benchmarks start without a broker; the package (qtop demo) always passes one, so
    // the bench helper is loaded here and never shipped.
    const { startRedisServer } = await import('../bench/sim/proc.mjs');
    server = await startRedisServer();
    brokerUrl = server.url(0);
  }
  const parsed = parseRedisUrl(brokerUrl);
  if (!parsed.ok) throw new Error(`bad broker URL: ${parsed.reason}`);
  const opts = wireOptions({ db: parsed.value.db, globalKeyprefix: o.keyprefix });
  const redis = new Redis(brokerUrl, { maxRetriesPerRequest: 2, lazyConnect: true });
  const subscriber = new Redis(brokerUrl, { maxRetriesPerRequest: 2, lazyConnect: true });
  for (const client of [redis, subscriber]) client.on('error', () => {});
  await redis.connect();
  await subscriber.connect();

  const host = os.hostname();
  const taskNames = taskNameList(o.taskNames);
  const queueNames = queueNameList(o.queues);
  const consumed = queueNames.slice(0, o.queues - o.idleQueues);
  const pickName = zipfPicker(taskNames.length, 0.8);
  const pickQueue = zipfPicker(queueNames.length, 0.8);
  // Per task name: a runtime scale (0.25x..4x), a failure weight, args and a result shape.
  const profiles = taskNames.map((name, i) => ({
    name,
    scale: i === 0 ? 1 : 2 ** (random() * 4 - 2),
    failure: i === taskNames.length - 1 && taskNames.length > 2 ? 4 : 1,
    exception: EXCEPTIONS[i % EXCEPTIONS.length],
  }));
  const profileOf = new Map(profiles.map((p) => [p.name, p]));

  const width = String(o.workers).length;
  const workers = Array.from({ length: o.workers }, (_, i) => {
    const hostname = `${o.hostnamePrefix}${String(i + 1).padStart(width, '0')}@${host}`;
    const pid = 20_000 + i * 10;
    return {
      hostname,
      pid,
      src: eventSource(hostname, pid),
      concurrency: o.concurrency,
      queues: [],
      reserved: [],
      active: new Map(),
      processed: 0,
      totals: {},
      taskEvents: true,
      online: false,
      startedAt: Date.now(),
      nextHeartbeat: 0,
      revoked: new Set(),
      buffer: [],
      gossip: `worker.#${opts.sep}${opts.sep}celeryev.${randomUUID()}`,
    };
  });
  const byHostname = new Map(workers.map((w) => [w.hostname, w]));
  // Queues: every worker consumes at least one and every consumed queue has a consumer.
  if (consumed.length <= workers.length) {
    for (const [i, w] of workers.entries()) w.queues.push(consumed[i % consumed.length]);
  } else {
    for (const [i, q] of consumed.entries()) workers[i % workers.length].queues.push(q);
  }

  const stats = {
    startedAt: Date.now(),
    tasksSent: 0,
    received: 0,
    started: 0,
    succeeded: 0,
    failed: 0,
    retried: 0,
    revoked: 0,
    taskEvents: 0,
    workerEvents: 0,
    eventMessages: 0,
    eventBytes: 0,
    poison: 0,
    throttled: 0,
    errors: 0,
  };
  /** Believed length of every list key (own LPUSHes, RPOP results, LLEN refresh every 5 s). */
  const estimate = new Map();
  const resultIds = [];
  let tokens = Number.isFinite(o.eventRate) ? o.eventRate : 0;
  let arrivals = 0;
  let rotation = 0;
  let lastTick = Date.now();
  let lastRefresh = 0;
  let running = true;

  const listKeys = (queue) => names.queueListKeys(opts, queue).map((entry) => entry.key);
  const taskChannel = names.eventChannel(opts, 'task.multi');
  const fail = (error) => {
    stats.errors += 1;
    o.onError?.(error);
  };

  function publishWorkerEvent(pipe, w, type, extra) {
    const routingKey = names.eventRoutingKey(type);
    const json =
      extra === 'wakeup'
        ? `${w.src.prefix}${++w.src.clock}, "freq": 5, "sw_ident": "py-celery", "sw_ver": "5.2.6", "sw_sys": "Linux", "timestamp": ${nowSeconds()}, "type": "${type}"}`
        : workerEventJson(w.src, type, nowSeconds(), {
            active: w.active.size,
            processed: w.processed,
            loadavg: os.loadavg().map((v) => Math.round(v * 100) / 100),
          });
    const envelope = eventEnvelope(json, routingKey, w.hostname);
    pipe.publish(names.eventChannel(opts, routingKey), envelope);
    stats.workerEvents += 1;
    stats.eventMessages += 1;
    stats.eventBytes += envelope.length;
  }

  function emit(w, json) {
    if (w.taskEvents) w.buffer.push(json);
  }

  function flushEvents(pipe) {
    for (const w of workers) {
      if (w.buffer.length === 0) continue;
      stats.taskEvents += w.buffer.length;
      for (const body of multiBodies(w.buffer)) {
        const envelope = eventEnvelope(body, 'task.multi', w.hostname);
        pipe.publish(taskChannel, envelope);
        stats.eventMessages += 1;
        stats.eventBytes += envelope.length;
      }
      w.buffer = [];
    }
  }

  function publishTask(pipe, spec) {
    const encoded = encodeTaskMessage({ origin: `gen${process.pid}@${host}`, ...spec }, opts);
    if (!encoded.ok) throw new Error(`simulator built a bad task: ${encoded.reason}`);
    pipe.lpush(encoded.value.listKey, encoded.value.raw);
    estimate.set(encoded.value.listKey, (estimate.get(encoded.value.listKey) ?? 0) + 1);
    return encoded.value;
  }

  function produce(now, dt, pipe) {
    arrivals += o.rate * dt;
    let n = poisson(random, arrivals);
    arrivals = 0;
    if (Number.isFinite(o.eventRate)) {
      tokens = Math.min(o.eventRate, tokens + o.eventRate * dt);
      const allowed = Math.floor(tokens / 3);
      if (n > allowed) {
        stats.throttled += n - allowed;
        n = allowed;
      }
      tokens -= n * 3;
    }
    let backlog = 0;
    for (const v of estimate.values()) backlog += v;
    if (backlog >= o.maxBacklog) {
      stats.throttled += n;
      return;
    }
    for (let i = 0; i < n; i++) {
      const profile = profiles[pickName(random)];
      const queue = queueNames[pickQueue(random)];
      const spec = {
        name: profile.name,
        args: [Math.floor(random() * 100_000)],
        kwargs: random() < 0.3 ? { attempt: 1, source: 'api' } : {},
        queue,
      };
      if (random() < o.priorityRate) spec.priority = 1 + Math.floor(random() * 9);
      if (random() < o.etaRate) spec.eta = isoUtc(now + 2_000 + random() * 8_000);
      publishTask(pipe, spec);
      stats.tasksSent += 1;
    }
  }

  function ack(pipe, msg) {
    pipe.hdel(names.unackedKey(opts), msg.tag);
    pipe.zrem(names.unackedIndexKey(opts), msg.tag);
  }

  function finish(pipe, w, run) {
    const { msg } = run;
    const ts = run.finishAt / 1000;
    const profile = profileOf.get(msg.name);
    w.active.delete(msg.id);
    w.processed += 1;
    w.totals[msg.name] = (w.totals[msg.name] ?? 0) + 1;
    const exception = profile?.exception ?? EXCEPTIONS[0];
    if (random() < o.failureRate * (profile?.failure ?? 1)) {
      if (msg.retries < o.maxRetries && random() < o.retryShare) {
        const countdown = 1 + Math.floor(random() * 4);
        const traceback = `${tracebackFor(msg.name, exception, 28)}celery.exceptions.Retry: Retry in ${countdown}s: ${exception}\n`;
        emit(w, retriedJson(w.src, msg.id, ts, exception, traceback));
        stats.retried += 1;
        const [args, kwargs] = callOf(msg);
        publishTask(pipe, {
          name: msg.name,
          args,
          kwargs,
          queue: msg.queue,
          priority: msg.priority,
          id: msg.id,
          retries: msg.retries + 1,
          rootId: msg.rootId,
          parentId: msg.id,
          eta: isoUtc(run.finishAt + countdown * 1000),
          argsRepr: msg.argsRepr,
          kwargsRepr: msg.kwargsRepr,
        });
        writeResult(pipe, msg, 'RETRY', null, traceback, exception);
        return;
      }
      const traceback = tracebackFor(msg.name, exception);
      emit(w, failedJson(w.src, msg.id, ts, exception, traceback));
      stats.failed += 1;
      writeResult(pipe, msg, 'FAILURE', null, traceback, exception);
      return;
    }
    const result = msg.name.startsWith('emails') ? null : { ok: true, n: msg.argsRepr.length };
    emit(w, succeededJson(w.src, msg.id, ts, toPythonRepr(result), run.runtime));
    stats.succeeded += 1;
    writeResult(pipe, msg, 'SUCCESS', result, null, null);
  }

  function writeResult(pipe, msg, status, result, traceback, exception) {
    if (!o.results) return;
    const excType = exception ? /^(\w+)\(/.exec(exception)?.[1] : null;
    const meta = pyDumps({
      status,
      result: exception
        ? {
            exc_type: excType,
            exc_message: [exception.replace(/^\w+\('(.*)'\)$/, '$1')],
            exc_module: 'builtins',
          }
        : result,
      traceback,
      children: [],
      date_done: status === 'RETRY' ? null : new Date().toISOString().replace('Z', '000'),
      task_id: msg.id,
    });
    const key = names.resultKey(msg.id);
    pipe.setex(key, 3600, meta);
    pipe.publish(key, meta);
    resultIds.push(msg.id);
  }

  function startReady(pipe, w, now) {
    for (let i = 0; i < w.reserved.length && w.active.size < w.concurrency; ) {
      const msg = w.reserved[i];
      if (msg.eta !== null && msg.eta > now) {
        i += 1;
        continue;
      }
      w.reserved.splice(i, 1);
      ack(pipe, msg);
      if (w.revoked.has(msg.id)) {
        emit(w, revokedJson(w.src, msg.id, now / 1000));
        stats.revoked += 1;
        continue;
      }
      const profile = profileOf.get(msg.name);
      const seconds = runtime.sample(random) * (profile?.scale ?? 1);
      emit(w, startedJson(w.src, msg.id, now / 1000));
      stats.started += 1;
      w.active.set(msg.id, {
        msg,
        startedAt: now / 1000,
        finishAt: now + seconds * 1000,
        runtime: seconds,
        pid: w.pid + 1 + (w.active.size % w.concurrency),
      });
    }
  }

  function advance(pipe, w, now) {
    if (!w.online) return;
    for (const run of [...w.active.values()]) if (run.finishAt <= now) finish(pipe, w, run);
    startReady(pipe, w, now);
    if (now >= w.nextHeartbeat) {
      publishWorkerEvent(pipe, w, 'worker-heartbeat');
      w.nextHeartbeat += o.heartbeatSec * 1000;
      if (w.nextHeartbeat < now) w.nextHeartbeat = now + o.heartbeatSec * 1000;
    }
  }

  /** RPOPs for this tick: workers in rotation, each filling its prefetch from its queues in step order. */
  function planTakes() {
    const plan = [];
    const n = workers.length;
    rotation = (rotation + 1) % n;
    for (let k = 0; k < n; k++) {
      const w = workers[(rotation + k) % n];
      if (!w.online) continue;
      let room = w.concurrency * o.prefetchMultiplier - w.reserved.length;
      if (room <= 0) continue;
      for (const step of opts.prioritySteps) {
        for (const queue of w.queues) {
          if (room <= 0) break;
          const key = names.queueListKey(opts, queue, step);
          const have = estimate.get(key) ?? 0;
          if (have <= 0) continue;
          const take = Math.min(room, have);
          estimate.set(key, have - take);
          room -= take;
          plan.push({ w, key, queue, take });
        }
      }
    }
    return plan;
  }

  async function refreshEstimates() {
    const pipe = redis.pipeline();
    const keys = queueNames.flatMap(listKeys);
    for (const key of keys) pipe.llen(key);
    const replies = await pipe.exec();
    keys.forEach((key, i) => {
      const [error, length] = replies[i];
      if (!error) estimate.set(key, Number(length));
    });
  }

  async function tick() {
    const now = Date.now();
    const dt = Math.min(1, (now - lastTick) / 1000);
    lastTick = now;
    if (now - lastRefresh >= 5_000) {
      lastRefresh = now;
      await refreshEstimates();
    }
    const pipe = redis.pipeline();
    produce(now, dt, pipe);
    for (const w of workers) advance(pipe, w, now);
    flushEvents(pipe);
    const plan = planTakes();
    for (const p of plan) pipe.rpop(p.key, p.take);
    const replies = await pipe.exec();
    const taken = replies.slice(replies.length - plan.length);
    const second = redis.pipeline();
    const touched = new Set();
    for (const [i, p] of plan.entries()) {
      const [error, popped] = taken[i];
      if (error) {
        fail(error);
        continue;
      }
      const list = popped ?? [];
      if (list.length < p.take) estimate.set(p.key, 0);
      for (const raw of list) {
        const msg = decodeMessage(raw, p.queue, now);
        if (!msg) {
          stats.poison += 1; // a real 5.2 worker would die here; the simulator drops it
          continue;
        }
        second.hset(names.unackedKey(opts), msg.tag, `[${raw}, "", ${pyDumps(p.queue)}]`);
        second.zadd(names.unackedIndexKey(opts), now / 1000, msg.tag);
        p.w.reserved.push(msg);
        emit(p.w, receivedJson(p.w.src, msg, now / 1000));
        stats.received += 1;
        touched.add(p.w);
      }
    }
    for (const w of touched) startReady(second, w, now);
    flushEvents(second);
    if (second.length > 0) await second.exec();
  }

  // ---- pidbox: inspect and control ----
  function requestInfo(w, msg, run) {
    const [args, kwargs] = callOf(msg);
    return {
      id: msg.id,
      name: msg.name,
      args,
      kwargs,
      type: msg.name,
      hostname: w.hostname,
      time_start: run ? run.startedAt : null,
      acknowledged: Boolean(run),
      delivery_info: { exchange: '', routing_key: msg.queue, priority: msg.priority, redelivered: null },
      worker_pid: run ? run.pid : null,
    };
  }

  function queueDeclaration(queue) {
    const exchange = {
      name: queue,
      type: 'direct',
      arguments: null,
      durable: true,
      passive: false,
      auto_delete: false,
      delivery_mode: null,
      no_declare: false,
    };
    return {
      name: queue,
      exchange,
      routing_key: queue,
      queue_arguments: null,
      binding_arguments: null,
      consumer_arguments: null,
      durable: true,
      exclusive: false,
      auto_delete: false,
      no_ack: false,
      alias: null,
      bindings: [],
      no_declare: null,
      expires: null,
      message_ttl: null,
      max_length: null,
      max_length_bytes: null,
      max_priority: null,
    };
  }

  function statsReply(w) {
    const uptime = Math.round((Date.now() - w.startedAt) / 1000);
    const processes = Array.from({ length: w.concurrency }, (_, i) => w.pid + 1 + i);
    const share = (1 / w.concurrency).toFixed(2);
    return {
      total: w.totals,
      pid: w.pid,
      clock: String(w.src.clock),
      uptime,
      pool: {
        'max-concurrency': w.concurrency,
        processes,
        'max-tasks-per-child': 'N/A',
        'put-guarded-by-semaphore': false,
        timeouts: [0, 0],
        writes: {
          total: w.processed,
          avg: share,
          all: processes.map(() => share).join(', '),
          raw: processes.map(() => String(Math.floor(w.processed / w.concurrency))).join(', '),
          strategy: 'fair',
          inqueues: { total: w.concurrency, active: w.active.size },
        },
      },
      broker: {
        hostname: parsed.value.host ?? '127.0.0.1',
        userid: null,
        virtual_host: String(opts.db),
        port: parsed.value.port ?? 6379,
        insist: false,
        ssl: false,
        transport: 'redis',
        connect_timeout: 4,
        transport_options: {},
        login_method: null,
        uri_prefix: null,
        heartbeat: pyFloat(120),
        failover_strategy: 'round-robin',
        alternates: [],
      },
      prefetch_count: w.concurrency * o.prefetchMultiplier,
      rusage: {
        utime: pyFloat(uptime * 0.01),
        stime: pyFloat(uptime * 0.003),
        maxrss: 45_548,
        ixrss: 0,
        idrss: 0,
        isrss: 0,
        minflt: 16_308,
        majflt: 0,
        nswap: 0,
        inblock: 0,
        oublock: 0,
        msgsnd: 0,
        msgrcv: 0,
        nsignals: 0,
        nvcsw: 605,
        nivcsw: 141,
      },
    };
  }

  const ok = (value) => ({ ok: value });

  function revoke(pipe, w, args, forceTerminate) {
    const ids = [...new Set([args.task_id ?? []].flat().filter((id) => typeof id === 'string'))];
    for (const id of ids) w.revoked.add(id);
    if (!(forceTerminate || args.terminate)) return ok(`tasks ${ids.join(', ')} flagged as revoked`);
    const signal = String(args.signal ?? 'TERM').replace(/^SIG/, '');
    const signum = { KILL: 9, TERM: 15, INT: 2, HUP: 1, QUIT: 3, USR1: 10 }[signal] ?? 15;
    const terminated = [];
    for (const id of ids) {
      const run = w.active.get(id);
      if (!run) continue;
      w.active.delete(id);
      emit(w, revokedJson(w.src, id, nowSeconds(), true, signum));
      stats.revoked += 1;
      terminated.push(id);
    }
    flushEvents(pipe);
    return ok(terminated.length ? `terminate: ${terminated.join(', ')}` : 'terminate: tasks unknown');
  }

  async function shutdownWorker(w, restore) {
    if (!w.online) return;
    w.online = false;
    const pipe = redis.pipeline();
    flushEvents(pipe);
    // Warm shutdown: reserved messages go back to their queue (kombu 5.2: RPUSH on the base list).
    for (const msg of w.reserved) {
      if (restore) pipe.rpush(names.queueListKey(opts, msg.queue, 0), msg.raw);
      ack(pipe, msg);
    }
    w.reserved = [];
    publishWorkerEvent(pipe, w, 'worker-offline');
    pipe.srem(
      names.mailboxBindingKey(opts),
      `${opts.sep}${opts.sep}${w.hostname}.${names.mailboxExchange(opts)}`,
    );
    pipe.srem(names.bindingKey(opts, opts.eventExchange), w.gossip);
    await pipe.exec();
  }

  async function control(w, method, args) {
    const pipe = redis.pipeline();
    let value;
    switch (method) {
      case 'ping':
        value = ok('pong');
        break;
      case 'stats':
        value = statsReply(w);
        break;
      case 'active':
        value = [...w.active.values()].map((run) => requestInfo(w, run.msg, run));
        break;
      case 'reserved':
        value = w.reserved.filter((m) => m.eta === null).map((m) => requestInfo(w, m, null));
        break;
      case 'scheduled':
        value = w.reserved
          .filter((m) => m.eta !== null)
          .map((m) => ({ eta: isoUtc(m.eta), priority: 6, request: requestInfo(w, m, null) }));
        break;
      case 'active_queues':
        value = w.queues.map(queueDeclaration);
        break;
      case 'registered':
        value = [...taskNames].sort();
        break;
      case 'revoked':
        value = [...w.revoked];
        break;
      case 'clock':
        value = { clock: w.src.clock };
        break;
      case 'query_task': {
        value = {};
        for (const id of [args.ids ?? []].flat()) {
          const run = w.active.get(id);
          const msg = w.reserved.find((m) => m.id === id);
          if (run) value[id] = ['active', requestInfo(w, run.msg, run)];
          else if (msg) value[id] = ['reserved', requestInfo(w, msg, null)];
        }
        break;
      }
      case 'revoke':
        value = revoke(pipe, w, args, false);
        break;
      case 'terminate':
        value = revoke(pipe, w, args, true);
        break;
      case 'enable_events':
        value = ok(w.taskEvents ? 'task events already enabled' : 'task events enabled');
        w.taskEvents = true;
        break;
      case 'disable_events':
        value = ok(w.taskEvents ? 'task events disabled' : 'task events already disabled');
        w.taskEvents = false;
        break;
      case 'heartbeat':
        publishWorkerEvent(pipe, w, 'worker-heartbeat', 'wakeup');
        value = null;
        break;
      case 'pool_grow':
        w.concurrency += Math.max(1, Number(args.n ?? 1));
        value = ok('pool will grow');
        break;
      case 'pool_shrink':
        w.concurrency = Math.max(1, w.concurrency - Math.max(1, Number(args.n ?? 1)));
        value = ok('pool will shrink');
        break;
      case 'autoscale':
        value = { error: "ValueError('Autoscale not enabled')" };
        break;
      case 'rate_limit':
        // Acknowledged as a worker does; the simulator does not throttle by it.
        value = taskNames.includes(args.task_name)
          ? ok(args.rate_limit ? 'new rate limit set successfully' : 'rate limit disabled successfully')
          : { error: 'unknown task' };
        break;
      case 'time_limit':
        value = taskNames.includes(args.task_name)
          ? ok('time limits set successfully')
          : { error: 'unknown task' };
        break;
      case 'add_consumer': {
        const queue = String(args.queue ?? '');
        if (queue && !w.queues.includes(queue)) {
          w.queues.push(queue);
          pipe.sadd(names.bindingKey(opts, queue), names.bindingMember(opts, queue, '', queue));
          for (const key of listKeys(queue)) if (!estimate.has(key)) estimate.set(key, 0);
          lastRefresh = 0; // look for messages already waiting there
        }
        value = ok(`add consumer ${queue}`);
        break;
      }
      case 'cancel_consumer': {
        const queue = String(args.queue ?? '');
        w.queues = w.queues.filter((q) => q !== queue);
        value = ok(`no longer consuming from ${queue}`);
        break;
      }
      case 'shutdown':
        await shutdownWorker(w, true);
        return undefined;
      default:
        value = { error: `KeyError('${method}')` };
    }
    if (pipe.length > 0) await pipe.exec();
    return { value, clock: ++w.src.clock };
  }

  // ---- start-up ----
  {
    const pipe = redis.pipeline();
    for (const queue of queueNames) {
      pipe.sadd(names.bindingKey(opts, queue), names.bindingMember(opts, queue, '', queue));
      for (const key of listKeys(queue)) estimate.set(key, 0);
    }
    await pipe.exec();
  }
  await refreshEstimates(); // messages left by an earlier run are consumed too
  lastRefresh = Date.now();
  const pidbox = await startPidbox({
    subscriber,
    redis,
    names,
    opts,
    hostnames: () => workers.filter((w) => w.online).map((w) => w.hostname),
    handle: (hostname, method, args) => {
      const w = byHostname.get(hostname);
      return w?.online ? control(w, method, args) : undefined;
    },
    onError: fail,
  });
  {
    const pipe = redis.pipeline();
    const now = Date.now();
    for (const w of workers) {
      pipe.sadd(
        names.mailboxBindingKey(opts),
        `${opts.sep}${opts.sep}${w.hostname}.${names.mailboxExchange(opts)}`,
      );
      pipe.sadd(names.bindingKey(opts, opts.eventExchange), w.gossip);
      w.online = true;
      w.startedAt = now;
      publishWorkerEvent(pipe, w, 'worker-online');
      // Heartbeats every 2 s from each worker, spread over the period like independent processes.
      w.nextHeartbeat = now + random() * o.heartbeatSec * 1000;
    }
    await pipe.exec();
  }

  let stopRequested = null;
  const stopSignal = new Promise((resolve) => {
    stopRequested = resolve;
  });
  const durationTimer = Number.isFinite(o.duration)
    ? setTimeout(() => stopRequested(), Math.max(0, o.duration * 1000))
    : null;
  const loop = (async () => {
    while (running) {
      const began = Date.now();
      try {
        await tick();
      } catch (error) {
        fail(error);
      }
      const wait = Math.max(0, o.tickMs - (Date.now() - began));
      await Promise.race([new Promise((r) => setTimeout(r, wait)), stopSignal]);
    }
  })();

  async function cleanUp() {
    const pipe = redis.pipeline();
    for (const queue of queueNames) {
      pipe.del(...listKeys(queue));
      pipe.del(names.bindingKey(opts, queue));
    }
    for (const w of workers) for (const q of w.queues) if (!queueNames.includes(q)) pipe.del(...listKeys(q));
    await pipe.exec();
    for (let i = 0; i < resultIds.length; i += 1_000) {
      await redis.del(...resultIds.slice(i, i + 1_000).map((id) => names.resultKey(id)));
    }
  }

  const done = (async () => {
    await stopSignal;
    running = false;
    if (durationTimer) clearTimeout(durationTimer);
    await loop;
    try {
      await pidbox.stop();
      // Running tasks finish as their runtime says only in a real warm shutdown; the simulator
      // ends them now, so nothing it started stays RECEIVED/STARTED forever on screen.
      for (const w of workers) await shutdownWorker(w, !o.clean);
      if (o.clean) await cleanUp();
    } catch (error) {
      fail(error);
    }
    redis.disconnect();
    subscriber.disconnect();
    if (server) await server.stop();
  })();

  return {
    broker: brokerUrl,
    workers: workers.map((w) => w.hostname),
    queues: queueNames,
    options: o,
    /** Counters since start, plus the current backlog, reserved and active counts. */
    stats() {
      let backlog = 0;
      for (const v of estimate.values()) backlog += v;
      let reserved = 0;
      let active = 0;
      for (const w of workers) {
        reserved += w.reserved.length;
        active += w.active.size;
      }
      return {
        ...stats,
        elapsedSec: (Date.now() - stats.startedAt) / 1000,
        workersOnline: workers.filter((w) => w.online).length,
        backlog,
        reserved,
        active,
        pidboxRequests: pidbox.counts.requests,
        pidboxReplies: pidbox.counts.replies,
      };
    },
    /** Stop now (idempotent): workers go offline, keys are cleaned, a private Redis is stopped. */
    async stop() {
      stopRequested();
      await done;
    },
    done,
  };
}
