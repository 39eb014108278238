/**
 * Celery crontab fields (`celery.schedules.crontab_parser`: `*`, `*\/n`, `a-b`, `a-b/n`, lists,
 * day names with Sunday = 0) and the next time such a schedule fires. qtop needs the next fire
 * only to know an entry's period (for the lateness tolerance); the next due time itself comes from
 * RedBeat's schedule. Times are UTC, Celery's default `timezone`; an app with another
 * `timezone` shifts hour fields by its offset (a documented limit).
 */

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** The values of one field in [min, max], or null when the field is not understood. */
export function parseCronField(field: string, min: number, max: number): Set<number> | null {
  const out = new Set<number>();
  const value = (text: string): number | null => {
    const day = DAY_NAMES.indexOf(text.slice(0, 3).toLowerCase());
    if (max === 6 && day >= 0 && /^[a-z]+$/i.test(text)) return day;
    if (!/^\d+$/.test(text)) return null;
    return Number(text);
  };
  for (const part of field.replace(/\s+/g, '').split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!range || !Number.isInteger(step) || step < 1) return null;
    let lo = min;
    let hi = max;
    if (range !== '*') {
      const [a, b] = range.split('-');
      const from = value(a ?? '');
      const to = b === undefined ? (stepText === undefined ? from : max) : value(b);
      if (from === null || to === null) return null;
      lo = from;
      hi = to;
    }
    // Celery accepts 7 for Sunday as cron does.
    if (max === 6 && hi === 7 && lo <= 7) hi = 6;
    if (lo < min || hi > max || lo > hi) return null;
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out.size ? out : null;
}

export interface CronSpec {
  minute: string;
  hour: string;
  dayOfWeek: string;
  dayOfMonth: string;
  monthOfYear: string;
}

/**
 * The first fire strictly after `afterMs` (epoch ms, UTC), or null when a field is not understood
 * or nothing fires within ~4 years. Day-of-month and day-of-week must both match (Celery's rule,
 * unlike Vixie cron's "either").
 */
export function nextCronFire(spec: CronSpec, afterMs: number): number | null {
  const minutes = parseCronField(spec.minute, 0, 59);
  const hours = parseCronField(spec.hour, 0, 23);
  const dows = parseCronField(spec.dayOfWeek, 0, 6);
  const doms = parseCronField(spec.dayOfMonth, 1, 31);
  const months = parseCronField(spec.monthOfYear, 1, 12);
  if (!minutes || !hours || !dows || !doms || !months) return null;
  const start = new Date(Math.floor(afterMs / 60_000) * 60_000 + 60_000);
  const day = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()));
  for (let d = 0; d < 1500; d += 1) {
    const date = new Date(day.getTime() + d * 86_400_000);
    if (!months.has(date.getUTCMonth() + 1) || !doms.has(date.getUTCDate()) || !dows.has(date.getUTCDay()))
      continue;
    for (const h of [...hours].sort((a, b) => a - b)) {
      for (const m of [...minutes].sort((a, b) => a - b)) {
        const at = date.getTime() + h * 3_600_000 + m * 60_000;
        if (at > afterMs) return at;
      }
    }
  }
  return null;
}

/** Seconds between the next two fires after `fromMs`: the period the lateness tolerance scales with. */
export function cronPeriodSec(spec: CronSpec, fromMs: number): number | null {
  const a = nextCronFire(spec, fromMs);
  const b = a === null ? null : nextCronFire(spec, a);
  return a === null || b === null ? null : (b - a) / 1000;
}
