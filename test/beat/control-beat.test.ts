import { describe, expect, it } from 'vitest';
import { redbeatScore } from '../../commands/control/beat.js';
import type { BeatDefinition } from '../../src/beat/types.js';

const def = (schedule: BeatDefinition['schedule']): BeatDefinition => ({
  name: 'e',
  task: 'app.add',
  args: [],
  kwargs: {},
  options: {},
  schedule,
  enabled: true,
});

describe("RedBeat's score on save (enable/disable)", () => {
  const now = Date.UTC(2026, 11, 7, 14, 0, 10, 500);
  const every5 = def({ kind: 'interval', everySec: 5, relative: false });
  it('is now for a never-run or overdue entry', () => {
    expect(redbeatScore(every5, null, now)).toBe(Math.floor(now / 1000));
    expect(redbeatScore(every5, now - 60_000, now)).toBe(Math.floor(now / 1000));
  });

  it('is last_run_at + remaining_estimate(last_run_at), floored, as RedBeat computes it', () => {
    // remaining = last + 5 s - now = 3.5 s; due_at = last + 3.5 s (RedBeat's own formula).
    const last = now - 1500;
    expect(redbeatScore(every5, last, now)).toBe(Math.floor((last + 3500) / 1000));
    const minutely = def({
      kind: 'crontab',
      minute: '*',
      hour: '*',
      dayOfWeek: '*',
      dayOfMonth: '*',
      monthOfYear: '*',
    });
    const cronLast = Date.UTC(2026, 11, 7, 14, 0, 0, 100);
    // next fire 14:01:00; remaining 49.5 s; due_at = 14:00:49.6
    expect(redbeatScore(minutely, cronLast, now)).toBe(Math.floor((cronLast + 49_500) / 1000));
  });

  it('is unknown for schedules qtop does not compute (the caller keeps the current score)', () => {
    expect(redbeatScore(def({ kind: 'solar', event: 'sunset', lat: 0, lon: 0 }), now - 1000, now)).toBeNull();
  });
});
