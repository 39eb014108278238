/**
 * celery-exporter's task counters (`celery_task_sent_total{name,hostname,queue_name}`, …) and
 * runtime histogram, derived from the model's task timelines: every task event the store applied
 * is on its task's timeline with its type, time and sender. A periodic scan counts each entry
 * once, so the store needs no hook and the counters see exactly what the screen sees.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import type { Model } from '../../src/store/model.js';

/** Task event types and the celery-exporter counter each one feeds. */
const counterOf: Record<string, string> = {
  'task-sent': 'celery_task_sent_total',
  'task-received': 'celery_task_received_total',
  'task-started': 'celery_task_started_total',
  'task-succeeded': 'celery_task_succeeded_total',
  'task-failed': 'celery_task_failed_total',
  'task-rejected': 'celery_task_rejected_total',
  'task-revoked': 'celery_task_revoked_total',
  'task-retried': 'celery_task_retried_total',
};

/** prometheus_client's default histogram buckets, which celery-exporter uses, so dashboards line up. */
export const runtimeBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** celery-exporter labels a node `w1@host` by its host part (celery.utils.nodesplit). */
export function hostLabel(node: string | null): string {
  if (node === null) return '';
  const at = node.indexOf('@');
  return at < 0 ? node : node.slice(at + 1);
}

/** `ValueError('boom')` → `ValueError`, as celery-exporter's `exception` label (else `UnknownException`). */
export function exceptionLabel(exception: string | null): string {
  return /^(\w+)\(/.exec(exception ?? '')?.[1] ?? 'UnknownException';
}

/** Counts task events into prom-client metrics; `scan` is cheap enough to run every second. */
export interface TaskTally {
  scan(model: Model): void;
}

/** Register the counters and the histogram on `registry`; `defaultQueue` labels tasks of unknown queue. */
export function createTaskTally(registry: Registry, defaultQueue: string): TaskTally {
  const labelNames = ['name', 'hostname', 'queue_name'] as const;
  const counters = new Map<string, Counter<string>>();
  for (const [type, name] of Object.entries(counterOf)) {
    const labels = type === 'task-failed' ? [...labelNames, 'exception'] : [...labelNames];
    const help = `Task events of type ${type} qtop received (celery-exporter compatible).`;
    counters.set(type, new Counter({ name, help, labelNames: labels, registers: [registry] }));
  }
  const runtime = new Histogram({
    name: 'celery_task_runtime',
    help: 'Runtime of succeeded tasks, seconds (from task-succeeded events).',
    labelNames: [...labelNames],
    buckets: runtimeBuckets,
    registers: [registry],
  });
  /** Per task, the timeline entries already counted (`type@timestamp`). */
  const counted = new Map<string, Set<string>>();
  let lastScan = Number.NEGATIVE_INFINITY;

  return {
    scan(model) {
      const started = model.updatedAt;
      for (const record of model.tasks.values()) {
        if (record.updatedAt < lastScan) continue;
        let done = counted.get(record.id);
        for (const entry of record.timeline) {
          const counter = counters.get(entry.type);
          const key = `${entry.type}@${entry.timestamp}`;
          if (!counter || done?.has(key)) continue;
          if (!done) {
            done = new Set();
            counted.set(record.id, done);
          }
          done.add(key);
          const labels = {
            name: record.name ?? '',
            hostname: hostLabel(entry.hostname),
            queue_name: record.queue ?? defaultQueue,
          };
          if (entry.type === 'task-failed')
            counter.inc({ ...labels, exception: exceptionLabel(record.exception) });
          else counter.inc(labels);
          if (entry.type === 'task-succeeded' && record.runtime !== null)
            runtime.observe(labels, record.runtime);
        }
      }
      // Forget tasks the model evicted: a bounded map, and an evicted task sends no more events.
      if (counted.size > model.config.maxTasks * 2) {
        for (const id of counted.keys()) if (!model.tasks.has(id)) counted.delete(id);
      }
      lastScan = started;
    },
  };
}
