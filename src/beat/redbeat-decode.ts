/**
 * Decoders for the JSON RedBeat 2.4.2 keeps in each entry hash (`redbeat/decoder.py`,
 * `RedBeatJSONEncoder`): typed objects marked `__type__` for schedules and datetimes. Pure, and
 * they never throw: a bad or unknown value is a result with a reason, so one odd entry never hides
 * the others.
 */
import type { Decoded, Json, JsonObject } from '../celery/types.js';
import type { BeatDefinition, BeatMeta, BeatSchedule } from './types.js';

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function parse(text: string | null, what: string): Decoded<JsonObject> {
  if (text === null) return { ok: false, reason: `no ${what}` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `${what} is not JSON (${(error as Error).message})` };
  }
  return isObject(value) ? { ok: true, value } : { ok: false, reason: `${what} is not a JSON object` };
}

/** The UTC offset (ms) of IANA zone `zone` at epoch `ms`, via Intl (no I/O); null for an unknown zone. */
function zoneOffsetMs(zone: string, ms: number): number | null {
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    }).formatToParts(new Date(ms));
    const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
    const local = Date.UTC(
      get('year'),
      get('month') - 1,
      get('day'),
      get('hour'),
      get('minute'),
      get('second'),
    );
    return local - Math.floor(ms / 1000) * 1000;
  } catch {
    return null;
  }
}

/**
 * A RedBeat datetime (`{"__type__": "datetime", "year", …, "microsecond", "timezone"}`) as epoch ms.
 * `timezone` is the UTC offset in seconds, `"UTC"` (naive datetimes), or an IANA zone name.
 */
export function decodeDatetime(value: Json): Decoded<number> {
  if (!isObject(value) || value.__type__ !== 'datetime') return { ok: false, reason: 'not a datetime' };
  const f = ['year', 'month', 'day', 'hour', 'minute', 'second', 'microsecond'].map((k) => value[k]);
  if (!f.every((n) => typeof n === 'number' && Number.isInteger(n)))
    return { ok: false, reason: 'datetime fields are not integers' };
  const [y, mo, d, h, mi, s, us] = f as number[];
  const wall = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) + Math.floor(us! / 1000);
  const zone = value.timezone ?? 'UTC';
  if (typeof zone === 'number' && Number.isFinite(zone)) return { ok: true, value: wall - zone * 1000 };
  if (zone === 'UTC') return { ok: true, value: wall };
  if (typeof zone !== 'string')
    return { ok: false, reason: 'datetime timezone is neither seconds nor a name' };
  const first = zoneOffsetMs(zone, wall);
  if (first === null) return { ok: false, reason: `unknown time zone '${zone}'` };
  // Once more at the guessed instant, so a wall time next to a DST change gets that day's offset.
  const second = zoneOffsetMs(zone, wall - first) ?? first;
  return { ok: true, value: wall - second };
}

const cronField = (v: Json | undefined): string | null =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : v === undefined || v === null ? '*' : null;

/** A schedule object; anything not understood is `{kind: 'unknown', reason}`. */
export function decodeSchedule(value: Json | undefined): BeatSchedule {
  if (!isObject(value)) return { kind: 'unknown', reason: 'schedule is not a typed object' };
  const type = value.__type__;
  if (type === 'interval') {
    const every = value.every;
    if (typeof every !== 'number' || !(every > 0))
      return { kind: 'unknown', reason: 'interval without every' };
    return { kind: 'interval', everySec: every, relative: value.relative === true };
  }
  if (type === 'crontab') {
    const fields = ['minute', 'hour', 'day_of_week', 'day_of_month', 'month_of_year'].map((k) =>
      cronField(value[k]),
    );
    if (fields.some((f) => f === null))
      return { kind: 'unknown', reason: 'crontab field of an unknown shape' };
    const [minute, hour, dayOfWeek, dayOfMonth, monthOfYear] = fields as string[];
    return {
      kind: 'crontab',
      minute: minute!,
      hour: hour!,
      dayOfWeek: dayOfWeek!,
      dayOfMonth: dayOfMonth!,
      monthOfYear: monthOfYear!,
    };
  }
  if (type === 'solar') {
    const { event, lat, lon } = value;
    if (typeof event === 'string' && typeof lat === 'number' && typeof lon === 'number')
      return { kind: 'solar', event, lat, lon };
    return { kind: 'unknown', reason: 'solar without event, lat and lon' };
  }
  if (type === 'rrule') {
    const freq = value.freq;
    const interval = typeof value.interval === 'number' ? value.interval : 1;
    if (typeof freq === 'number') return { kind: 'rrule', freq, interval };
    return { kind: 'unknown', reason: 'rrule without freq' };
  }
  return {
    kind: 'unknown',
    reason:
      typeof type === 'string' ? `schedule type '${type}' is not known to qtop` : 'schedule has no __type__',
  };
}

/** `definition` (RedBeatSchedulerEntry.save): name, task, args, kwargs, options, schedule, enabled. */
export function decodeDefinition(text: string | null): Decoded<BeatDefinition> {
  const parsed = parse(text, 'definition');
  if (!parsed.ok) return parsed;
  const d = parsed.value;
  if (typeof d.name !== 'string' || typeof d.task !== 'string' || d.task === '')
    return { ok: false, reason: 'definition lacks name or task' };
  return {
    ok: true,
    value: {
      name: d.name,
      task: d.task,
      // Python tuples become lists in JSON; None args mean none.
      args: Array.isArray(d.args) ? d.args : [],
      kwargs: isObject(d.kwargs) ? d.kwargs : {},
      options: isObject(d.options) ? d.options : {},
      schedule: decodeSchedule(d.schedule),
      // RedBeatSchedulerEntry defaults enabled=True; older entries lack the field.
      enabled: d.enabled !== false,
    },
  };
}

/** `meta`: `last_run_at` (a datetime or null) and `total_run_count`; a missing meta never ran. */
export function decodeMeta(text: string | null): Decoded<BeatMeta> {
  if (text === null) return { ok: true, value: { lastRunAt: null, totalRunCount: 0 } };
  const parsed = parse(text, 'meta');
  if (!parsed.ok) return parsed;
  const m = parsed.value;
  let lastRunAt: number | null = null;
  if (m.last_run_at !== null && m.last_run_at !== undefined) {
    const at = decodeDatetime(m.last_run_at);
    if (!at.ok) return { ok: false, reason: `meta.last_run_at: ${at.reason}` };
    lastRunAt = at.value;
  }
  const count = m.total_run_count;
  return {
    ok: true,
    value: { lastRunAt, totalRunCount: typeof count === 'number' && count >= 0 ? Math.trunc(count) : 0 },
  };
}
