import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../commands/shared/duration.js';

describe('parseDuration', () => {
  it('reads the units people type, and bare seconds', () => {
    expect(parseDuration('30s')).toEqual({ ok: true, sec: 30 });
    expect(parseDuration('5m')).toEqual({ ok: true, sec: 300 });
    expect(parseDuration('1h')).toEqual({ ok: true, sec: 3600 });
    expect(parseDuration('1.5h')).toEqual({ ok: true, sec: 5400 });
    expect(parseDuration('2d')).toEqual({ ok: true, sec: 172_800 });
    expect(parseDuration('500ms')).toEqual({ ok: true, sec: 0.5 });
    expect(parseDuration('90')).toEqual({ ok: true, sec: 90 });
    expect(parseDuration(' 10 S ')).toEqual({ ok: true, sec: 10 });
  });

  it('refuses what it cannot read, and zero', () => {
    for (const bad of ['', 'm', '5x', '-5s', '5m30s', 'soon', '1e3'])
      expect(parseDuration(bad).ok).toBe(false);
    expect(parseDuration('0s')).toEqual({ ok: false, reason: "must be more than 0, got '0s'" });
  });
});
