/**
 * Service rate μ per pool slot for one queue: how many of this queue's tasks one slot
 * finishes per second. Two estimates:
 *
 * - runtime: 1 / mean runtime of this queue's tasks: the held tasks attributed to the queue
 *   (attribution.ts) that finished, so the mean is weighted by the task-name mix that ran
 *   there. With fewer than `minHeldRuntimes` of them, each name's mean (on this queue, else
 *   its all-queue sketch) weighted by the queue's name mix. Runtime is what the task function
 *   took (`task-succeeded.runtime`), so it leaves out the per-task cost of the worker around
 *   it (prefork IPC, ack, events), which matters for tasks under ~0.1 s.
 * - throughput: completions from this queue per second ÷ slots, used while the queue stayed
 *   backlogged through the window (every slot had work, so completions measure capacity,
 *   overhead included) and at least `minFinishedForThroughput` tasks finished.
 *
 * Throughput wins when it applies; otherwise runtime; with neither (events off, nothing run
 * yet) μ is unknown.
 */
import { sketchCount, sketchMean } from '../../metrics/quantile-sketch.js';
import type { Model } from '../../store/model.js';
import type { MixEntry, ServiceEstimate } from '../maths/types.js';
import type { Attribution } from './attribution.js';
import { type FlowWindow, flowRate, windowSec } from './flow-rate.js';

/** Completions in the window needed before throughput is trusted as capacity. */
export const minFinishedForThroughput = 20;
/** Held runtimes of a queue needed before their plain mean is used. */
export const minHeldRuntimes = 5;
/** Mean runtimes below this are treated as unknown: μ = 1/mean would be noise (the sketch zero bucket). */
const minMeanRuntimeSec = 1e-6;

/** A queue's mean task runtime, how many runtimes it rests on, and its task-name mix. */
export interface QueueRuntime {
  meanRuntimeSec: number | null;
  runtimeSamples: number;
  mix: MixEntry[];
}

/**
 * Completions per second (and their count) of `queue` in `window`. A name run only from this
 * queue counts with its whole finished-rate series (exact, and it outlives evicted tasks); a
 * name shared with other queues counts its held tasks of this queue that finished in the
 * window (exact for what is held: splitting the series by attributed counts would favour the
 * queue whose messages qtop happened to see more of).
 */
export function queueThroughput(
  model: Model,
  attribution: Attribution,
  queue: string,
  window: FlowWindow | null,
): { perSec: number | null; count: number } {
  if (window === null) return { perSec: null, count: 0 };
  let count = 0;
  let perSec = 0;
  const span = windowSec(window);
  for (const [name, held] of attribution.byQueue.get(queue) ?? []) {
    const stats = model.taskNames.get(name);
    if ((attribution.byName.get(name)?.size ?? 0) === 1 && stats) {
      const reading = flowRate(stats.finishedRate, window);
      count += reading.count;
      perSec += reading.perSec ?? 0;
    } else if (span > 0) {
      const n = held.finishedAt.filter((sec) => sec * 1000 >= window.fromMs).length;
      count += n;
      perSec += n / span;
    }
  }
  return { perSec, count };
}

/** The mean runtime of `queue`'s tasks (see the module comment) and its name mix, largest first. */
export function queueRuntime(model: Model, attribution: Attribution, queue: string): QueueRuntime {
  const names = attribution.byQueue.get(queue) ?? new Map();
  let tasks = 0;
  let sum = 0;
  let held = 0;
  for (const stats of names.values()) {
    tasks += stats.tasks;
    sum += stats.runtimeSum;
    held += stats.runtimes;
  }
  const mix: MixEntry[] = [...names.entries()]
    .map(([name, stats]) => {
      const sketch = model.taskNames.get(name)?.runtime;
      const mean =
        stats.runtimes > 0 ? stats.runtimeSum / stats.runtimes : sketch ? sketchMean(sketch) : null;
      return { name, share: stats.tasks / tasks, meanRuntimeSec: mean };
    })
    .sort((a, b) => b.share - a.share || (a.name < b.name ? -1 : 1));
  if (held >= minHeldRuntimes) return { meanRuntimeSec: sum / held, runtimeSamples: held, mix };
  let weighted = 0;
  let weight = 0;
  let runtimeSamples = 0;
  for (const entry of mix) {
    if (entry.meanRuntimeSec === null) continue;
    weighted += entry.share * entry.meanRuntimeSec;
    weight += entry.share;
    const own = names.get(entry.name)?.runtimes ?? 0;
    runtimeSamples += own > 0 ? own : sketchCount(model.taskNames.get(entry.name)!.runtime);
  }
  return { meanRuntimeSec: weight > 0 ? weighted / weight : null, runtimeSamples, mix };
}

/**
 * μ for `queue`, with everything it rests on. `runtime` is from `queueRuntime`, `slots` is c
 * from slots.ts; `saturated` says whether the queue had ready messages at every backlog
 * sample of the window.
 */
export function estimateService(
  model: Model,
  attribution: Attribution,
  queue: string,
  window: FlowWindow | null,
  slots: number | null,
  saturated: boolean,
  runtime: QueueRuntime = queueRuntime(model, attribution, queue),
): ServiceEstimate {
  const throughput = queueThroughput(model, attribution, queue, window);
  const finishedInWindow = Math.round(throughput.count);
  const estimate: ServiceEstimate = {
    perSlotPerSec: null,
    method: null,
    meanRuntimeSec: runtime.meanRuntimeSec,
    runtimeSamples: runtime.runtimeSamples,
    throughputPerSec: throughput.perSec,
    finishedInWindow,
    mix: runtime.mix,
  };
  const mean = runtime.meanRuntimeSec;
  if (
    saturated &&
    slots !== null &&
    slots > 0 &&
    throughput.perSec !== null &&
    throughput.perSec > 0 &&
    finishedInWindow >= minFinishedForThroughput
  ) {
    return { ...estimate, perSlotPerSec: throughput.perSec / slots, method: 'throughput' };
  }
  if (mean !== null && mean >= minMeanRuntimeSec)
    return { ...estimate, perSlotPerSec: 1 / mean, method: 'runtime' };
  return estimate;
}
