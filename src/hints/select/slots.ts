/**
 * Slots c serving a queue: the pool sizes of the up workers whose `active_queues` include it.
 * A pool's size is its live process count from `stats` (`pool.processes`), falling back to
 * `max-concurrency`: Celery 5.2 keeps reporting the start-up max-concurrency after `pool_grow`
 * and `pool_shrink`, while the process list follows them (and autoscaling).
 *
 * A worker consuming several queues shares its slots. Rule: among its queues that have work
 * (ready or reserved messages, or arrivals), each gets a share proportional to its mean task
 * runtime; evenly when a runtime is unknown. A queue without work is counted with an even
 * split over all the worker's queues (what it would get if work came). Why: the worker fetches
 * with one BRPOP over all its lists and kombu rotates the queue order after every fetch
 * (`round_robin`, wire doc 3.2), so queues with work get about the same number of tasks, and
 * each task holds a slot for its runtime. Limits: priority lists are served before the
 * rotation (a priority-0 backlog on one queue takes every slot), and a queue whose arrivals
 * are sparse takes fewer slots than its turn.
 */
import type { Model, WorkerRecord } from '../../store/model.js';
import { isUp, workerState } from '../../store/worker-state.js';
import type { SlotShare, SlotsEstimate } from '../maths/types.js';

/**
 * A worker's slots now: its pool processes, or max-concurrency when it lists none (solo and
 * threads pools, or an autoscaled pool at 0 that will grow to its max under load).
 */
export function poolSize(worker: WorkerRecord): number | null {
  if (worker.poolProcesses !== null && worker.poolProcesses > 0) return worker.poolProcesses;
  return worker.poolMax;
}

/** Queues with work now, each with its mean task runtime (s) or null when not known. */
export type QueueWork = ReadonlyMap<string, number | null>;

/** The fraction of `worker`'s slots that `queue` gets under the rule above. */
export function slotShare(queues: string[], queue: string, work: QueueWork): number {
  if (!work.has(queue)) return 1 / queues.length;
  const busy = queues.filter((q) => work.has(q));
  const runtimes = busy.map((q) => work.get(q) ?? null);
  if (runtimes.some((r) => r === null || r <= 0)) return 1 / busy.length;
  const total = (runtimes as number[]).reduce((a, b) => a + b, 0);
  return work.get(queue)! / total;
}

/**
 * The up workers by the queues they consume, and how many up workers have not reported their
 * queues: what `queueSlots` reads for every queue, indexed once per report (a scan of every
 * worker per queue is 2,000 x 500 liveness checks).
 */
export interface UpWorkers {
  byQueue: Map<string, WorkerRecord[]>;
  unknownQueues: number;
}

export function upWorkersByQueue(model: Model, now: number): UpWorkers {
  const byQueue = new Map<string, WorkerRecord[]>();
  let unknownQueues = 0;
  for (const worker of model.workers.values()) {
    if (!isUp(workerState(model, worker, now))) continue;
    if (worker.queues === null) {
      unknownQueues += 1;
      continue;
    }
    for (const queue of new Set(worker.queues)) {
      const list = byQueue.get(queue);
      if (list) list.push(worker);
      else byQueue.set(queue, [worker]);
    }
  }
  return { byQueue, unknownQueues };
}

/**
 * c for `queue` at `now` (ms). `current` is the sum of the known shares (0 with no consumer),
 * or null when every consumer's pool size is unknown. `up` is `upWorkersByQueue(model, now)`,
 * passed when many queues are read at once.
 */
export function queueSlots(
  model: Model,
  now: number,
  queue: string,
  work: QueueWork,
  up: UpWorkers = upWorkersByQueue(model, now),
): SlotsEstimate {
  const workers: SlotShare[] = [];
  let unknownPools = 0;
  let shared = false;
  let current = 0;
  for (const worker of up.byQueue.get(queue) ?? []) {
    const queues = worker.queues!;
    if (queues.length > 1) shared = true;
    const share = slotShare(queues, queue, work);
    const size = poolSize(worker);
    const slots = size === null ? null : size * share;
    if (slots === null) unknownPools += 1;
    else current += slots;
    workers.push({ hostname: worker.hostname, poolSize: size, share, slots });
  }
  workers.sort((a, b) => (a.hostname < b.hostname ? -1 : 1));
  const allUnknown = workers.length > 0 && unknownPools === workers.length;
  return {
    current: allUnknown ? null : current,
    workers,
    shared,
    unknownPools,
    unknownQueues: up.unknownQueues,
  };
}
