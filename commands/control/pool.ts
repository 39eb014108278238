/**
 * Pool size of one worker: `pool_grow` / `pool_shrink` by n processes, or the `autoscale` range
 * (wire doc 7.3). The worker's reply is shown as is, including its refusals: pool_grow on an
 * autoscaling worker says "pool_grow is not supported with autoscale. Adjust autoscale range
 * instead.", autoscale on a fixed pool says "ValueError('Autoscale not enabled')".
 */
import type { ControlOutcome } from '../../src/control/controls.js';
import { outcome } from './outcome.js';
import { type ControlRuntime, sendCommand } from './runtime.js';

function count(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 1;
}

/** Grow (`grow` true) or shrink one worker's pool by `n` >= 1 processes. */
export function poolResize(
  rt: ControlRuntime,
  worker: string,
  n: number,
  grow: boolean,
): Promise<ControlOutcome> {
  const refused = rt.refuseWrite();
  if (refused) return Promise.resolve(refused);
  if (!count(n))
    return Promise.resolve(outcome('refused', `refused: n must be a whole number >= 1, got ${n}`));
  const method = grow ? 'pool_grow' : 'pool_shrink';
  return sendCommand(
    rt,
    [worker],
    { method, arguments: { n } },
    (target) => `pool of ${target} will ${grow ? 'grow' : 'shrink'} by ${n}`,
  );
}

/** Set one worker's autoscale range; `max` >= `min` >= 0 (Celery's `--autoscale max,min` order). */
export function autoscale(
  rt: ControlRuntime,
  worker: string,
  max: number,
  min: number,
): Promise<ControlOutcome> {
  const refused = rt.refuseWrite();
  if (refused) return Promise.resolve(refused);
  if (!Number.isSafeInteger(max) || !Number.isSafeInteger(min) || min < 0 || max < 1 || max < min) {
    return Promise.resolve(
      outcome('refused', `refused: autoscale needs MAX >= MIN >= 0 and MAX >= 1, got ${max} ${min}`),
    );
  }
  return sendCommand(
    rt,
    [worker],
    { method: 'autoscale', arguments: { max, min } },
    (target) => `autoscale of ${target} now max=${max} min=${min}`,
  );
}
