/**
 * The shapes of a periodic-task entry as qtop understands it: RedBeat's `definition` and `meta`
 * hashes decoded into typed values (RedBeat 2.4.2 `decoder.py`), and the schedule kinds Celery
 * has. Pure types; decoders live in redbeat-decode.ts.
 */
import type { Json, JsonObject } from '../celery/types.js';

/** A Celery schedule, as RedBeat stores it in `definition.schedule`. */
export type BeatSchedule =
  /** `celery.schedules.schedule`: `{"__type__": "interval", "every": 5.0, "relative": false}`. */
  | { kind: 'interval'; everySec: number; relative: boolean }
  /** `celery.schedules.crontab`, fields as the user wrote them (`'*\/5'`, `3`, `'mon-fri'`). */
  | {
      kind: 'crontab';
      minute: string;
      hour: string;
      dayOfWeek: string;
      dayOfMonth: string;
      monthOfYear: string;
    }
  /** `celery.schedules.solar` (RedBeat 2.4.2 cannot store it; later encoders may). */
  | { kind: 'solar'; event: string; lat: number; lon: number }
  /** RedBeat's own `rrule` schedule (dateutil frequencies). */
  | { kind: 'rrule'; freq: number; interval: number }
  /** Something qtop does not model; `reason` says what it was. */
  | { kind: 'unknown'; reason: string };

/** `definition` of a RedBeat entry (`RedBeatSchedulerEntry.save`). */
export interface BeatDefinition {
  name: string;
  task: string;
  args: Json[];
  kwargs: JsonObject;
  /** apply_async options: queue, exchange, routing_key, priority, expires, headers, … */
  options: JsonObject;
  schedule: BeatSchedule;
  enabled: boolean;
}

/** `meta` of a RedBeat entry: written by beat on every run (`_next_instance`). */
export interface BeatMeta {
  /** Epoch ms of the last send, or null when it never ran. */
  lastRunAt: number | null;
  totalRunCount: number;
}
