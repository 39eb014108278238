import { describe, expect, it } from 'vitest';
import { forecastText, formatDuration, formatRate, formatSetting } from '../../src/hints/maths/forecast.js';

describe('forecast words', () => {
  it('durations round to what an estimate deserves', () => {
    expect(formatDuration(0.2)).toBe('~1 s');
    expect(formatDuration(49.33)).toBe('~49 s');
    expect(formatDuration(89)).toBe('~89 s');
    expect(formatDuration(35 * 60)).toBe('~35 m');
    expect(formatDuration(2.5 * 3600)).toBe('~2.5 h');
    expect(formatDuration(30 * 3600)).toBe('~30 h');
    expect(formatDuration(5 * 86_400)).toBe('~5 d');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('∞');
  });

  it('settings print as typed', () => {
    expect([3600, 300, 30, 2.5, 5400, 90].map(formatSetting)).toEqual([
      '1h',
      '5m',
      '30s',
      '2.5s',
      '90m',
      '90s',
    ]);
  });

  it('rates keep two significant digits below 10/s', () => {
    expect(formatRate(12.4)).toBe('12/s');
    expect(formatRate(1.54)).toBe('1.5/s');
    expect(formatRate(0.254)).toBe('0.25/s');
  });

  it('reads at a glance', () => {
    expect(forecastText({ kind: 'draining', drainSec: 35 * 60 }).text).toBe('clears in ~35 m');
    expect(forecastText({ kind: 'growing', growthPerSec: 12 }).text).toBe('will not drain (growing 12/s)');
    expect(forecastText({ kind: 'growing', growthPerSec: 0 }).text).toBe(
      'will not drain (arrivals match capacity)',
    );
    expect(forecastText({ kind: 'stalled', reason: 'no consumer' }).text).toBe('stalled (no consumer)');
    expect(forecastText({ kind: 'idle' }).text).toBe('idle');
    expect(forecastText({ kind: 'keeping-up', utilization: 0.4 }).text).toBe('keeping up (40% busy)');
    expect(forecastText({ kind: 'insufficient', detail: '1 sample' }).text).toBe(
      'not enough data yet (1 sample)',
    );
  });
});
