/**
 * The control actions the screen can ask for, as an interface only. `commands/` implements it
 * (every write to Redis lives there); views receive it injected and never import `commands/`.
 * Every method resolves with an outcome, never throws for an expected failure.
 */

/** One worker's answer to a control command. */
export interface WorkerReply {
  node: string;
  /** 'ok': it replied without error; 'error': it replied `{error}`; 'no-reply': silent until the timeout. */
  status: 'ok' | 'error' | 'no-reply';
  message: string;
}

/**
 * What kind of end an action came to, for scripts: the CLI maps it to an exit code (`done` 0,
 * `refused` 2, `unreachable` 3, `no-permission` 4, `partial` 5, `not-found` 6, `interrupted` 130,
 * `error` 1). `partial`: one or more workers answered with an error or not at all. `refused`: nothing
 * was written (read-only, missing confirmation, a retry that cannot be exact).
 */
export type OutcomeKind =
  | 'done'
  | 'partial'
  | 'refused'
  | 'not-found'
  | 'no-permission'
  | 'unreachable'
  | 'interrupted'
  | 'error';

/** What happened, in words an operator can paste into an incident channel. */
export interface ControlOutcome {
  ok: boolean;
  /** Absent means `done` when `ok`, else `error` (outcomes built before kinds existed). */
  kind?: OutcomeKind;
  /** One line: "revoked 3 tasks on 2 workers", "refused: read-only mode". */
  summary: string;
  replies: WorkerReply[];
  /** Anything else worth showing: new task ids of a retry, messages purged. */
  details?: Record<string, unknown>;
}

export type Signal = 'TERM' | 'KILL' | 'INT' | 'USR1';

/** The signals a terminate may send, gentlest first (Celery accepts these names, with or without SIG). */
export const signals: readonly Signal[] = ['TERM', 'KILL', 'INT', 'USR1'];

/** Which workers a command goes to: all, or a list of node names. */
export type Destination = 'all' | string[];

/**
 * Why a read-only run refuses writes. It names every way to turn it on, since the screen cannot
 * tell which one did (a flag, QTOP_READ_ONLY=1, or a profile's read_only).
 */
export const readOnlyModeReason =
  "read-only mode (--read-only, QTOP_READ_ONLY=1 or the profile's read_only): qtop writes nothing";

/**
 * kombu exchange types by exchange name (`--exchange-type NAME=TYPE`): the type is not stored in
 * Redis, so qtop infers it and these override the inference.
 */
export type ExchangeTypeOverrides = Readonly<Record<string, 'direct' | 'topic' | 'fanout'>>;

export interface RetryOptions {
  /** Publish to this declared queue instead of the original's route. */
  queue?: string;
  /** Retry a task whose original still waits, removing the original in the same atomic step. */
  removeOriginal?: boolean;
  exchangeTypes?: ExchangeTypeOverrides;
}

export interface Controls {
  /** False in `--read-only` mode or when the Redis user cannot write; `reason` says which. */
  readonly canWrite: boolean;
  readonly readOnlyReason: string | null;

  /** `force`: revoke tasks whose result meta says they finished too (refused otherwise). */
  revoke(
    taskIds: string[],
    options?: { terminate?: boolean; signal?: Signal; force?: boolean },
  ): Promise<ControlOutcome>;
  /**
   * Publish a new task reproducing each original call, routed as kombu routes the original's exchange
   * and routing key; refuses per task when it cannot be exact or no queue matches. `queue` overrides
   * the route (a declared queue). A task whose original message still waits (a queue, `unacked`) is
   * refused unless `removeOriginal`: then the retry and the removal are one atomic step.
   */
  retry(taskIds: string[], options?: RetryOptions): Promise<ControlOutcome>;
  /**
   * Bulk retry: every FAILURE task of `taskName` the controls' lookup knows (on the live screen,
   * every one the store holds), not only the ids a caller happens to list; refusals per task as
   * `retry`.
   */
  retryFailed(taskName: string, options?: RetryOptions): Promise<ControlOutcome>;
  poolGrow(worker: string, n: number): Promise<ControlOutcome>;
  poolShrink(worker: string, n: number): Promise<ControlOutcome>;
  autoscale(worker: string, max: number, min: number): Promise<ControlOutcome>;
  rateLimit(taskName: string, rate: string | null, destination?: Destination): Promise<ControlOutcome>;
  timeLimit(
    taskName: string,
    soft: number | null,
    hard: number | null,
    destination?: Destination,
  ): Promise<ControlOutcome>;
  addConsumer(queue: string, destination?: Destination): Promise<ControlOutcome>;
  cancelConsumer(queue: string, destination?: Destination): Promise<ControlOutcome>;
  /** Cancel the queue's consumer on every worker consuming it; `resumeQueue` re-adds exactly those. */
  pauseQueue(queue: string): Promise<ControlOutcome>;
  /**
   * Re-add the consumers `pauseQueue` cancelled (remembered by this Controls instance only), or on
   * `workers` when given (the CLI, where each run is a new process, passes the names pause printed).
   */
  resumeQueue(queue: string, workers?: string[]): Promise<ControlOutcome>;
  /**
   * The workers whose consumer of `queue` this instance's `pauseQueue` cancelled and no resume
   * re-added yet (empty when it did not pause it): what a resume would re-add, for the screen.
   */
  pausedOn(queue: string): string[];
  setEvents(enabled: boolean, destination?: Destination): Promise<ControlOutcome>;
  purgeQueue(queue: string): Promise<ControlOutcome>;
  /** Remove exactly one queued message (by task id), atomically. */
  deleteMessage(queue: string, taskId: string): Promise<ControlOutcome>;
  /**
   * Move exactly one queued message to another (declared) queue, atomically, with a `delivery_info`
   * that kombu's restore routes back to that queue.
   */
  moveMessage(
    queue: string,
    taskId: string,
    toQueue: string,
    options?: { exchangeTypes?: ExchangeTypeOverrides },
  ): Promise<ControlOutcome>;
  ping(destination?: Destination): Promise<ControlOutcome>;
  shutdown(worker: string): Promise<ControlOutcome>;
  /** RedBeat: publish the entry's task now, exactly as beat would (its options and routing). */
  runBeatEntry(entry: string, options?: { queue?: string }): Promise<ControlOutcome>;
  /** RedBeat: enable or disable an entry, as RedBeat's own API changes `definition.enabled`. */
  setBeatEntryEnabled(entry: string, enabled: boolean): Promise<ControlOutcome>;
}

/** One entry of the command log: every write qtop sent, for the log view and incident notes. */
export interface CommandLogEntry {
  at: number;
  command: string;
  target: string;
  outcome: ControlOutcome;
}
