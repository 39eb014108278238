/**
 * The beat slice of the model: RedBeat entries and lock as last sampled, and per task name the
 * recent arrivals that periodic inference rests on. Bounded: `maxArrivalNames` names (least
 * recently arrived dropped first) of `maxArrivals` arrivals each. The inference is computed when
 * read and kept until the name's next arrival: at ingest rates a name gets thousands of arrivals
 * between two frames, and inferring on each one cost more than the rest of the reducer together.
 */
import { type Inference, inferSchedule } from '../beat/infer.js';
import type { BeatDefinition, BeatMeta } from '../beat/types.js';

/** Arrivals kept per task name (the inference looks at no more). */
export const maxArrivals = 32;
/** Task names whose arrivals are kept. */
export const maxArrivalNames = 500;

export interface BeatEntryRecord {
  key: string;
  /** The entry name: the key without the prefix (`definition.name` when readable). */
  name: string;
  definition: BeatDefinition | null;
  meta: BeatMeta | null;
  problem: string | null;
  /** Next due (epoch ms) from the schedule score; null for "never again". */
  dueAt: number | null;
  /**
   * The due time qtop saw before the last run it watched happen (meta.last_run_at moving):
   * what "on time" is judged against. Null until qtop saw a run.
   */
  lastRunDueAt: number | null;
  /** Arrival times (epoch s) of this entry's sends as qtop saw `last_run_at` change. */
  runTimes: number[];
}

export interface BeatLockRecord {
  key: string;
  token: string | null;
  ttlMs: number | null;
  /** qtop time (ms) of the sample that read it. */
  sampledAt: number;
  /** qtop time when a token was last seen, and when the lock was last seen gone. */
  lastHeldAt: number | null;
  lastGoneAt: number | null;
}

export interface ArrivalRecord {
  /** Task ids and their arrival times (epoch s), oldest first, at most `maxArrivals`. */
  readonly ids: string[];
  readonly times: number[];
  /** Inference over `times`, computed on first read after a change. */
  readonly inference: Inference;
  /** Call after changing `ids`/`times` in place: the next read of `inference` recomputes it. */
  changed(): void;
}

class LazyArrivals implements ArrivalRecord {
  private cached: Inference | null = null;
  constructor(
    readonly ids: string[],
    readonly times: number[],
  ) {}
  get inference(): Inference {
    this.cached ??= inferSchedule(this.times);
    return this.cached;
  }
  changed(): void {
    this.cached = null;
  }
}

/** An empty arrival record for one task name. */
export function createArrivalRecord(): ArrivalRecord {
  return new LazyArrivals([], []);
}

export interface BeatState {
  /** qtop time of the last RedBeat sample; null before the first. */
  sampledAt: number | null;
  prefix: string | null;
  scheduleFound: boolean;
  truncated: boolean;
  entries: Map<string, BeatEntryRecord>;
  lock: BeatLockRecord | null;
  /** Insertion order is recency order (a new arrival re-inserts its name). */
  arrivals: Map<string, ArrivalRecord>;
}

export function createBeatState(): BeatState {
  return {
    sampledAt: null,
    prefix: null,
    scheduleFound: false,
    truncated: false,
    entries: new Map(),
    lock: null,
    arrivals: new Map(),
  };
}
