// Types of sim/simulator.mjs, for TypeScript callers (tests and `qtop demo --simulated`).

export interface SimulatorOptions {
  /** Broker URL; omitted or null starts a private redis-server, stopped with the simulator. */
  broker?: string | null;
  /** 1..1000 (default 10). */
  workers?: number;
  /** Pool slots per worker (default 4). */
  concurrency?: number;
  prefetchMultiplier?: number;
  /** 1..5000 (default 4); the first queue is `celery`. */
  queues?: number;
  /** The last N queues have no consumer (default 0). */
  idleQueues?: number;
  /** A count, or the task names (default 8). */
  taskNames?: number | string | string[];
  /** Task arrivals per second, Poisson (default 20). */
  rate?: number;
  /** `lognormal:MEAN:SIGMA` | `exp:MEAN` | `fixed:S` | `uniform:LO:HI`, seconds (default lognormal:0.2:1). */
  runtime?: string;
  /** Share of runs that raise, 0..1 (default 0.05); `retryShare` of them retry. */
  failureRate?: number;
  retryShare?: number;
  maxRetries?: number;
  priorityRate?: number;
  etaRate?: number;
  /** Most task events per second (default: no cap). */
  eventRate?: number;
  /** Seconds until it stops by itself (default 60); Infinity runs until stop(). */
  duration?: number;
  seed?: number;
  tickMs?: number;
  heartbeatSec?: number;
  /** Write result meta (SETEX + PUBLISH) like a Redis result backend (default false). */
  results?: boolean;
  /** Delete every key it made when stopping (default true). */
  clean?: boolean;
  hostnamePrefix?: string;
  maxBacklog?: number;
  /** kombu global_keyprefix. */
  keyprefix?: string;
  onError?: ((error: Error) => void) | null;
}

export interface SimulatorStats {
  startedAt: number;
  elapsedSec: number;
  tasksSent: number;
  received: number;
  started: number;
  succeeded: number;
  failed: number;
  retried: number;
  revoked: number;
  taskEvents: number;
  workerEvents: number;
  eventMessages: number;
  eventBytes: number;
  poison: number;
  throttled: number;
  errors: number;
  workersOnline: number;
  backlog: number;
  reserved: number;
  active: number;
  pidboxRequests: number;
  pidboxReplies: number;
}

export interface Simulator {
  /** The broker URL in use (the private server's when none was given). */
  broker: string;
  /** Worker node names, `sim01@host`. */
  workers: string[];
  queues: string[];
  options: Required<SimulatorOptions>;
  stats(): SimulatorStats;
  /** Stop now (idempotent): workers go offline, keys are cleaned, a private Redis is stopped. */
  stop(): Promise<void>;
  /** Resolves once the simulator has stopped (by `duration` or `stop()`). */
  done: Promise<void>;
}

export const simulatorDefaults: Readonly<Required<SimulatorOptions>>;
export function startSimulator(options?: SimulatorOptions): Promise<Simulator>;
