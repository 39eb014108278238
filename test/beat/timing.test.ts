import { describe, expect, it } from 'vitest';
import { closeSends, failedRunsInARow } from '../../src/beat/run-checks.js';
import { isLate, lagSec, lateToleranceSec, ranOnTime } from '../../src/beat/timing.js';

describe('lateness', () => {
  it('scales the tolerance with the period above the minimum', () => {
    expect(lateToleranceSec(2)).toBe(10);
    expect(lateToleranceSec(3600)).toBe(360);
    expect(lateToleranceSec(null)).toBe(10);
  });

  it('judges due entries and past runs', () => {
    const due = 1_000_000;
    expect(lagSec(due, due - 5000)).toBe(0);
    expect(lagSec(due, due + 4000)).toBe(4);
    expect(lagSec(null, due)).toBeNull();
    expect(isLate(due, due + 9_000, 2)).toBe(false);
    expect(isLate(due, due + 11_000, 2)).toBe(true);
    expect(isLate(due, due + 11_000, 3600)).toBe(false);
    expect(ranOnTime(due, due + 500, 5)).toBe(true);
    expect(ranOnTime(due, due + 30_000, 5)).toBe(false);
    expect(ranOnTime(null, due, 5)).toBeNull();
  });
});

describe('run checks', () => {
  it('counts sends closer than half a period', () => {
    expect(closeSends([0, 10, 20, 30, 40], 10)).toBe(0);
    expect(closeSends([0, 3, 10, 13, 20, 23], 10)).toBe(3);
    expect(closeSends([0, 10, 12, 20], 10)).toBe(1); // one manual "run now"
  });

  it('counts failed runs in a row, skipping unknown ones', () => {
    expect(failedRunsInARow(['SUCCESS', 'FAILURE', null, 'FAILURE', 'FAILURE'])).toBe(3);
    expect(failedRunsInARow(['FAILURE', 'SUCCESS'])).toBe(0);
    expect(failedRunsInARow([])).toBe(0);
  });
});
