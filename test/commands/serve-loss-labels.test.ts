import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createEventLossMetrics, gapDelta } from '../../commands/serve/event-loss.js';
import { workerSeries } from '../../commands/serve/metrics.js';
import { createModel } from '../../src/store/create-model.js';
import type { WorkerRow } from '../../src/store/select-workers.js';

// Workers on one host stay apart in celery_worker_up; qtop's own losses are counted once each.
function row(hostname: string, state: WorkerRow['state'], busy: number | null): WorkerRow {
  return { hostname, state, busy } as WorkerRow;
}

describe('serve: per-worker series and loss metrics', () => {
  it('three workers on one host give three series, each with the host and the full name', () => {
    const series = workerSeries([
      row('w1@vm', 'online', 2),
      row('w2@vm', 'lost', 1),
      row('w3@vm', 'pidbox-only', null),
    ]);
    expect(series).toEqual([
      { labels: { hostname: 'vm', worker: 'w1@vm' }, up: 1, active: 2 },
      { labels: { hostname: 'vm', worker: 'w2@vm' }, up: 0, active: 0 },
      { labels: { hostname: 'vm', worker: 'w3@vm' }, up: 1, active: 0 },
    ]);
  });

  it('gapDelta counts a gap once and its blind time as it grows, then forgets dropped gaps', () => {
    const ledger = { counted: new Map<number, number>() };
    expect(gapDelta(ledger, [{ from: 1_000, to: null, reason: 'x' }], 3_000)).toEqual({
      opened: 1,
      blindSec: 2,
    });
    expect(gapDelta(ledger, [{ from: 1_000, to: 4_000, reason: 'x' }], 9_000)).toEqual({
      opened: 0,
      blindSec: 1,
    });
    expect(gapDelta(ledger, [{ from: 1_000, to: 4_000, reason: 'x' }], 9_000)).toEqual({
      opened: 0,
      blindSec: 0,
    });
    const next = gapDelta(ledger, [{ from: 10_000, to: 10_500, reason: 'y' }], 11_000);
    expect(next).toEqual({ opened: 1, blindSec: 0.5 });
    expect([...ledger.counted.keys()]).toEqual([10_000]);
  });

  it('exports gaps, blind seconds and decoded/malformed event counts as counters', async () => {
    const model = createModel(0);
    const registry = new Registry();
    const loss = createEventLossMetrics(registry);
    model.sources.events.gaps.push({ from: 0, to: 2_000, reason: 'cut off' });
    model.counters.events = 10;
    model.counters.eventsMalformed = 1;
    loss.update(model, 5_000);
    model.counters.events = 15;
    loss.update(model, 6_000);
    const text = await registry.metrics();
    expect(text).toContain('qtop_source_gaps_total{source="events"} 1\n');
    expect(text).toContain('qtop_source_gaps_total{source="queues"} 0\n');
    expect(text).toContain('qtop_source_gap_seconds_total{source="events"} 2\n');
    expect(text).toContain('qtop_events_total 15\n');
    expect(text).toContain('qtop_events_malformed_total 1\n');
    expect(text).toContain('qtop_tasks_missed_by_events 0\n');
  });
});
