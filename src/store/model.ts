/**
 * The cluster model: everything qtop knows, in bounded collections.
 *
 * Design note (docs/design.md): the reducer updates this model in place and bumps
 * `version`, instead of returning a copied object per action. Copying a map of 10,000 tasks
 * per event batch would cap ingest far below the 100,000 events/s target. The reducer stays
 * deterministic and free of I/O (time comes in on each action), so it is tested like a pure
 * one; readers never see the model directly, only immutable row models from selectors.
 */
import type { ExchangeType } from '../celery/routing.js';
import type { Json, JsonObject } from '../celery/types.js';
import type { Sketch } from '../metrics/quantile-sketch.js';
import type { GaugeSeries, RateSeries } from '../metrics/series.js';
import type { InspectReply, PeekedMessage, SourceName, UnackedSample } from './actions.js';
import type { BeatState } from './beat-state.js';

/** Tunables of the model; defaults in `defaultModelConfig`. */
export interface ModelConfig {
  /** Most tasks held; the least recently updated is evicted past it. */
  maxTasks: number;
  /** Most timeline entries kept per task. */
  maxTimeline: number;
  /** Celery judges a worker alive while now < last heartbeat + freq × this (wire doc 6.3). */
  heartbeatExpiry: number;
  /** Largest args/kwargs/result JSON (serialized characters) held per task. */
  maxValueChars: number;
  /** Width and count of the buckets of rate series (in/out per queue, per task name). */
  rateBucketMs: number;
  rateBuckets: number;
  /** Most gaps remembered per source. */
  maxGaps: number;
}

export const defaultModelConfig: Readonly<ModelConfig> = Object.freeze({
  maxTasks: 10_000,
  maxTimeline: 32,
  heartbeatExpiry: 2,
  maxValueChars: 64 * 1024,
  rateBucketMs: 5_000,
  /** 15 minutes of 5 s buckets: the overview's throughput chart. */
  rateBuckets: 180,
  maxGaps: 50,
});

/** Where qtop learned about a task; a task can come from several. */
export type TaskOrigin = 'event' | 'queue' | 'unacked' | 'inspect' | 'result';

export interface TimelineEntry {
  /** Event type (`task-started`) or a source observation (`seen-in-queue`, `result-meta`). */
  type: string;
  /** Epoch seconds. */
  timestamp: number;
  hostname: string | null;
}

export interface TaskRecord {
  id: string;
  name: string | null;
  /** Celery state name: PENDING, RECEIVED, STARTED, SUCCESS, FAILURE, RETRY, REVOKED, REJECTED, or custom. */
  state: string;
  /** Epoch seconds of the event/meta that set `state`. */
  stateAt: number | null;
  worker: string | null;
  queue: string | null;
  /** Python reprs for display (from events), or derived from JSON. */
  argsRepr: string | null;
  kwargsRepr: string | null;
  /** Exact call, when a source gave real JSON (queue peek, unacked, extended meta). */
  args: Json[] | null;
  kwargs: JsonObject | null;
  /** Result as repr (events) or JSON text (meta), bounded. */
  result: string | null;
  exception: string | null;
  traceback: string | null;
  runtime: number | null;
  retries: number;
  eta: string | null;
  expires: string | null;
  rootId: string | null;
  parentId: string | null;
  groupId: string | null;
  /** Chord body id named by this header member's message (`chord` in its embed); null when not seen. */
  chordId: string | null;
  children: string[];
  sentAt: number | null;
  receivedAt: number | null;
  startedAt: number | null;
  /** SUCCESS/FAILURE/REVOKED/REJECTED time, epoch seconds. */
  finishedAt: number | null;
  terminated: boolean;
  signum: number | null;
  expired: boolean;
  origins: TaskOrigin[];
  timeline: TimelineEntry[];
  retryOf: string | null;
  retriedAs: string | null;
  /** qtop clock (ms) when first and last touched; `updatedAt` drives eviction. */
  firstSeenAt: number;
  updatedAt: number;
  /** Why args or result could not be shown exactly ("pickle payload, not decoded", "too large"). */
  note: string | null;
  /** Celery >= 5.3 canvas stamps from a message or extended meta (celery/stamps.ts); null when none. */
  stamps: JsonObject | null;
}

/** Per task name, kept after the tasks themselves are evicted. */
export interface TaskNameStats {
  name: string;
  received: number;
  started: number;
  succeeded: number;
  failed: number;
  retried: number;
  revoked: number;
  runtime: Sketch;
  /** received → started, seconds. */
  wait: Sketch;
  finishedRate: RateSeries;
  failedRate: RateSeries;
  /** Retries (RETRY transitions) seen live, for the overview's throughput chart. */
  retriedRate: RateSeries;
  lastSeenAt: number;
}

