import { describe, expect, it } from 'vitest';
import type { SourceRow } from '../../src/store/select-meta.js';
import { alertText, gapLossText } from '../../views/present/header-parts.js';

// The alert line sizes the latest events gap's loss for a minute after it closed.

const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);
const off = { workersWithTaskEvents: ['w1@vm'], tasksMissedByEvents: 0, taskEvents: true };

function events(gap: SourceRow['gaps'][number], ageSec: number): SourceRow[] {
  return [
    {
      source: 'events',
      ok: true,
      lastOkAt: gap.to ?? T0,
      lastOkAgeSec: ageSec,
      lastError: 'connection reset',
      lastErrorAt: gap.from,
      openGapSec: null,
      gaps: [gap],
    },
  ];
}

describe('gapLossText', () => {
  it('says how many events the last gap lost, then goes after a minute', () => {
    const gap = {
      from: T0 - 100,
      to: T0,
      reason: 'connection reset',
      eventsLost: 111_832,
      eventsLostReason: null,
    };
    expect(gapLossText(events(gap, 5))).toBe(
      'events: a 0.1 s gap lost 111.8k events (from worker heartbeats)',
    );
    expect(alertText(events(gap, 5), off, true)?.text).toContain('111.8k events');
    expect(gapLossText(events(gap, 61))).toBeNull();
  });

  it('says why the count is not known, and nothing for a gap that lost none', () => {
    const unknown = {
      from: T0 - 2000,
      to: T0,
      reason: 'x',
      eventsLost: null,
      eventsLostReason: 'waiting for a heartbeat from w2@vm',
    };
    expect(gapLossText(events(unknown, 1))).toBe(
      'events: a 2.0 s gap lost events; how many is not known (waiting for a heartbeat from w2@vm)',
    );
    expect(gapLossText(events({ ...unknown, eventsLost: 0, eventsLostReason: null }, 1))).toBeNull();
    expect(gapLossText(events({ from: T0 - 1, to: T0, reason: 'x' }, 1))).toBeNull();
  });
});
