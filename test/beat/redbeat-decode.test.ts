import { describe, expect, it } from 'vitest';
import {
  decodeDatetime,
  decodeDefinition,
  decodeMeta,
  decodeSchedule,
} from '../../src/beat/redbeat-decode.js';

// Strings written by RedBeat 2.4.2's own RedBeatJSONEncoder (json.dumps(..., cls=RedBeatJSONEncoder)).
const intervalDef =
  '{"name": "tick", "task": "app.add", "args": [1, 2], "kwargs": {}, "options": {"queue": "beat", "priority": 3}, "schedule": {"__type__": "interval", "every": 5.0, "relative": false}, "enabled": true}';
const cronDef =
  '{"name": "nightly", "task": "app.echo", "args": null, "kwargs": {"x": 1}, "options": {}, "schedule": {"__type__": "crontab", "minute": 0, "hour": 3, "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"}, "enabled": false}';
const utcMeta =
  '{"last_run_at": {"__type__": "datetime", "year": 2026, "month": 12, "day": 7, "hour": 14, "minute": 5, "second": 3, "microsecond": 250000, "timezone": 0.0}, "total_run_count": 7}';
const dt = (timezone: number | string) => ({
  __type__: 'datetime',
  year: 2026,
  month: 7,
  day: 1,
  hour: 3,
  minute: 0,
  second: 0,
  microsecond: 0,
  timezone,
});

describe('RedBeat definition and meta', () => {
  it('decodes an interval entry with its options', () => {
    const d = decodeDefinition(intervalDef);
    expect(d).toEqual({
      ok: true,
      value: {
        name: 'tick',
        task: 'app.add',
        args: [1, 2],
        kwargs: {},
        options: { queue: 'beat', priority: 3 },
        schedule: { kind: 'interval', everySec: 5, relative: false },
        enabled: true,
      },
    });
  });

  it('decodes a crontab entry, disabled, with null args', () => {
    const d = decodeDefinition(cronDef);
    expect(d.ok && d.value.schedule).toEqual({
      kind: 'crontab',
      minute: '0',
      hour: '3',
      dayOfWeek: '*',
      dayOfMonth: '*',
      monthOfYear: '*',
    });
    expect(d.ok && d.value.enabled).toBe(false);
    expect(d.ok && d.value.args).toEqual([]);
  });

  it('decodes meta with microseconds and an offset in seconds', () => {
    expect(decodeMeta(utcMeta)).toEqual({
      ok: true,
      value: { lastRunAt: Date.UTC(2026, 11, 7, 14, 5, 3, 250), totalRunCount: 7 },
    });
    expect(decodeMeta(null)).toEqual({ ok: true, value: { lastRunAt: null, totalRunCount: 0 } });
  });

  it('decodes datetimes in every timezone form the encoder writes', () => {
    expect(decodeDatetime(dt('UTC'))).toEqual({ ok: true, value: Date.UTC(2026, 6, 1, 3) });
    expect(decodeDatetime(dt(19800))).toEqual({ ok: true, value: Date.UTC(2026, 6, 1, 3) - 19_800_000 });
    // Berlin is UTC+2 in July.
    expect(decodeDatetime(dt('Europe/Berlin'))).toEqual({ ok: true, value: Date.UTC(2026, 6, 1, 1) });
    expect(decodeDatetime(dt('Mars/Olympus')).ok).toBe(false);
  });

  it('gives reasons instead of throwing on bad or unknown input', () => {
    expect(decodeDefinition('not json').ok).toBe(false);
    expect(decodeDefinition(null)).toEqual({ ok: false, reason: 'no definition' });
    expect(decodeDefinition('{"name": "x"}')).toEqual({ ok: false, reason: 'definition lacks name or task' });
    expect(decodeMeta('{"last_run_at": {"__type__": "datetime", "year": "x"}}').ok).toBe(false);
    expect(decodeSchedule({ __type__: 'weekday', wkday: 1 })).toEqual({
      kind: 'unknown',
      reason: "schedule type 'weekday' is not known to qtop",
    });
    expect(decodeSchedule(5)).toEqual({ kind: 'unknown', reason: 'schedule is not a typed object' });
    expect(decodeSchedule({ __type__: 'solar', event: 'sunrise', lat: 52.5, lon: 13.4 })).toEqual({
      kind: 'solar',
      event: 'sunrise',
      lat: 52.5,
      lon: 13.4,
    });
    expect(decodeSchedule({ __type__: 'rrule', freq: 4, interval: 2 })).toEqual({
      kind: 'rrule',
      freq: 4,
      interval: 2,
    });
  });
});
