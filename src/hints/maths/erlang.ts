/**
 * M/M/c queueing (Erlang B and C), for "how many slots keep the wait under a target". A pool
 * of c slots serving one queue is treated as c servers with exponential service at rate μ
 * and Poisson arrivals at rate λ; offered load A = λ/μ Erlangs. Real task runtimes are rarely
 * exponential, so the wait is an estimate of the order of magnitude, not a promise.
 *
 * Numerics: the textbook forms use A^c / c!, which overflows near c = 170. The recurrence
 * B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1)) stays in [0, 1] for any c, and C follows from B.
 */

/** Erlang B: the blocking probability of c servers offered A Erlangs (c ≥ 0, A ≥ 0). */
export function erlangB(c: number, load: number): number {
  let b = 1;
  for (let k = 1; k <= c; k += 1) b = (load * b) / (k + load * b);
  return b;
}

/** Erlang C from Erlang B of the same c and A; 1 when A ≥ c (every arrival waits forever). */
function erlangCFromB(c: number, load: number, b: number): number {
  if (load >= c) return 1;
  return (c * b) / (c - load * (1 - b));
}

/**
 * Erlang C: the probability that an arrival has to wait, for c servers offered A Erlangs.
 * 1 when the system is unstable (A ≥ c). Worked values: c=2, A=1 → 1/3; c=5, A=4 → 0.5541.
 */
export function erlangC(c: number, load: number): number {
  if (c <= 0) return 1;
  return erlangCFromB(c, load, erlangB(c, load));
}

/**
 * Mean steady-state wait in the queue (not counting service), seconds, of an M/M/c system:
 * Wq = C(c, A) / (c·μ − λ). 0 without arrivals; null when c·μ ≤ λ (the queue grows forever)
 * or μ is not positive.
 */
export function mmcWaitSec(c: number, arrivalPerSec: number, servicePerSec: number): number | null {
  if (arrivalPerSec <= 0) return 0;
  if (servicePerSec <= 0 || c * servicePerSec <= arrivalPerSec) return null;
  return erlangC(c, arrivalPerSec / servicePerSec) / (c * servicePerSec - arrivalPerSec);
}

/** Past this many slots above the offered load the search stops (the wait is ~0 long before). */
const searchHeadroom = 10_000;

/**
 * The fewest whole slots c with c·μ > λ and M/M/c wait ≤ `targetSec`. 0 without arrivals;
 * null when μ is unknown or not positive. B(c) is carried along the search so each step costs
 * O(1), which keeps this cheap for loads of thousands of Erlangs.
 */
export function slotsForWait(
  arrivalPerSec: number,
  servicePerSec: number | null,
  targetSec: number,
): number | null {
  if (arrivalPerSec <= 0) return 0;
  if (servicePerSec === null || servicePerSec <= 0) return null;
  const load = arrivalPerSec / servicePerSec;
  let c = Math.floor(load) + 1;
  let b = erlangB(c, load);
  const limit = c + searchHeadroom;
  for (; c < limit; c += 1) {
    if (c > Math.floor(load) + 1) b = (load * b) / (c + load * b);
    const wait = erlangCFromB(c, load, b) / (c * servicePerSec - arrivalPerSec);
    if (wait <= targetSec) return c;
  }
  return limit;
}
