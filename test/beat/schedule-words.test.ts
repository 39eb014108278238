import { describe, expect, it } from 'vitest';
import { cronPeriodSec, nextCronFire, parseCronField } from '../../src/beat/crontab.js';
import { redbeatNextDue } from '../../src/beat/next-due.js';
import { formatPeriod, schedulePeriodSec, scheduleWords } from '../../src/beat/schedule-words.js';

const cron = (minute: string, hour = '*', dayOfMonth = '*', monthOfYear = '*', dayOfWeek = '*') => ({
  kind: 'crontab' as const,
  minute,
  hour,
  dayOfWeek,
  dayOfMonth,
  monthOfYear,
});

describe('schedule in words', () => {
  it('says intervals compactly and crons in cron order', () => {
    expect(scheduleWords({ kind: 'interval', everySec: 5, relative: false })).toBe('every 5s');
    expect(scheduleWords({ kind: 'interval', everySec: 90, relative: false })).toBe('every 1m30s');
    expect(scheduleWords({ kind: 'interval', everySec: 1.5, relative: true })).toBe('every 1.5s (relative)');
    expect(scheduleWords(cron('0', '3'))).toBe('cron 0 3 * * *');
    expect(scheduleWords(cron('*/15', '9-17', '*', '*', 'mon-fri'))).toBe('cron */15 9-17 * * mon-fri');
    expect(scheduleWords({ kind: 'rrule', freq: 4, interval: 2 })).toBe('rrule hourly every 2');
    expect(scheduleWords({ kind: 'unknown', reason: 'odd' })).toBe('unknown (odd)');
    expect(formatPeriod(86_400 + 4 * 3600)).toBe('1d4h');
  });

  it('parses Celery crontab fields', () => {
    expect([...parseCronField('*/15', 0, 59)!]).toEqual([0, 15, 30, 45]);
    expect([...parseCronField('mon-fri', 0, 6)!]).toEqual([1, 2, 3, 4, 5]);
    expect([...parseCronField('1,5-7', 0, 59)!]).toEqual([1, 5, 6, 7]);
    expect(parseCronField('61', 0, 59)).toBeNull();
    expect(parseCronField('x', 0, 59)).toBeNull();
  });

  it('finds the next fire and the period', () => {
    const at = Date.UTC(2026, 11, 7, 14, 5, 30);
    expect(nextCronFire(cron('*'), at)).toBe(Date.UTC(2026, 11, 7, 14, 6));
    expect(nextCronFire(cron('0', '3'), at)).toBe(Date.UTC(2026, 11, 8, 3));
    // 2026-12-07 is a Monday; Saturday 0:00 is the 12th.
    expect(nextCronFire(cron('0', '0', '*', '*', 'sat'), at)).toBe(Date.UTC(2026, 11, 12));
    expect(cronPeriodSec(cron('*/5'), at)).toBe(300);
    expect(schedulePeriodSec(cron('0', '3'), at)).toBe(86_400);
    expect(schedulePeriodSec({ kind: 'interval', everySec: 2, relative: false }, at)).toBe(2);
    expect(schedulePeriodSec({ kind: 'solar', event: 'sunset', lat: 0, lon: 0 }, at)).toBeNull();
  });
});

describe('RedBeat next due', () => {
  const every2 = { kind: 'interval' as const, everySec: 2, relative: false };
  const minutely = cron('*');
  const last = Date.UTC(2026, 11, 7, 14, 5, 30, 400);
  it('recomputes the exact due time where the score agrees, else keeps the score', () => {
    // RedBeat floors last + 2 s less a moment: 14:05:32.
    expect(redbeatNextDue(every2, last, Date.UTC(2026, 11, 7, 14, 5, 32))).toBe(last + 2000);
    expect(redbeatNextDue(every2, null, 1000)).toBe(1000);
    // Measured: a crontab due at 14:06:00 scores 14:05:59.
    expect(redbeatNextDue(minutely, last, Date.UTC(2026, 11, 7, 14, 5, 59))).toBe(
      Date.UTC(2026, 11, 7, 14, 6),
    );
    expect(redbeatNextDue(minutely, null, last)).toBe(Date.UTC(2026, 11, 7, 14, 6));
    // A score an hour away (another app timezone) wins over the UTC recomputation.
    expect(redbeatNextDue(minutely, last, last + 3_600_000)).toBe(last + 3_600_000);
    expect(redbeatNextDue(every2, last, null)).toBeNull();
  });
});
