import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createGauges } from '../../commands/serve/metrics.js';
import type { Action } from '../../src/store/actions.js';
import { createModel } from '../../src/store/create-model.js';
import { reduce } from '../../src/store/reducer.js';

const T0 = Date.UTC(2026, 11, 7, 14, 0, 0);
const sampled = (token: string | null): Action => ({
  type: 'beat/sampled',
  at: T0,
  prefix: 'redbeat:',
  scheduleFound: true,
  truncated: false,
  lock: { key: 'redbeat::lock', token, ttlMs: token ? 5000 : null },
  entries: [
    {
      key: 'redbeat:tick',
      dueAt: T0 - 30_000,
      problem: null,
      meta: { lastRunAt: T0 - 32_000, totalRunCount: 3 },
      definition: {
        name: 'tick',
        task: 'app.add',
        args: [],
        kwargs: {},
        options: {},
        schedule: { kind: 'interval', everySec: 2, relative: false },
        enabled: true,
      },
    },
  ],
});

describe('qtop_beat_* gauges', () => {
  it('exports beat up, next due, last run and lag under the documented names', async () => {
    const registry = new Registry();
    const gauges = createGauges(registry, {});
    const model = createModel(T0);
    reduce(model, sampled('5a312a00f24611f1a0b10242ac120002'));
    gauges.update(model, T0);
    const text = await registry.metrics();
    expect(text).toContain('qtop_beat_up{lock="redbeat::lock"} 1');
    expect(text).toContain(
      `qtop_beat_entry_next_due_timestamp_seconds{entry="tick",task="app.add"} ${(T0 - 30_000) / 1000}`,
    );
    expect(text).toContain(
      `qtop_beat_entry_last_run_timestamp_seconds{entry="tick",task="app.add"} ${(T0 - 32_000) / 1000}`,
    );
    expect(text).toContain('qtop_beat_entry_lag_seconds{entry="tick",task="app.add"} 30');
    reduce(model, sampled(null));
    gauges.update(model, T0);
    expect(await registry.metrics()).toContain('qtop_beat_up{lock="redbeat::lock"} 0');
  });

  it('leaves qtop_beat_up out when no RedBeat schedule exists', async () => {
    const registry = new Registry();
    const gauges = createGauges(registry, {});
    const model = createModel(T0);
    reduce(model, { ...sampled(null), scheduleFound: false, entries: [] } as Action);
    gauges.update(model, T0);
    expect(await registry.metrics()).not.toMatch(/^qtop_beat_up/m);
  });
});
