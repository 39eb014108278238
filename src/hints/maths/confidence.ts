/**
 * How far to trust a queue's numbers, and why, in words. The rules are deliberately simple
 * thresholds on what each estimate rests on, so a reader can check them by hand:
 *
 * - low: under 10 s of data; a slope from fewer than 5 backlog samples; μ from fewer than 10
 *   runtimes or completions; λ without task events (slope only, a lower bound); a consumer
 *   whose pool size or queue list is unknown.
 * - high: at least 30 s of data, λ from `task-sent` or 10+ backlog samples, μ from 30+
 *   runtimes or completions, no shared slots, and no caveat on μ.
 * - medium: everything in between.
 */
import type { ArrivalEstimate, Confidence, ServiceEstimate, SlotsEstimate } from './types.js';

/** Runtimes this short leave out a worker overhead of the same order (prefork IPC, acks, events). */
export const shortTaskSec = 0.1;

export interface ConfidenceInput {
  windowSec: number;
  eventsKnown: boolean;
  arrival: ArrivalEstimate;
  service: ServiceEstimate;
  slots: SlotsEstimate;
}

/** The confidence of a queue hint and the notes that explain it. */
export function hintConfidence(input: ConfidenceInput): { confidence: Confidence; notes: string[] } {
  const { arrival, service, slots } = input;
  const low: string[] = [];
  const capped: string[] = [];
  const info: string[] = [];
  if (input.windowSec < 10) low.push(`only ${Math.round(input.windowSec)} s of data (use a longer --window)`);
  else if (input.windowSec < 30) capped.push(`${Math.round(input.windowSec)} s of data`);
  if (!input.eventsKnown) low.push('no task events: λ is the backlog slope alone (a lower bound)');
  if (arrival.method === 'task-sent') info.push(`λ from ${arrival.samples} task-sent events`);
  else if (arrival.samples < 5) low.push(`λ from ${arrival.samples} backlog samples`);
  else if (arrival.samples < 10) capped.push(`λ from ${arrival.samples} backlog samples`);
  else info.push(`λ from backlog slope (${arrival.samples} samples) plus outflow`);
  const evidence = service.method === 'throughput' ? service.finishedInWindow : service.runtimeSamples;
  const what = service.method === 'throughput' ? 'completions while backlogged' : 'runtimes';
  if (service.method === null) {
    low.push(
      slots.workers.length === 0
        ? 'μ unknown: no consumer has run its tasks'
        : 'μ unknown: no runtimes for this queue (task events off? celery control enable_events)',
    );
  } else if (evidence < 10) low.push(`μ from ${evidence} ${what}`);
  else if (evidence < 30) capped.push(`μ from ${evidence} ${what}`);
  else info.push(`μ from ${evidence} ${what}`);
  if (
    service.method === 'runtime' &&
    service.meanRuntimeSec !== null &&
    service.meanRuntimeSec < shortTaskSec
  ) {
    capped.push('short tasks: runtime leaves out worker overhead, so μ may be high');
  }
  if (slots.unknownPools > 0) low.push(`${slots.unknownPools} consumer(s) without a known pool size`);
  if (slots.unknownQueues > 0) low.push(`${slots.unknownQueues} up worker(s) did not report their queues`);
  if (slots.shared)
    capped.push('slots shared with other queues (split by mean runtime among queues with work)');
  const confidence: Confidence = low.length > 0 ? 'low' : capped.length > 0 ? 'medium' : 'high';
  return { confidence, notes: [...low, ...capped, ...info] };
}
