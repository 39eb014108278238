import { describe, expect, it } from 'vitest';
import type { Action } from '../../src/store/actions.js';
import { createModel } from '../../src/store/create-model.js';
import { reduceHealth } from '../../src/store/reduce-health.js';
import { T0 } from './fixture-events.js';

const at = (ms: number) => T0 + ms;
const failed = (ms: number, reason: string): Action => ({
  type: 'source/failed',
  at: at(ms),
  source: 'events',
  reason,
});
const explained = (fromMs: number, reason: string): Action => ({
  type: 'source/gap-explained',
  at: at(9_000),
  source: 'events',
  from: at(fromMs),
  reason,
});

describe('reduceHealth: source/gap-explained', () => {
  it('renames the gap that began at `from`, even after it closed, and the error of that failure', () => {
    const model = createModel(T0);
    reduceHealth(model, failed(1_000, 'connection closed'));
    reduceHealth(model, { type: 'source/recovered', at: at(3_000), source: 'events' });
    expect(reduceHealth(model, explained(1_000, 'events lost: cut off'))).toBe(true);
    expect(model.sources.events.gaps).toEqual([
      { from: at(1_000), to: at(3_000), reason: 'events lost: cut off' },
    ]);
    expect(model.sources.events.lastError).toBe('events lost: cut off');
  });

  it('leaves a newer failure and unknown gaps alone', () => {
    const model = createModel(T0);
    reduceHealth(model, failed(1_000, 'first'));
    reduceHealth(model, { type: 'source/recovered', at: at(2_000), source: 'events' });
    reduceHealth(model, failed(4_000, 'second'));
    reduceHealth(model, explained(1_000, 'first, explained'));
    expect(model.sources.events.gaps.map((g) => g.reason)).toEqual(['first, explained', 'second']);
    expect(model.sources.events.lastError).toBe('second');
    expect(reduceHealth(model, explained(5_000, 'no such gap'))).toBe(false);
    expect(model.sources.events.gaps.map((g) => g.reason)).toEqual(['first, explained', 'second']);
  });
});
