/**
 * One row per configured profile for `qtop --all` and `qtop check --all`: the few figures that
 * say which cluster needs a look first, read from each profile's qtop/1 snapshot (or its error).
 * Pure, so the ordering and the worst-state rule are unit-tested.
 */
import { clean } from '../output/sanitize.js';
import type { Snapshot } from './select-snapshot.js';

/** A profile's error: could not resolve its settings, or could not reach its Redis. */
export interface ClusterError {
  code: string;
  message: string;
}

/** What `qtop --json --all` prints per profile: its snapshot or its error, never both. */
export type ClusterEntry = { name: string; snapshot: Snapshot } | { name: string; error: ClusterError };

/** The document of `qtop --json --all`. */
export interface AllDocument {
  schema: 'qtop-all/1';
  clusters: ClusterEntry[];
}

export type RowState = 'ok' | 'warning' | 'critical' | 'unknown';

export interface ClusterRow {
  name: string;
  state: RowState;
  /** Finding summaries, critical first. */
  findings: { severity: 'critical' | 'warning'; summary: string }[];
  workersUp: number | null;
  workersLost: number | null;
  ready: number | null;
  oldestWaitSec: number | null;
  /** failed / (succeeded + failed) over the tasks seen; null before any finished. */
  failureRate: number | null;
  events: 'on' | 'off' | '?';
  /** `connected`, `partial` (a source failed or the window ended early) or the error code. */
  connection: string;
  error: string | null;
}

const severityRank = { critical: 0, warning: 1 } as const;
const stateRank: Record<RowState, number> = { ok: 0, warning: 1, unknown: 2, critical: 3 };

/** The row of one profile. */
export function clusterRow(entry: ClusterEntry): ClusterRow {
  if ('error' in entry) {
    return {
      name: entry.name,
      state: 'unknown',
      findings: [],
      workersUp: null,
      workersLost: null,
      ready: null,
      oldestWaitSec: null,
      failureRate: null,
      events: '?',
      connection: entry.error.code,
      error: entry.error.message,
    };
  }
  const s = entry.snapshot;
  const findings = s.hints.findings
    .map((f) => ({ severity: f.severity, summary: f.summary }))
    .sort((a, b) => severityRank[a.severity] - severityRank[b.severity]);
  let succeeded = 0;
  let failed = 0;
  for (const t of s.taskNames) {
    succeeded += t.succeeded;
    failed += t.failed;
  }
  const ages = s.queues.map((q) => q.oldestAgeSec).filter((a): a is number => a !== null);
  const sourceFailed = Object.values(s.meta.sources).some((src) => src.state === 'failed');
  const state: RowState = findings.some((f) => f.severity === 'critical')
    ? 'critical'
    : findings.length > 0
      ? 'warning'
      : 'ok';
  return {
    name: entry.name,
    state,
    findings,
    workersUp: s.totals.workersUp,
    workersLost: s.totals.workersLost,
    ready: s.totals.ready,
    oldestWaitSec: ages.length > 0 ? Math.max(...ages) : null,
    failureRate: succeeded + failed > 0 ? failed / (succeeded + failed) : null,
    events: s.meta.events.taskEvents === null ? '?' : s.meta.events.taskEvents ? 'on' : 'off',
    connection: sourceFailed || !s.meta.complete ? 'partial' : 'connected',
    error: null,
  };
}

/** The worst of `states`: critical over unknown over warning over ok (Nagios' order for a group). */
export function worstState(states: RowState[]): RowState {
  return states.reduce<RowState>((worst, s) => (stateRank[s] > stateRank[worst] ? s : worst), 'ok');
}

/** Rows worst first; equal states keep the config file's order. */
export function sortRows(rows: ClusterRow[]): ClusterRow[] {
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => stateRank[b.row.state] - stateRank[a.row.state] || a.i - b.i)
    .map(({ row }) => row);
}

const num = (v: number | null) => (v === null ? '-' : String(v));
const secs = (v: number | null) => (v === null ? '-' : `${Math.round(v)}s`);
const pct = (v: number | null) => (v === null ? '-' : `${(v * 100).toFixed(1)}%`);

/** The first finding (or the error), and how many more. */
export function rowNote(row: ClusterRow): string {
  if (row.error !== null) return row.error;
  const [first, ...rest] = row.findings;
  if (!first) return '';
  return `${first.severity}: ${first.summary}${rest.length > 0 ? ` (+${rest.length} more)` : ''}`;
}

/** The table `qtop --all` prints: a header, then one line per profile, worst first. */
export function formatRows(rows: ClusterRow[]): string {
  const head = [
    'PROFILE',
    'STATE',
    'UP',
    'LOST',
    'READY',
    'OLDEST',
    'FAIL',
    'EVENTS',
    'CONNECTION',
    'FINDINGS',
  ];
  const lines = sortRows(rows).map((r) => [
    clean(r.name),
    r.state,
    num(r.workersUp),
    num(r.workersLost),
    num(r.ready),
    secs(r.oldestWaitSec),
    pct(r.failureRate),
    r.events,
    clean(r.connection),
    // Names, summaries and errors carry queue and task names from the cluster.
    clean(rowNote(r), ''),
  ]);
  const all = [head, ...lines];
  const widths = head.map((_, c) => Math.max(...all.map((line) => (line[c] ?? '').length)));
  return all
    .map((line) =>
      line
        .map((cell, c) => (c === line.length - 1 ? cell : cell.padEnd(widths[c] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n');
}
