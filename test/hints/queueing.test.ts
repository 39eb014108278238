import { describe, expect, it } from 'vitest';
import { drainSec, growthPerSec, slotsToDrain, utilization } from '../../src/hints/maths/queueing.js';
import { prng } from './hint-model.js';

describe('fluid queueing formulas (worked examples)', () => {
  it('utilization ρ = λ/(c·μ): λ=2/s on 4 slots of 1.25/s is 2/5 = 0.4', () => {
    expect(utilization(2, 4, 1.25)).toBeCloseTo(0.4, 12);
    expect(utilization(6, 2, 1)).toBe(3);
  });

  it('drain time B/(c·μ − λ): 148 tasks, 4 slots of 1.25/s, 2/s arriving → 148/3 = 49.33 s', () => {
    expect(drainSec(148, 4, 1.25, 2)).toBeCloseTo(49.3333, 4);
    // λ = 0: the slots alone, 300/(2·2.5) = 60 s.
    expect(drainSec(300, 2, 2.5, 0)).toBeCloseTo(60, 12);
  });

  it('growth λ − c·μ when it cannot drain: 6/s against 2 slots of 1/s grows by 4/s', () => {
    expect(growthPerSec(2, 1, 6)).toBe(4);
    expect(drainSec(100, 2, 1, 6)).toBeNull();
    // Exactly balanced: it never drains and grows by 0.
    expect(growthPerSec(2, 1, 2)).toBe(0);
    expect(drainSec(100, 2, 1, 2)).toBeNull();
    expect(growthPerSec(4, 1.25, 2)).toBeNull();
  });

  it('slots to drain within T: ⌈(λ + B/T)/μ⌉', () => {
    // λ=2, B=148, T=300 s, μ=1.25: (2 + 0.4933)/1.25 = 1.9947 → 2.
    expect(slotsToDrain(2, 148, 300, 1.25)).toBe(2);
    // Same with T=10 s: (2 + 14.8)/1.25 = 13.44 → 14.
    expect(slotsToDrain(2, 148, 10, 1.25)).toBe(14);
    // λ=0, B=300, T=60, μ=2: 5/2 = 2.5 → 3.
    expect(slotsToDrain(0, 300, 60, 2)).toBe(3);
    // (0.1 + 0.2)/0.1 is 3.0000000000000004 in floating point: still 3 slots, not 4.
    expect(slotsToDrain(0.1 + 0.2, 0, 1, 0.1)).toBe(3);
  });

  it('edges: λ = 0, μ unknown, c = 0, nothing waiting', () => {
    expect(slotsToDrain(0, 0, 300, 1)).toBe(0);
    expect(slotsToDrain(0, 0, 300, null)).toBe(0);
    expect(slotsToDrain(1, 10, 300, null)).toBeNull();
    expect(slotsToDrain(1, 10, 0, 1)).toBeNull();
    expect(drainSec(0, null, null, null)).toBe(0);
    expect(drainSec(10, 0, 1, 0)).toBeNull();
    expect(drainSec(10, null, 1, 0)).toBeNull();
    expect(utilization(1, 0, 1)).toBeNull();
    expect(utilization(null, 2, 1)).toBeNull();
    expect(growthPerSec(0, 1, 3)).toBe(3);
  });

  it('property: more slots never predict a longer drain (seeded)', () => {
    const rand = prng(42);
    const asTime = (v: number | null) => v ?? Number.POSITIVE_INFINITY;
    for (let i = 0; i < 1000; i += 1) {
      const backlog = Math.floor(rand() * 10_000);
      const mu = 0.01 + rand() * 20;
      const lambda = rand() * 50;
      const c = rand() * 30;
      const more = c + rand() * 30;
      expect(asTime(drainSec(backlog, more, mu, lambda))).toBeLessThanOrEqual(
        asTime(drainSec(backlog, c, mu, lambda)),
      );
    }
  });

  it('property: more backlog never predicts fewer slots needed, nor a shorter drain (seeded)', () => {
    const rand = prng(43);
    for (let i = 0; i < 1000; i += 1) {
      const backlog = Math.floor(rand() * 10_000);
      const more = backlog + Math.floor(rand() * 10_000);
      const mu = 0.01 + rand() * 20;
      const lambda = rand() * 50;
      const target = 1 + rand() * 3600;
      expect(slotsToDrain(lambda, more, target, mu)!).toBeGreaterThanOrEqual(
        slotsToDrain(lambda, backlog, target, mu)!,
      );
      const c = 1 + rand() * 30;
      const now = drainSec(backlog, c, mu, lambda);
      const later = drainSec(more, c, mu, lambda);
      if (now !== null && later !== null) expect(later).toBeGreaterThanOrEqual(now);
    }
  });

  it('property: the slots to drain do drain within the target (seeded)', () => {
    const rand = prng(44);
    for (let i = 0; i < 1000; i += 1) {
      const backlog = 1 + Math.floor(rand() * 10_000);
      const mu = 0.01 + rand() * 20;
      const lambda = rand() * 50;
      const target = 1 + rand() * 3600;
      const c = slotsToDrain(lambda, backlog, target, mu)!;
      expect(drainSec(backlog, c, mu, lambda)!).toBeLessThanOrEqual(target * (1 + 1e-9));
    }
  });
});
