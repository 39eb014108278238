/**
 * The beat gauges of `qtop serve --metrics` (docs/beat.md): whether a RedBeat beat holds its lock,
 * and per periodic task (RedBeat entries and inferred ones) the next due time, the last run and
 * the lag. Alert rules are written against these exact names; celery-exporter has none to follow.
 */
import type { Model } from '../../src/store/model.js';
import { selectBeat } from '../../src/store/select-beat.js';

type SetGauge = (labels: Record<string, string>, value: number | null) => void;
type MakeGauge = (name: string, help: string, labelNames: string[]) => SetGauge;

const seconds = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso) / 1000);

/** Register the beat gauges through `gauge` (serve-metrics' factory); returns their updater. */
export function beatGauges(gauge: MakeGauge): (model: Model, now: number) => void {
  const up = gauge(
    'qtop_beat_up',
    'Whether a beat holds the RedBeat lock (1) or not (0), by lock key; absent when no RedBeat schedule was found.',
    // A label, so the series is absent rather than 0 without RedBeat (prom-client shows unlabelled gauges as 0).
    ['lock'],
  );
  const nextDue = gauge(
    'qtop_beat_entry_next_due_timestamp_seconds',
    'When the periodic task is due next (Unix seconds): the RedBeat schedule score, or the inferred next arrival.',
    ['entry', 'task'],
  );
  const lastRun = gauge(
    'qtop_beat_entry_last_run_timestamp_seconds',
    'When beat last sent the periodic task (Unix seconds): RedBeat meta.last_run_at, or the last inferred arrival.',
    ['entry', 'task'],
  );
  const lag = gauge(
    'qtop_beat_entry_lag_seconds',
    'Seconds the periodic task is past due (0 when not yet due; disabled RedBeat entries are left out).',
    ['entry', 'task'],
  );
  return (model, now) => {
    const view = selectBeat(model, now);
    if (view.lock && (view.redbeat?.scheduleFound || view.lock.seenHeld))
      up({ lock: view.lock.key }, view.lock.held ? 1 : 0);
    for (const e of view.entries) {
      const labels = { entry: e.name, task: e.task ?? '' };
      nextDue(labels, seconds(e.nextDueAt));
      lastRun(labels, seconds(e.lastRunAt));
      if (e.enabled !== false) lag(labels, e.lagSec);
    }
  };
}
