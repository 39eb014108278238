import { describe, expect, it } from 'vitest';
import { erlangB, erlangC, mmcWaitSec, slotsForWait } from '../../src/hints/maths/erlang.js';
import { prng } from './hint-model.js';

describe('Erlang B and C', () => {
  it('c=2, A=1 Erlang: P(wait) = 1/3 (worked by hand)', () => {
    // B(0)=1; B(1) = 1·1/(1+1·1) = 1/2; B(2) = 1·(1/2)/(2 + 1/2) = 1/5.
    // C = c·B / (c − A·(1 − B)) = 2·(1/5) / (2 − 1·(4/5)) = (2/5)/(6/5) = 1/3.
    expect(erlangB(2, 1)).toBeCloseTo(0.2, 12);
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
  });

  it('c=5, A=4 Erlangs: P(wait) = 0.5541 (the textbook table value)', () => {
    // B(1)=4/5=0.8; B(2)=3.2/5.2=0.615385; B(3)=2.461538/5.461538=0.450704;
    // B(4)=1.802817/5.802817=0.310680; B(5)=1.242718/6.242718=0.199067.
    // C = 5·0.199067 / (5 − 4·0.800933) = 0.995336/1.796267 = 0.554118.
    expect(erlangB(5, 4)).toBeCloseTo(0.199067, 5);
    expect(erlangC(5, 4)).toBeCloseTo(0.5541, 4);
  });

  it('matches the Erlang B table: c=10, A=5 → 0.01838', () => {
    expect(erlangB(10, 5)).toBeCloseTo(0.01838, 5);
  });

  it('edges: no servers or an unstable load always wait; no load never does', () => {
    expect(erlangC(0, 1)).toBe(1);
    expect(erlangC(3, 3)).toBe(1);
    expect(erlangC(3, 7)).toBe(1);
    expect(erlangC(4, 0)).toBe(0);
    expect(erlangB(0, 2)).toBe(1);
  });

  it('stays finite for loads far past where A^c/c! overflows (c=2000, A=1950)', () => {
    const c = erlangC(2000, 1950);
    expect(Number.isFinite(c)).toBe(true);
    expect(c).toBeGreaterThan(0);
    expect(c).toBeLessThan(1);
  });

  it('property: C never grows with more servers (seeded)', () => {
    const rand = prng(7);
    for (let i = 0; i < 500; i += 1) {
      const load = rand() * 50;
      const c = Math.floor(load) + 1 + Math.floor(rand() * 10);
      expect(erlangC(c + 1, load)).toBeLessThanOrEqual(erlangC(c, load) + 1e-12);
    }
  });
});

describe('M/M/c wait and slots for a wait target', () => {
  it('c=2, λ=1/s, μ=1/s: Wq = C/(cμ − λ) = (1/3)/(2 − 1) = 1/3 s', () => {
    expect(mmcWaitSec(2, 1, 1)).toBeCloseTo(1 / 3, 12);
  });

  it('λ=0 waits 0; c·μ ≤ λ never settles (null); μ=0 is unknown (null)', () => {
    expect(mmcWaitSec(3, 0, 1)).toBe(0);
    expect(mmcWaitSec(2, 2, 1)).toBeNull();
    expect(mmcWaitSec(2, 1, 0)).toBeNull();
  });

  it('λ=4/s, μ=1/s (A=4): 5 slots keep the wait under 1 s, 6 under 0.5 s (worked)', () => {
    // c=5: Wq = 0.554118/(5 − 4) = 0.554 s ≤ 1 → 5.  0.554 > 0.5, so try c=6:
    // B(6) = 4·0.199067/(6 + 0.796268) = 0.117164; C(6) = 6·0.117164/(6 − 4·0.882836) = 0.284764;
    // Wq = 0.284764/(6 − 4) = 0.142 s ≤ 0.5 → 6.
    expect(slotsForWait(4, 1, 1)).toBe(5);
    expect(slotsForWait(4, 1, 0.5)).toBe(6);
  });

  it('edges: no arrivals need 0 slots; unknown μ gives null; a zero target still ends', () => {
    expect(slotsForWait(0, 2, 30)).toBe(0);
    expect(slotsForWait(3, null, 30)).toBeNull();
    expect(slotsForWait(3, 0, 30)).toBeNull();
    const n = slotsForWait(1, 1, 0)!;
    expect(n).toBeGreaterThan(1);
  });

  it('the answer is always stable (c·μ > λ) and the smallest that meets the target', () => {
    const rand = prng(11);
    for (let i = 0; i < 300; i += 1) {
      const mu = 0.1 + rand() * 5;
      const lambda = rand() * 40;
      const target = 0.01 + rand() * 60;
      const c = slotsForWait(lambda, mu, target)!;
      if (lambda === 0) continue;
      expect(c * mu).toBeGreaterThan(lambda);
      expect(mmcWaitSec(c, lambda, mu)!).toBeLessThanOrEqual(target);
      if (c - 1 > lambda / mu) expect(mmcWaitSec(c - 1, lambda, mu)!).toBeGreaterThan(target);
    }
  });

  it('property: more arrivals never need fewer slots (seeded)', () => {
    const rand = prng(13);
    for (let i = 0; i < 300; i += 1) {
      const mu = 0.1 + rand() * 5;
      const lambda = rand() * 40;
      const target = 0.01 + rand() * 60;
      expect(slotsForWait(lambda * (1 + rand()), mu, target)!).toBeGreaterThanOrEqual(
        slotsForWait(lambda, mu, target)!,
      );
    }
  });
});
