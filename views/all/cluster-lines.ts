/**
 * The list of every profile (`:all`, `qtop --all` on a terminal) as table rows: one line per
 * profile, worst first, with the figures that say which cluster needs a look. Pure.
 */
import { clean } from '../../src/output/sanitize.js';
import type { ClusterRow } from '../../src/snapshot/all-rows.js';
import type { Column } from '../present/table-layout.js';
import type { RowModel } from '../present/table-rows.js';

/** One profile's last look (src/snapshot/all-rows.ts) and how fresh it is. */
export interface ClusterLine extends ClusterRow {
  /** No look has finished yet (the first one is under way). */
  pending: boolean;
}

/** The profiles as the list shows them, refreshed by whoever collects them (commands/all). */
export interface ClusterBoard {
  lines(): ClusterLine[];
  /** Called whenever a profile's look finishes; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
}

const rank: Record<ClusterRow['state'], number> = { critical: 3, unknown: 2, warning: 1, ok: 0 };

/** Worst first (critical, unreachable, warning, ok), profiles still pending last; else config order. */
export function sortLines(lines: ClusterLine[]): ClusterLine[] {
  return lines
    .map((line, i) => ({ line, i }))
    .sort(
      (a, b) =>
        Number(a.line.pending) - Number(b.line.pending) ||
        rank[b.line.state] - rank[a.line.state] ||
        a.i - b.i,
    )
    .map(({ line }) => line);
}

export const clusterColumns: Column[] = [
  { key: 'name', title: 'PROFILE', width: 10, priority: 1, grow: 1, max: 24 },
  { key: 'state', title: 'STATE', width: 10, priority: 1 },
  { key: 'up', title: 'UP', width: 4, align: 'right', priority: 2 },
  { key: 'lost', title: 'LOST', width: 4, align: 'right', priority: 2 },
  { key: 'ready', title: 'READY', width: 6, align: 'right', priority: 2 },
  { key: 'oldest', title: 'OLDEST', width: 6, align: 'right', priority: 3 },
  { key: 'fail', title: 'FAIL', width: 6, align: 'right', priority: 3 },
  { key: 'events', title: 'EVENTS', width: 6, priority: 4 },
  { key: 'connection', title: 'CONNECTION', width: 11, priority: 2 },
  { key: 'note', title: 'FINDINGS', width: 12, priority: 1, grow: 4 },
];

const num = (v: number | null) => (v === null ? '-' : String(v));
const pct = (v: number | null) => (v === null ? '-' : `${(v * 100).toFixed(1)}%`);
function age(sec: number | null): string {
  if (sec === null) return '-';
  if (sec < 120) return `${Math.round(sec)}s`;
  if (sec < 7200) return `${Math.round(sec / 60)}m`;
  return `${Math.round(sec / 3600)}h`;
}

const stateWords: Record<ClusterLine['state'], string> = {
  critical: '✗ CRITICAL',
  unknown: '? UNKNOWN',
  warning: '⚠ WARNING',
  ok: '✓ OK',
};
const stateTones = { critical: 'bad', unknown: 'bad', warning: 'warn', ok: 'ok' } as const;

/** The first finding (or the error), and how many more. */
export function lineNote(line: ClusterLine): string {
  if (line.pending) return 'connecting…';
  if (line.error !== null) return line.error;
  const [first, ...rest] = line.findings;
  if (!first) return 'no findings';
  return `${first.severity}: ${first.summary}${rest.length > 0 ? ` (+${rest.length} more)` : ''}`;
}

/** One table row; everything from a cluster or the config file is cleaned of control sequences. */
export function clusterCells(line: ClusterLine, ascii: boolean): RowModel {
  const state = line.pending ? '… LOOKING' : stateWords[line.state];
  return {
    key: line.name,
    cells: {
      name: clean(line.name),
      state: ascii ? state.slice(2) : state,
      up: num(line.workersUp),
      lost: num(line.workersLost),
      ready: num(line.ready),
      oldest: age(line.oldestWaitSec),
      fail: pct(line.failureRate),
      events: line.events,
      connection: clean(line.connection),
      note: clean(lineNote(line), ''),
    },
    tones: {
      state: line.pending ? 'dim' : stateTones[line.state],
      lost: (line.workersLost ?? 0) > 0 ? 'bad' : 'plain',
      connection: line.connection === 'connected' ? 'plain' : 'bad',
      note: line.state === 'critical' || line.error !== null ? 'bad' : 'plain',
    },
  };
}
