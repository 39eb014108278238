import { describe, expect, it } from 'vitest';
import { seriesAdd } from '../../src/metrics/series.js';
import { createModel, ensureTaskName } from '../../src/store/create-model.js';
import type { Model } from '../../src/store/model.js';
import { selectThroughput } from '../../src/store/select-throughput.js';
import { apply, T0 } from './fixture-events.js';

function listening(): Model {
  const model = createModel(T0);
  apply(model, { type: 'source/recovered', at: T0, source: 'events' });
  return model;
}

describe('selectThroughput', () => {
  it('sums every task name per bucket, succeeded = finished - failed, per second', () => {
    const model = listening();
    const add = ensureTaskName(model, 'app.add', T0);
    const boom = ensureTaskName(model, 'app.boom', T0);
    seriesAdd(add.finishedRate, T0 + 61_000, 10);
    seriesAdd(boom.finishedRate, T0 + 61_000, 5);
    seriesAdd(boom.failedRate, T0 + 61_000, 5);
    seriesAdd(boom.retriedRate, T0 + 62_000, 2);
    const t = selectThroughput(model, T0 + 64_000);
    expect(t.succeeded).toHaveLength(180);
    expect(t.succeeded.at(-1)).toBe(2); // 10 in a 5 s bucket
    expect(t.failed.at(-1)).toBe(1);
    expect(t.retried.at(-1)).toBe(0.4);
    // The window is the last minute as whole buckets up to now: 64 s here.
    expect(t.current).toEqual({ succeeded: 10 / 64, failed: 5 / 64, retried: 2 / 64 });
  });

  it('before qtop started and before events ever worked, the rates are unknown, not zero', () => {
    const t = selectThroughput(listening(), T0 + 20_000);
    expect(t.succeeded.at(0)).toBeNull();
    expect(t.succeeded.at(-1)).toBe(0);
    const deaf = selectThroughput(createModel(T0), T0 + 20_000);
    expect(deaf.succeeded.every((v) => v === null)).toBe(true);
    expect(deaf.current).toEqual({ succeeded: null, failed: null, retried: null });
  });
});
