/**
 * The gauges of `qtop serve --metrics`: celery-exporter's names and labels where the meaning
 * matches (queue length, consumers, workers up and busy), and `qtop_*` for what only qtop knows
 * (pool sizes, the hints' slots and drain time, oldest age, source health). Gauges are rebuilt
 * from the selectors on every scrape, so a queue or worker that disappears stops being exported.
 */
import { Gauge, type Registry } from 'prom-client';
import type { HintOptions } from '../../src/hints/maths/types.js';
import { selectHints } from '../../src/hints/select/select-hints.js';
import type { Model } from '../../src/store/model.js';
import { selectSources } from '../../src/store/select-meta.js';
import { selectQueues } from '../../src/store/select-queues.js';
import { selectWorkers, type WorkerRow } from '../../src/store/select-workers.js';
import { beatGauges } from './beat-metrics.js';
import { createEventLossMetrics } from './event-loss.js';
import { hostLabel } from './task-counters.js';

type Labels = Record<string, string | number>;

/** Refreshes every gauge from the model at `now`. */
export interface GaugeSet {
  update(model: Model, now: number): void;
}

/** Register the gauges on `registry`; `hints` are the options of the slots and drain figures. */
export function createGauges(registry: Registry, hints: Partial<HintOptions>): GaugeSet {
  const gauges: Gauge<string>[] = [];
  const gauge = (name: string, help: string, labelNames: string[]) => {
    const g = new Gauge({ name, help, labelNames, registers: [registry] });
    gauges.push(g);
    return (labels: Labels, value: number | null) => {
      if (value !== null && Number.isFinite(value)) g.set(labels, value);
    };
  };
  const queueLength = gauge(
    'celery_queue_length',
    'Ready messages in the queue, summed over every priority list.',
    ['queue_name'],
  );
  const consumers = gauge(
    'celery_active_consumer_count',
    'Up workers consuming the queue (one consumer each on Redis).',
    ['queue_name'],
  );
  const workersPerQueue = gauge('celery_active_worker_count', 'Up workers consuming the queue.', [
    'queue_name',
  ]);
  const processes = gauge(
    'celery_active_process_count',
    'Pool processes of the up workers consuming the queue.',
    ['queue_name'],
  );
  const workerUp = gauge(
    'celery_worker_up',
    '1 while the worker is alive (heartbeats, or it answers control); worker is the full node name.',
    ['hostname', 'worker'],
  );
  const tasksActive = gauge('celery_worker_tasks_active', 'Tasks the worker is running now.', [
    'hostname',
    'worker',
  ]);
  const byPriority = gauge(
    'qtop_queue_priority_length',
    'Ready messages per priority list (step 0 runs first).',
    ['queue', 'priority'],
  );
  const reserved = gauge(
    'qtop_queue_reserved',
    'Messages of the queue held by workers (unacked: prefetched or ETA).',
    ['queue'],
  );
  const oldest = gauge(
    'qtop_queue_oldest_age_seconds',
    'Age of the longest-waiting message without an ETA.',
    ['queue'],
  );
  const slotsNeeded = gauge(
    'qtop_queue_slots_needed',
    'Slots (pool processes) the queue needs for the drain and wait targets: scale on this.',
    ['queue'],
  );
  const slotsCurrent = gauge('qtop_queue_slots_current', 'Slots serving the queue now.', ['queue']);
  const slotsAdd = gauge('qtop_queue_slots_add', 'Slots to add on top of the current ones (0 when enough).', [
    'queue',
  ]);
  const drain = gauge('qtop_queue_drain_seconds', 'Forecast seconds until the backlog is drained.', [
    'queue',
  ]);
  const poolSize = gauge('qtop_worker_pool_size', 'Pool processes of the worker.', ['worker']);
  const poolBusy = gauge('qtop_worker_pool_busy', 'Pool processes running a task.', ['worker']);
  const workerState = gauge('qtop_worker_state', '1 for the state qtop judges the worker in.', [
    'worker',
    'state',
  ]);
  const sourceUp = gauge(
    'qtop_source_up',
    '1 while the source reads fine (queues, events, inspect, results, …).',
    ['source'],
  );
  const updateBeat = beatGauges(gauge);

  const eventLoss = createEventLossMetrics(registry);

  return {
    update(model, now) {
      for (const g of gauges) g.reset();
      for (const q of selectQueues(model, now)) {
        const queue = { queue_name: q.name };
        queueLength(queue, q.total);
        consumers(queue, q.consumers.workers);
        workersPerQueue(queue, q.consumers.workers);
        processes(queue, q.consumers.slots ?? 0);
        for (const [step, n] of Object.entries(q.byPriority))
          byPriority({ queue: q.name, priority: step }, n);
        reserved({ queue: q.name }, q.reserved);
        oldest({ queue: q.name }, q.oldestAgeSec);
      }
      for (const h of selectHints(model, now, hints).queues) {
        const needed =
          h.slotsToDrain === null && h.slotsForWait === null
            ? null
            : Math.max(h.slotsToDrain ?? 0, h.slotsForWait ?? 0);
        slotsNeeded({ queue: h.queue }, needed);
        slotsCurrent({ queue: h.queue }, h.slots.current);
        slotsAdd({ queue: h.queue }, h.addSlots);
        drain({ queue: h.queue }, h.drainSec);
      }
      const workers = selectWorkers(model, now);
      for (const w of workerSeries(workers)) {
        workerUp(w.labels, w.up);
        tasksActive(w.labels, w.active);
      }
      for (const w of workers) {
        poolSize({ worker: w.hostname }, w.poolMax);
        poolBusy({ worker: w.hostname }, w.busy);
        workerState({ worker: w.hostname, state: w.state }, 1);
      }
      eventLoss.update(model, now);
      for (const s of selectSources(model, now)) sourceUp({ source: s.source }, s.ok ? 1 : 0);
      updateBeat(model, now);
    },
  };
}

/** One `celery_worker_up` / `celery_worker_tasks_active` series of one worker. */
export interface WorkerSeries {
  labels: { hostname: string; worker: string };
  up: number;
  active: number;
}

/**
 * One series per worker. celery-exporter's `hostname` (the host part) stays, so its dashboards'
 * selectors still match; `worker` (the full node name) keeps `w1@vm` and `w2@vm` apart, where
 * celery-exporter merges them (its PR 385). `max by (hostname)` gives celery-exporter's value.
 */
export function workerSeries(rows: readonly WorkerRow[]): WorkerSeries[] {
  return rows.map((w) => {
    const up = w.state === 'online' || w.state === 'pidbox-only';
    return {
      labels: { hostname: hostLabel(w.hostname), worker: w.hostname },
      up: up ? 1 : 0,
      active: up ? (w.busy ?? 0) : 0,
    };
  });
}
