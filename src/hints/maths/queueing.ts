/**
 * The fluid queueing formulas behind the scaling hints: with λ tasks/s arriving, c slots each
 * serving μ tasks/s and B tasks waiting, the backlog shrinks at c·μ − λ per second. These
 * ignore randomness on purpose: for a backlog of hundreds the fluid answer is what an on-call
 * engineer needs, and the M/M/c wait (erlang.ts) covers the steady state.
 */

/** Slack for ceilings of computed ratios: 4.000000000001 slots is 4 slots, not 5. */
const ceilSlack = 1e-9;

/** ρ = λ / (c·μ); null when c·μ is 0 or unknown. Above 1 the queue grows. */
export function utilization(
  arrivalPerSec: number | null,
  slots: number | null,
  servicePerSec: number | null,
): number | null {
  if (arrivalPerSec === null || slots === null || servicePerSec === null) return null;
  const capacity = slots * servicePerSec;
  return capacity > 0 ? arrivalPerSec / capacity : null;
}

/**
 * Seconds until a backlog of B is gone: B / (c·μ − λ). 0 when there is no backlog; null when
 * it never drains (c·μ ≤ λ) or an input is unknown.
 */
export function drainSec(
  backlog: number,
  slots: number | null,
  servicePerSec: number | null,
  arrivalPerSec: number | null,
): number | null {
  if (backlog <= 0) return 0;
  if (slots === null || servicePerSec === null || arrivalPerSec === null) return null;
  const net = slots * servicePerSec - arrivalPerSec;
  return net > 0 ? backlog / net : null;
}

/** λ − c·μ when it is ≥ 0 (the backlog cannot shrink); null otherwise or when unknown. */
export function growthPerSec(
  slots: number | null,
  servicePerSec: number | null,
  arrivalPerSec: number | null,
): number | null {
  if (slots === null || servicePerSec === null || arrivalPerSec === null) return null;
  const growth = arrivalPerSec - slots * servicePerSec;
  return growth >= 0 ? growth : null;
}

/**
 * Whole slots that drain B within T seconds while keeping up with arrivals:
 * ⌈(λ + B/T) / μ⌉. 0 with nothing waiting or arriving; otherwise null when μ is unknown or
 * not positive, or T is not positive.
 */
export function slotsToDrain(
  arrivalPerSec: number,
  backlog: number,
  targetSec: number,
  servicePerSec: number | null,
): number | null {
  const needed = slotLoad(arrivalPerSec, backlog, targetSec, servicePerSec);
  return needed === null ? null : Math.max(0, Math.ceil(needed - ceilSlack));
}

/** (λ + B/T) / μ before rounding up: the slot-time the queue needs, fractional; null as above. */
export function slotLoad(
  arrivalPerSec: number,
  backlog: number,
  targetSec: number,
  servicePerSec: number | null,
): number | null {
  if (arrivalPerSec <= 0 && backlog <= 0) return 0;
  if (servicePerSec === null || servicePerSec <= 0 || targetSec <= 0) return null;
  return (Math.max(0, arrivalPerSec) + Math.max(0, backlog) / targetSec) / servicePerSec;
}

/**
 * Whole slots to add so c covers `needed`. On shared slots c is a fraction of pools that other
 * queues also use, so whole-slot targets would ask for a slot a queue of rare, short tasks
 * does not need: there the fractional load (λ + B/T)/μ is compared with the share instead.
 */
export function slotsToAdd(needed: number, load: number, c: number, shared: boolean): number {
  const target = shared ? load : needed;
  return Math.max(0, Math.ceil(target - c - ceilSlack));
}
