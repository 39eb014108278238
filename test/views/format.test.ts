import { describe, expect, it } from 'vitest';
import {
  formatAge,
  formatBytes,
  formatClock,
  formatCount,
  formatDuration,
  formatPercent,
  formatRate,
  formatTrend,
  sparkline,
} from '../../views/present/format.js';
import { displayWidth, fitEnd, fitWidth, truncate, wordWrap, wrap } from '../../views/present/text-width.js';

describe('format', () => {
  it('durations', () => {
    expect(formatDuration(null)).toBe('-');
    expect(formatDuration(0.0123)).toBe('12ms');
    expect(formatDuration(2.345)).toBe('2.35s');
    expect(formatDuration(12.34)).toBe('12.3s');
    expect(formatDuration(245)).toBe('4m05s');
    expect(formatDuration(7380)).toBe('2h03m');
    expect(formatDuration(3 * 86_400 + 4 * 3600)).toBe('3d04h');
  });

  it('ages are whole units', () => {
    expect(formatAge(0.4)).toBe('0s');
    expect(formatAge(59.9)).toBe('59s');
    expect(formatAge(61)).toBe('1m01s');
    expect(formatAge(null)).toBe('-');
  });

  it('rates, trends, counts, bytes, percentages; unknown is "-", never 0', () => {
    expect(formatRate(null)).toBe('-');
    expect(formatRate(0)).toBe('0');
    expect(formatRate(0.05)).toBe('3.0/m');
    expect(formatRate(4.21)).toBe('4.2/s');
    expect(formatRate(120.4)).toBe('120/s');
    expect(formatRate(1234)).toBe('1.2k/s');
    expect(formatTrend(2)).toBe('+2.0/s');
    expect(formatTrend(-0.5)).toBe('-0.5/s');
    expect(formatCount(9999)).toBe('9999');
    expect(formatCount(12_345)).toBe('12.3k');
    expect(formatCount(4_500_000)).toBe('4.5M');
    expect(formatBytes(512)).toBe('512B');
    expect(formatBytes(1536)).toBe('1.5KiB');
    expect(formatPercent(0.005)).toBe('0.5%');
    expect(formatPercent(0.25)).toBe('25%');
    expect(formatPercent(null)).toBe('-');
  });

  it('clock times are local (TZ is pinned to UTC for tests)', () => {
    expect(formatClock(Date.UTC(2026, 10, 24, 12, 3, 4, 56) / 1000)).toBe('12:03:04.056');
  });

  it('sparklines scale to their maximum, show gaps as blanks and keep the newest samples', () => {
    expect(sparkline([0, 1, 2, 4, 8], 5)).toBe('▁▂▃▅█');
    expect(sparkline([4, null, 4], 3)).toBe('█ █');
    expect(sparkline([1, 2], 4)).toBe('  ▅█');
    expect(sparkline([1, 2, 3, 4], 2)).toBe('▆█');
    expect(sparkline([0, 4], 2, true)).toBe('_#');
  });
});

describe('text width', () => {
  it('counts wide characters as two cells and combining marks as none', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('漢字')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('🙂')).toBe(2);
  });

  it('truncates by cells with an ellipsis and pads to an exact width', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('漢字漢字', 5)).toBe('漢字…');
    expect(fitWidth('ab', 4)).toBe('ab  ');
    expect(fitWidth('ab', 4, 'right')).toBe('  ab');
    expect(displayWidth(fitWidth('漢字漢字', 5))).toBe(5);
    expect(fitEnd('▁▂▃▄', 2)).toBe('▃▄');
  });

  it('wraps long lines with indented continuations', () => {
    expect(wrap('abcdefgh\nxy', 5)).toEqual(['abcde', '  fgh', 'xy']);
    expect(wrap('', 5)).toEqual(['']);
  });

  it('word-wraps prose at spaces, hard-wrapping only a word longer than the line', () => {
    expect(wordWrap("from queue 'parked'.", 12)).toEqual(['from queue', "'parked'."]);
    expect(wordWrap('a abcdefghij b', 4)).toEqual(['a', 'abcd', 'efgh', 'ij b']);
    expect(wordWrap('', 5)).toEqual(['']);
  });
});
