/**
 * What the control layer is given: Redis clients, wire options, a clock, the read-only decision and a
 * read-only lookup over qtop's model. `createControls` (controls.ts) builds the runtime from it; the
 * TUI fills `lookup` from its store (`controlsFromStore`), the CLI from what it reads on the spot.
 */
import type { Redis } from 'ioredis';
import type { Clock } from '../../src/base/clock.js';
import type { WireOptions } from '../../src/celery/options.js';
import type { ExchangeType } from '../../src/celery/routing.js';
import type { Json, JsonObject } from '../../src/celery/types.js';
import type { BulkCandidate } from '../../src/control/bulk-plan.js';
import type { Action } from '../../src/store/actions.js';
import type { TaskFilter } from '../../src/store/task-query-parse.js';

/** The part of a task qtop holds that control actions use (a subset of the store's TaskDetail). */
export interface ControlTask {
  id: string;
  name: string | null;
  state: string;
  queue: string | null;
  worker: string | null;
  /** Exact JSON call when a source gave it (queue peek, unacked, extended meta); else null. */
  args: Json[] | null;
  kwargs: JsonObject | null;
  /** Python reprs from events or message headers (wire doc 6.3), possibly cut at 1024 characters. */
  argsRepr: string | null;
  kwargsRepr: string | null;
}

/** Read-only questions the control layer asks of qtop's model. */
export interface ControlLookup {
  /** The task as qtop holds it, or null when it is not held (never seen, or evicted). */
  task(id: string): ControlTask | null;
  /** Workers the model believes consume `queue` (from `active_queues`); a hint, re-asked live. */
  workersConsuming(queue: string): string[];
  /** Workers the model believes alive; the pidbox binding set is added to these on every action. */
  knownWorkers(): string[];
  /** Ids of FAILURE tasks of this name held in the model (bulk retry); absent: none known. */
  failedTaskIds?(taskName: string): string[];
  /** Every held task `filter` matches, for a bulk action (the live screen's model); absent: read the backend. */
  tasksMatching?(filter: TaskFilter): BulkCandidate[];
  /** Exchange types the workers declared at the last `active_queues`; absent: ask them live. */
  exchangeTypes?(): WorkerExchangeTypes;
}

/**
 * Exchange name -> every type some worker declared it with (`active_queues`), and how many workers'
 * declarations are known: 0 means no worker told, so an exchange absent here has an unknown type.
 */
export interface WorkerExchangeTypes {
  types: Record<string, ExchangeType[]>;
  workers: number;
}

/** A lookup that knows nothing: the CLI's default, where no model was collected. */
export const emptyLookup: ControlLookup = {
  task: () => null,
  workersConsuming: () => [],
  knownWorkers: () => [],
};

/** Everything `createControls` needs. */
export interface ControlsContext {
  /** Command connection to the broker db: every write and every short read. */
  broker: Redis;
  /** Result backend db (retry reads `celery-task-meta-*`); null when the backend is not Redis. */
  backend: Redis | null;
  /** Names on the wire; `db` must be the broker URL's db (fanout channels carry it, wire doc 2). */
  wire: WireOptions;
  clock: Clock;
  /** `--read-only`: every write is refused with `readOnlyReason`. */
  readOnly: boolean;
  readOnlyReason?: string;
  /**
   * Set when the Redis user was found unable to write (`probeWriteAccess`): writes are refused as
   * `no-permission` with this reason. Also set at run time by the first NOPERM a write meets.
   */
  writeDenied?: string;
  lookup: ControlLookup;
  /** Store dispatch: a retry reports `task/retried-as` so both tasks show the link. */
  dispatch?: (action: Action) => void;
  /** Longest wait for replies in one pidbox round (early finish when every expected worker answered). */
  timeoutMs: number;
  /** How long `shutdown` watches for the worker to leave; default `timeoutMs`. */
  shutdownWaitMs?: number;
  /** Ctrl-C: rounds end within 100 ms and clean up; the outcome is `interrupted`. */
  signal?: AbortSignal;
  /** RedBeat's `redbeat_key_prefix`; default `redbeat:`. */
  beatPrefix?: string;
  /** `headers.origin` of retried tasks; default `qtop@{hostname}`. */
  origin?: string;
}
