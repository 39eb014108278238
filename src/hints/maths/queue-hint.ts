/**
 * One queue's scaling hint, assembled from the estimates (λ, μ, c, B): the forecast words,
 * utilization, drain time or growth, the M/M/c wait, and the slots the two targets need.
 * Every number that rests on an unknown input is null, and the forecast then says
 * "not enough data yet (n samples)" instead of guessing.
 */
import { hintConfidence } from './confidence.js';
import { mmcWaitSec, slotsForWait } from './erlang.js';
import { type ForecastInput, forecastText, plural } from './forecast.js';
import { drainSec, growthPerSec, slotLoad, slotsToAdd, slotsToDrain, utilization } from './queueing.js';
import type { ArrivalEstimate, HintOptions, QueueHint, ServiceEstimate, SlotsEstimate } from './types.js';

/** Seconds of consumers idling beside ready messages before a queue is called stalled. */
export const stallAfterSec = 10;

export interface QueueHintInput {
  queue: string;
  oldestAgeSec: number | null;
  oldestAgeIsLowerBound: boolean;
  backlog: QueueHint['backlog'];
  arrival: ArrivalEstimate;
  service: ServiceEstimate;
  slots: SlotsEstimate;
  windowSec: number;
  eventsKnown: boolean;
  /** Every consumer reports no task running (heartbeat `active` or an `active` reply). */
  consumersIdle: boolean;
  options: HintOptions;
}

function forecastOf(input: QueueHintInput, rho: number | null, drain: number | null): ForecastInput {
  const { backlog, arrival, service, slots } = input;
  const lambda = arrival.perSec;
  const hasConsumer = slots.workers.length > 0 || slots.unknownQueues > 0;
  if (backlog.total > 0 && !hasConsumer) return { kind: 'stalled', reason: 'no consumer' };
  if (
    backlog.ready > 0 &&
    input.consumersIdle &&
    input.windowSec >= stallAfterSec &&
    arrival.outflowPerSec === 0
  ) {
    return { kind: 'stalled', reason: `workers idle, nothing taken for ${Math.round(input.windowSec)} s` };
  }
  if (lambda === null) return { kind: 'insufficient', detail: plural(arrival.samples, 'sample') };
  if (backlog.total === 0 && lambda === 0) return { kind: 'idle' };
  if (service.perSlotPerSec === null) return { kind: 'insufficient', detail: 'no task runtimes' };
  if (slots.current === null) return { kind: 'insufficient', detail: 'pool sizes unknown' };
  const growth = growthPerSec(slots.current, service.perSlotPerSec, lambda);
  if (growth !== null) return { kind: 'growing', growthPerSec: growth };
  if (backlog.total === 0) return { kind: 'keeping-up', utilization: rho };
  return { kind: 'draining', drainSec: drain ?? 0 };
}

/** The hint for one queue; see types.ts for each field. */
export function queueHint(input: QueueHintInput): QueueHint {
  const { backlog, arrival, service, slots, options } = input;
  const lambda = arrival.perSec;
  const mu = service.perSlotPerSec;
  const c = slots.current;
  const rho = utilization(lambda, c, mu);
  // B was sampled `ageSec` ago and has been draining since: count the drain from the sample.
  const fromSample = drainSec(backlog.total, c, mu, lambda);
  const drain = fromSample === null ? null : Math.max(0, fromSample - (backlog.ageSec ?? 0));
  const toDrain = lambda === null ? null : slotsToDrain(lambda, backlog.total, options.targetSec, mu);
  const forWait = lambda === null ? null : slotsForWait(lambda, mu, options.waitTargetSec);
  const load = lambda === null ? null : slotLoad(lambda, backlog.total, options.targetSec, mu);
  let addSlots: number | null = null;
  if (toDrain !== null && forWait !== null && load !== null && c !== null) {
    addSlots = slotsToAdd(Math.max(toDrain, forWait), load, c, slots.shared);
  }
  const { confidence, notes } = hintConfidence(input);
  if (slots.shared && addSlots !== null) {
    notes.push(
      'shared slots: ADD compares the load (λ + B/T)/μ with the share; the wait target is not applied',
    );
  }
  return {
    queue: input.queue,
    forecast: forecastText(forecastOf(input, rho, drain)),
    oldestAgeSec: input.oldestAgeSec,
    oldestAgeIsLowerBound: input.oldestAgeIsLowerBound,
    backlog,
    arrival,
    service,
    slots,
    utilization: rho,
    drainSec: lambda === null ? null : drain,
    growthPerSec: growthPerSec(c, mu, lambda),
    predictedWaitSec:
      lambda === null || mu === null || c === null ? null : mmcWaitSec(Math.floor(c), lambda, mu),
    slotsToDrain: toDrain,
    slotsForWait: forWait,
    addSlots,
    confidence,
    notes,
  };
}
