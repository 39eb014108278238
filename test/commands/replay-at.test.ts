import { describe, expect, it } from 'vitest';
import { parseAt } from '../../commands/record/replay-at.js';
import { parseSpeed } from '../../commands/record/replay-cli.js';
import { parseByteSize } from '../../commands/shared/byte-size.js';

const startAt = Date.UTC(2026, 10, 24, 12, 0, 0);
const range = { startAt, endAt: startAt + 300_000 };
const at = (value: string) => {
  const result = parseAt(value, range);
  return result.ok ? result.at : result.reason;
};

describe('--at TIME of a replay', () => {
  it('names the ends of the recording', () => {
    expect(at('start')).toBe(startAt);
    expect(at('end')).toBe(startAt + 300_000);
    expect(at(' end ')).toBe(startAt + 300_000);
  });

  it('takes offsets from the start (+) and back from the end (-)', () => {
    expect(at('+90s')).toBe(startAt + 90_000);
    expect(at('+1.5m')).toBe(startAt + 90_000);
    expect(at('+90')).toBe(startAt + 90_000);
    expect(at('+0')).toBe(startAt);
    expect(at('+0s')).toBe(startAt);
    expect(at('-30s')).toBe(startAt + 270_000);
    expect(at('-5m')).toBe(startAt);
    expect(at('+250ms')).toBe(startAt + 250);
  });

  it('takes ISO 8601 times', () => {
    expect(at('2026-11-24T12:03:00Z')).toBe(startAt + 180_000);
    expect(at('2026-11-24T12:03:00.250Z')).toBe(startAt + 180_250);
    expect(at('2026-11-24T13:03:00+01:00')).toBe(startAt + 180_000);
  });

  it('refuses a moment outside the recording, saying where it runs', () => {
    expect(at('+6m')).toBe(
      "'+6m' is outside the recording: the recording runs from 2026-11-24T12:00:00.000Z to 2026-11-24T12:05:00.000Z (+300s)",
    );
    expect(at('-301s')).toMatch(/^'-301s' is outside the recording/);
    expect(at('2026-11-24T11:59:59Z')).toMatch(/outside the recording/);
  });

  it('refuses what it cannot read, with the forms it takes', () => {
    expect(at('soon')).toBe(
      "expected start, end, +90s (from the start), -30s (before the end) or an ISO time, got 'soon'",
    );
    expect(at('+')).toMatch(/^expected \+DURATION or -DURATION/);
    expect(at('+ten')).toMatch(/^expected \+DURATION/);
    expect(at('2026-13-45T99:00:00Z')).toMatch(/^expected start, end/);
    expect(at('90s')).toMatch(/^expected start, end/);
  });
});

describe('record and replay flag values', () => {
  it('--max-size takes sizes in powers of 1024', () => {
    expect(parseByteSize('100MB')).toEqual({ ok: true, bytes: 100 * 1024 ** 2 });
    expect(parseByteSize('100mib')).toEqual({ ok: true, bytes: 100 * 1024 ** 2 });
    expect(parseByteSize('512k')).toEqual({ ok: true, bytes: 512 * 1024 });
    expect(parseByteSize('1.5G')).toEqual({ ok: true, bytes: 1.5 * 1024 ** 3 });
    expect(parseByteSize('20000')).toEqual({ ok: true, bytes: 20_000 });
    expect(parseByteSize('20000B')).toEqual({ ok: true, bytes: 20_000 });
    expect(parseByteSize('0MB')).toEqual({ ok: false, reason: "must be at least 1 byte, got '0MB'" });
    expect(parseByteSize('lots').ok).toBe(false);
    expect(parseByteSize('10TB').ok).toBe(false);
  });

  it('--speed takes a factor within the playback range', () => {
    expect(parseSpeed(undefined)).toBe(1);
    expect(parseSpeed('10')).toBe(10);
    expect(parseSpeed('0.5x')).toBe(0.5);
    expect(() => parseSpeed('0')).toThrow(/--speed must be a number from 0.0625 to 1024, got '0'/);
    expect(() => parseSpeed('fast')).toThrow(/--speed/);
    expect(() => parseSpeed('2000')).toThrow(/--speed/);
  });
});
