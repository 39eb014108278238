/**
 * Constructors for the model and its records. Reducers create records only through these,
 * so every record starts complete and bounded.
 */
import { createSketch } from '../metrics/quantile-sketch.js';
import { createGaugeSeries, createRateSeries } from '../metrics/series.js';
import type { SourceName } from './actions.js';
import { createBeatState } from './beat-state.js';
import {
  defaultModelConfig,
  type GapLoss,
  type Model,
  type ModelConfig,
  type QueueRecord,
  type SourceHealth,
  type TaskNameStats,
  type WorkerRecord,
} from './model.js';

const sourceNames: SourceName[] = ['queues', 'events', 'inspect', 'results', 'unacked', 'beat'];

/** Samples of worker history kept (one per heartbeat or stats reply). */
const workerHistory = 120;
/** Backlog samples kept per queue (one per queue poll). */
const queueHistory = 240;

function freshHealth(): SourceHealth {
  return { ok: false, lastOkAt: null, lastError: null, lastErrorAt: null, gaps: [] };
}

/** An empty model; `now` is the injected clock's time in ms. */
export function createModel(now: number, config: Partial<ModelConfig> = {}): Model {
  return {
    config: { ...defaultModelConfig, ...config },
    version: 0,
    startedAt: now,
    updatedAt: now,
    tasks: new Map(),
    tasksWithoutEvents: new Set(),
    evictedTaskIds: new Set(),
    gapLoss: { seen: new Map(), beats: new Map(), tallies: [] } satisfies GapLoss,
    taskNames: new Map(),
    workers: new Map(),
    queues: new Map(),
    unacked: { total: 0, entries: [], sampledAt: null },
    sources: Object.fromEntries(sourceNames.map((name) => [name, freshHealth()])) as Record<
      SourceName,
      SourceHealth
    >,
    inspect: {},
    counters: {
      eventMessages: 0,
      events: 0,
      eventsMalformed: 0,
      eventsByType: {},
      eventBytes: 0,
      resultsRead: 0,
      resultsMalformed: 0,
      tasksEvicted: 0,
      lateEventsDropped: 0,
      undecodableBindings: 0,
    },
    wireChecks: { sepMismatch: null, fanoutPrefixMismatch: null, resultsOtherDb: 0 },
    load: null,
    beat: createBeatState(),
  };
}

/** The queue record for `name`, created empty if qtop has not sampled it yet. */
export function ensureQueue(model: Model, name: string, at: number): QueueRecord {
  let queue = model.queues.get(name);
  if (!queue) {
    queue = {
      name,
      exchanges: [],
      lengths: {},
      total: 0,
      peek: [],
      sampledAt: null,
      firstSeen: new Map(),
      backlog: createGaugeSeries(queueHistory),
      inRate: createRateSeries(model.config.rateBucketMs, model.config.rateBuckets),
      outRate: createRateSeries(model.config.rateBucketMs, model.config.rateBuckets),
      wait: createSketch(),
      firstSeenAt: at,
    };
    model.queues.set(name, queue);
  }
  return queue;
}

/** The worker record for `hostname`, created empty on first sight from any source. */
export function ensureWorker(model: Model, hostname: string, at: number): WorkerRecord {
  let worker = model.workers.get(hostname);
  if (!worker) {
    worker = {
      hostname,
      heartbeatAt: null,
      heartbeatReceivedAt: null,
      freq: null,
      active: null,
      processed: null,
      loadavg: null,
      swIdent: null,
      swVer: null,
      swSys: null,
      onlineAt: null,
      offlineAt: null,
      taskEventAt: null,
      inPidbox: false,
      poolMax: null,
      poolProcesses: null,
      poolType: null,
      prefetchCount: null,
      pid: null,
      uptime: null,
      totals: {},
      statsAt: null,
      activeIds: [],
      reservedIds: [],
      scheduledIds: [],
      registered: null,
      queues: null,
      repliedAt: null,
      silentRounds: 0,
      firstSeenAt: at,
      history: createGaugeSeries(workerHistory),
    };
    model.workers.set(hostname, worker);
  }
  return worker;
}

/** The statistics record for a task name, created on its first event or meta. */
export function ensureTaskName(model: Model, name: string, at: number): TaskNameStats {
  let stats = model.taskNames.get(name);
  if (!stats) {
    stats = {
      name,
      received: 0,
      started: 0,
      succeeded: 0,
      failed: 0,
      retried: 0,
      revoked: 0,
      runtime: createSketch(),
      wait: createSketch(),
      finishedRate: createRateSeries(model.config.rateBucketMs, model.config.rateBuckets),
      failedRate: createRateSeries(model.config.rateBucketMs, model.config.rateBuckets),
      retriedRate: createRateSeries(model.config.rateBucketMs, model.config.rateBuckets),
      lastSeenAt: at,
    };
    model.taskNames.set(name, stats);
  }
  return stats;
}
