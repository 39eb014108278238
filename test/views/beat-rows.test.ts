import { describe, expect, it } from 'vitest';
import type { BeatEntryRow, BeatView } from '../../src/store/select-beat.js';
import { beatCells, beatTitle, dueCell } from '../../views/present/beat-rows.js';
import type { Theme } from '../../views/present/theme.js';

const colorTheme: Theme = { color: true, ascii: false };
const asciiTheme: Theme = { color: false, ascii: true };

const NOW = Date.UTC(2026, 11, 7, 14, 0, 30);
const row = (over: Partial<BeatEntryRow>): BeatEntryRow => ({
  name: 'tick',
  task: 'app.add',
  source: 'redbeat',
  key: 'redbeat:tick',
  schedule: 'every 2s',
  periodSec: 2,
  enabled: true,
  lastRunAt: new Date(NOW - 1000).toISOString(),
  runCount: 14,
  nextDueAt: new Date(NOW + 1000).toISOString(),
  nextDueInSec: 1,
  lagSec: 0,
  late: false,
  toleranceSec: 10,
  lastRunOnTime: true,
  lastResult: { taskId: 'id-1', state: 'SUCCESS' },
  queue: null,
  problem: null,
  ...over,
});

describe('beat rows', () => {
  it('shows an entry on schedule', () => {
    expect(beatCells(row({}), colorTheme, NOW)).toMatchObject({
      cells: {
        name: 'tick',
        schedule: 'every 2s',
        enabled: '✓',
        last: '1s ago',
        runs: '14',
        next: 'in 1s',
        onTime: '✓ yes',
        result: 'SUCCESS',
        source: 'redbeat',
      },
      tones: { next: 'plain', result: 'ok' },
    });
  });

  it('says late, disabled, inferred and sanitizes names from the cluster', () => {
    const late = beatCells(row({ nextDueInSec: -30, lagSec: 30, late: true }), asciiTheme, NOW);
    expect(late.cells.next).toBe('30s late');
    expect(late.tones?.next).toBe('bad');
    expect(beatCells(row({ enabled: false }), asciiTheme, NOW).cells).toMatchObject({
      enabled: 'n',
      next: 'disabled',
    });
    const inferred = beatCells(
      row({ source: 'inferred', enabled: null, runCount: 8, name: 'app.\u001b[31mx', lastRunOnTime: null }),
      asciiTheme,
      NOW,
    );
    expect(inferred.cells).toMatchObject({ enabled: '?', runs: '~8', onTime: '-' });
    expect(inferred.cells.name).not.toContain('\u001b');
    expect(dueCell(row({ nextDueInSec: null, nextDueAt: null }))).toBe('never');
  });

  it('titles the panel with the lock holder, or that no beat runs', () => {
    const view: BeatView = {
      redbeat: {
        prefix: 'redbeat:',
        scheduleFound: true,
        sampledAt: new Date(NOW).toISOString(),
        truncated: false,
      },
      lock: {
        key: 'redbeat::lock',
        held: true,
        holder: '5a312a00f24611f1',
        ttlSec: 9.6,
        heldSinceAt: null,
        seenHeld: true,
      },
      entries: [row({}), row({ source: 'inferred', name: 'app.report' })],
    };
    expect(beatTitle(view, [])).toEqual({
      text: '1 RedBeat · 1 inferred · beat alive: lock 5a312a00…, TTL 10s',
      bad: false,
    });
    const down = { ...view, lock: { ...view.lock!, held: false, holder: null, ttlSec: null } };
    expect(beatTitle(down, [])).toEqual({
      text: '1 RedBeat · 1 inferred · NO BEAT RUNNING: redbeat::lock is gone',
      bad: true,
    });
  });
});
