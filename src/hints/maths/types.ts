/**
 * The shapes of the hints report: per-queue scaling hints and health findings, as plain
 * JSON-ready objects. `qtop hints --json`, the `hints` section of the qtop/1 snapshot and the
 * TUI's hints panel all read these, so an external autoscaler sees what the screen shows.
 * Units follow the snapshot: seconds (`…Sec`), rates per second, slots are pool processes.
 */

/** What the caller decides; the model does not know it. */
export interface HintOptions {
  /** Drain the current backlog within this long (`--target`). */
  targetSec: number;
  /** Keep the steady-state queue wait (M/M/c) under this (`--wait-target`). */
  waitTargetSec: number;
  /** kombu `visibility_timeout` of the broker (wire doc 3.4). */
  visibilityTimeoutSec: number;
  /** Rates and slopes look back this far (clipped to the time qtop has listened). */
  windowSec: number;
}

/** 5 minutes to drain, 30 s wait, kombu's default visibility timeout, a one-minute window. */
export const defaultHintOptions: Readonly<HintOptions> = Object.freeze({
  targetSec: 300,
  waitTargetSec: 30,
  visibilityTimeoutSec: 3600,
  windowSec: 60,
});

export type Confidence = 'low' | 'medium' | 'high';

/** What a queue is doing, in one word; `text` says it for people. */
export type ForecastKind = 'insufficient' | 'idle' | 'keeping-up' | 'draining' | 'growing' | 'stalled';

/** Arrival rate λ: tasks per second entering the queue. */
export interface ArrivalEstimate {
  perSec: number | null;
  /** `task-sent` events (producers with task_send_sent_event), or backlog slope + outflow. */
  method: 'task-sent' | 'backlog' | null;
  /** Time the estimate covers, s. */
  windowSec: number;
  /** `task-sent` events counted, or backlog samples fitted. */
  samples: number;
  /** Least-squares change of the ready count, per second. */
  backlogSlopePerSec: number | null;
  /** Tasks leaving the queue per second (deliveries or completions attributed to it). */
  outflowPerSec: number | null;
}

/** One task name's part in a queue's work. */
export interface MixEntry {
  name: string;
  /** Share of the queue's held tasks with this name (0..1). */
  share: number;
  meanRuntimeSec: number | null;
}

/** Service rate μ per pool slot, for this queue's task mix. */
export interface ServiceEstimate {
  perSlotPerSec: number | null;
  /** 1 / mix-weighted mean runtime, or completions per slot while the queue stayed backlogged. */
  method: 'runtime' | 'throughput' | null;
  meanRuntimeSec: number | null;
  /** Runtime samples behind `meanRuntimeSec` (all names of the mix). */
  runtimeSamples: number;
  /** Completions attributed to this queue per second over the window. */
  throughputPerSec: number | null;
  finishedInWindow: number;
  mix: MixEntry[];
}

/** One up worker's part of a queue's slots. */
export interface SlotShare {
  hostname: string;
  /** Its pool size now (slots.ts `poolSize`: live processes, else max-concurrency). */
  poolSize: number | null;
  /** Fraction of the worker's slots counted for this queue (see slots.ts for the rule). */
  share: number;
  slots: number | null;
}

export interface SlotsEstimate {
  /** c: slots serving the queue (can be fractional when workers are shared); null when unknown. */
  current: number | null;
  workers: SlotShare[];
  /** True when some consumer also consumes other queues (its slots were apportioned). */
  shared: boolean;
  /** Consumers whose pool size is not known yet (no `stats` answer). */
  unknownPools: number;
  /** Up workers that have not reported their queues yet (`active_queues`): not counted. */
  unknownQueues: number;
}

export interface QueueHint {
  queue: string;
  forecast: { kind: ForecastKind; text: string };
  /** From the queue row: age of the longest-waiting message; a lower bound when flagged. */
  oldestAgeSec: number | null;
  oldestAgeIsLowerBound: boolean;
  /**
   * B = ready + reserved; ETA messages held by workers are `scheduled`, not backlog. `ageSec`:
   * how old the sample is (queues are polled, by default every second).
   */
  backlog: { ready: number; reserved: number; scheduled: number; total: number; ageSec: number | null };
  arrival: ArrivalEstimate;
  service: ServiceEstimate;
  slots: SlotsEstimate;
  /** ρ = λ / (c·μ). */
  utilization: number | null;
  /** B / (c·μ − λ) when c·μ > λ, counted from when B was sampled (less `backlog.ageSec`). */
  drainSec: number | null;
  /** λ − c·μ when the queue cannot drain. */
  growthPerSec: number | null;
  /** Steady-state M/M/c queue wait with the current whole slots (⌊c⌋); null when unstable or unknown. */
  predictedWaitSec: number | null;
  /** ⌈(λ + B/T)/μ⌉: slots to drain within `targetSec` while keeping up. */
  slotsToDrain: number | null;
  /** Fewest slots whose M/M/c wait stays under `waitTargetSec`. */
  slotsForWait: number | null;
  /**
   * Slots to add for both targets: ⌈max(slotsToDrain, slotsForWait) − current⌉, at least 0.
   * On shared slots, ⌈(λ + B/T)/μ − current⌉: whole-slot targets do not apply to a share.
   */
  addSlots: number | null;
  confidence: Confidence;
  /** Why the confidence is what it is, or why a number is missing. */
  notes: string[];
}

export type FindingKind =
  | 'no-consumer'
  | 'lost-worker'
  | 'redelivery'
  | 'eta-beyond-visibility'
  | 'prefetch-starvation'
  | 'failure-spike'
  | 'retry-spike'
  | 'saturated-growing'
  | 'beat-down'
  | 'beat-late'
  | 'beat-duplicate'
  | 'beat-failing'
  | 'sep-mismatch'
  | 'fanout-prefix-mismatch'
  | 'results-other-db'
  | 'chord-stuck';

export type Severity = 'critical' | 'warning';

/** Something an experienced Celery operator would point out, with the evidence and the fix. */
export interface Finding {
  kind: FindingKind;
  severity: Severity;
  queue: string | null;
  worker: string | null;
  taskName: string | null;
  summary: string;
  evidence: string[];
  fix: string;
  /** Tasks involved (bounded by `findingIdLimit`). */
  taskIds: string[];
}

/** Most task ids listed in one finding. */
export const findingIdLimit = 20;

export interface HintsReport {
  options: HintOptions;
  queues: QueueHint[];
  /** Critical first, then by kind and subject. */
  findings: Finding[];
}