export interface WorkerRecord {
  hostname: string;
  /** Last heartbeat/online event: sender's timestamp (s) and qtop's receipt time (ms). */
  heartbeatAt: number | null;
  heartbeatReceivedAt: number | null;
  freq: number | null;
  active: number | null;
  processed: number | null;
  loadavg: [number, number, number] | null;
  swIdent: string | null;
  swVer: string | null;
  swSys: string | null;
  onlineAt: number | null;
  offlineAt: number | null;
  /** Last time (ms) a task event came from this worker: evidence that events are on. */
  taskEventAt: number | null;
  inPidbox: boolean;
  /** From `stats`. */
  poolMax: number | null;
  poolProcesses: number | null;
  poolType: string | null;
  prefetchCount: number | null;
  pid: number | null;
  uptime: number | null;
  totals: Record<string, number>;
  statsAt: number | null;
  /** From `active`, `reserved`, `scheduled`, `registered`, `active_queues`. */
  activeIds: string[];
  reservedIds: string[];
  scheduledIds: string[];
  registered: string[] | null;
  queues: string[] | null;
  /** Exchange name -> type from `active_queues` (Redis stores no type; a retry routes by it). */
  exchanges?: Record<string, ExchangeType>;
  /** Last inspect answer (ms) and rounds missed in a row. */
  repliedAt: number | null;
  silentRounds: number;
  firstSeenAt: number;
  history: GaugeSeries;
}

export interface QueueRecord {
  name: string;
  exchanges: string[];
  lengths: Record<number, number>;
  total: number;
  peek: PeekedMessage[];
  sampledAt: number | null;
  /** Message id → qtop time (ms) first seen waiting: a lower bound of its age. */
  firstSeen: Map<string, number>;
  backlog: GaugeSeries;
  inRate: RateSeries;
  outRate: RateSeries;
  /** received → started per queue, seconds. */
  wait: Sketch;
  firstSeenAt: number;
}

/** A worker's heartbeat as the estimator keeps it. */
export interface LossBeat {
  processed: number;
  active: number;
  /** The worker's events seen up to and including this heartbeat. */
  seen: number;
  /** Worker clock (s) and interval (s). */
  timestamp: number;
  freq: number;
  pid: number | null;
}

/** The loss count of one events gap (keyed by the gap's `from`). */
export interface GapTally {
  from: number;
  /** Heartbeats before the gap of the workers not heard from since. */
  waiting: Map<string, LossBeat>;
  lost: number;
  /** Why the count cannot be known; null while it can. */
  unknown: string | null;
}

/** The estimator's state, in the model (gap-loss.ts sizes each events gap's loss with it). */
export interface GapLoss {
  /** Events seen per worker hostname (task events but `task-sent`, and load heartbeats). */
  seen: Map<string, number>;
  beats: Map<string, LossBeat>;
  tallies: GapTally[];
}

export interface SourceGap {
  from: number;
  to: number | null;
  reason: string;
}

export interface SourceHealth {
  ok: boolean;
  lastOkAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
  gaps: SourceGap[];
}

export interface Counters {
  eventMessages: number;
  events: number;
  eventsMalformed: number;
  eventsByType: Record<string, number>;
  eventBytes: number;
  resultsRead: number;
  resultsMalformed: number;
  /** Whole records evicted; a partial record (made by a later event, see task-records.ts) is not counted. */
  tasksEvicted: number;
  /**
   * Task events for a task evicted earlier (its finish after it was evicted while running, …),
   * dropped instead of bringing the task back as a partial record; counted in `events` too.
   */
  lateEventsDropped: number;
  undecodableBindings: number;
}

/**
 * What the cluster's own keys say about qtop's wire options: each mismatch is one line naming the
 * option to set (hints/select/findings-wire.ts makes findings of them), null when they agree.
 */
export interface WireChecks {
  /** The binding members split with another sep than the configured one (`--sep`). */
  sepMismatch: string | null;
  /** The workers' mailbox channels use another fanout prefix (`--fanout-prefix-literal`). */
  fanoutPrefixMismatch: string | null;
  /**
   * Result notifications heard for keys the backend db does not hold: other databases or apps on
   * the same server (pub/sub has no db), dropped; counted since qtop started.
   */
  resultsOtherDb: number;
}

export interface RedisLoad {
  commandsPerSec: number;
  bytesInPerSec: number;
  bytesOutPerSec: number;
  windowMs: number;
  at: number;
}

export interface Model {
  config: ModelConfig;
  /** Bumped on every change; readers compare it to skip work. */
  version: number;
  /** qtop clock (ms) when the model was created and last changed. */
  startedAt: number;
  updatedAt: number;
  /** Insertion order is recency order: an update re-inserts, eviction takes the first. */
  tasks: Map<string, TaskRecord>;
  /**
   * Ids of held tasks no task event has told of: the header's events evidence reads these
   * instead of every task per frame (kept by task-records.ts as records are made, told and evicted).
   */
  tasksWithoutEvents: Set<string>;
  /**
   * The latest task ids evicted before they finished (at most `config.maxTasks`, oldest forgotten first): a later
   * event for one of them is dropped (`counters.lateEventsDropped`), not made a partial record.
   */
  evictedTaskIds: Set<string>;
  /** The per-worker tallies that size each events gap's loss (gap-loss.ts). */
  gapLoss: GapLoss;
  taskNames: Map<string, TaskNameStats>;
  workers: Map<string, WorkerRecord>;
  queues: Map<string, QueueRecord>;
  unacked: { total: number; entries: UnackedSample[]; sampledAt: number | null };
  sources: Record<SourceName, SourceHealth>;
  /** Inspect replies of the latest round per method, for detail views and JSON. */
  inspect: Partial<Record<string, { at: number; replies: InspectReply[]; silent: string[] }>>;
  counters: Counters;
  wireChecks: WireChecks;
  load: RedisLoad | null;
  /** Periodic tasks: RedBeat's keys and the arrivals inference rests on (beat-state.ts). */
  beat: BeatState;
}
