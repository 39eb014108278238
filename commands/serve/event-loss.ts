/**
 * qtop's own losses as metrics, so an alert can say when qtop's figures are incomplete: blind
 * spells of each source (a failed poll, or the event subscriber cut off by Redis for reading too
 * slowly: README "Measurements"), event messages it could not decode, and tasks that ran without
 * any event (workers without `-E`). The store keeps only the last gaps, so the totals are kept here.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { SourceName } from '../../src/store/actions.js';
import type { Model, SourceGap, SourceHealth } from '../../src/store/model.js';
import { selectEventsStatus } from '../../src/store/select-meta.js';

/** Refreshes the loss metrics from the model at `now`. */
export interface EventLossMetrics {
  update(model: Model, now: number): void;
}

/** Blind time per gap already counted, by the gap's start: what a later update adds is the rest. */
export interface GapLedger {
  counted: Map<number, number>;
}

/**
 * New gaps and new blind seconds of one source since the last call (an open gap grows until it
 * closes). Gaps the store dropped are forgotten here too once they leave its list.
 */
export function gapDelta(ledger: GapLedger, gaps: readonly SourceGap[], now: number) {
  let opened = 0;
  let blindSec = 0;
  const seen = new Set<number>();
  for (const gap of gaps) {
    seen.add(gap.from);
    const sec = Math.max(0, (gap.to ?? now) - gap.from) / 1000;
    const before = ledger.counted.get(gap.from);
    if (before === undefined) opened += 1;
    blindSec += Math.max(0, sec - (before ?? 0));
    ledger.counted.set(gap.from, Math.max(sec, before ?? 0));
  }
  for (const from of ledger.counted.keys()) if (!seen.has(from)) ledger.counted.delete(from);
  return { opened, blindSec };
}

/** Register the loss metrics on `registry`. */
export function createEventLossMetrics(registry: Registry): EventLossMetrics {
  const registers = [registry];
  const gaps = new Counter({
    name: 'qtop_source_gaps_total',
    help: 'Outages of a source qtop saw (events: the subscriber was cut off or lost; data in them is missing).',
    labelNames: ['source'],
    registers,
  });
  const blind = new Counter({
    name: 'qtop_source_gap_seconds_total',
    help: 'Seconds a source was blind (rate() is the share of time qtop missed data).',
    labelNames: ['source'],
    registers,
  });
  const events = new Counter({
    name: 'qtop_events_total',
    help: 'Celery events qtop decoded and applied.',
    registers,
  });
  const malformed = new Counter({
    name: 'qtop_events_malformed_total',
    help: 'Event messages qtop could not decode (dropped).',
    registers,
  });
  const missed = new Gauge({
    name: 'qtop_tasks_missed_by_events',
    help: 'Held tasks that ran while qtop listened with no task event about them (a worker without -E).',
    registers,
  });
  const ledgers = new Map<SourceName, GapLedger>();
  let seenEvents = 0;
  let seenMalformed = 0;

  return {
    update(model, now) {
      for (const [source, health] of Object.entries(model.sources) as [SourceName, SourceHealth][]) {
        let ledger = ledgers.get(source);
        if (!ledger) {
          ledger = { counted: new Map() };
          ledgers.set(source, ledger);
        }
        const delta = gapDelta(ledger, health.gaps, now);
        // inc(0) makes the series exist from the first scrape, so increase() has a baseline.
        gaps.inc({ source }, delta.opened);
        blind.inc({ source }, delta.blindSec);
      }
      events.inc(Math.max(0, model.counters.events - seenEvents));
      malformed.inc(Math.max(0, model.counters.eventsMalformed - seenMalformed));
      seenEvents = Math.max(seenEvents, model.counters.events);
      seenMalformed = Math.max(seenMalformed, model.counters.eventsMalformed);
      missed.set(selectEventsStatus(model, now).tasksMissedByEvents);
    },
  };
}
