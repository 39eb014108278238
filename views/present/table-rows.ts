/**
 * Pure presenters for the queue, worker and command-log tables: row models from the selectors
 * become sanitized cell strings and tones. The Table widget only lays them out, so what a panel
 * says is tested here, with fixtures, without rendering.
 */
import type { CommandLogEntry } from '../../src/control/controls.js';
import { clean, sanitize } from '../../src/output/sanitize.js';
import type { QueueRow } from '../../src/store/select-queues.js';
import type { WorkerRow } from '../../src/store/select-workers.js';
import {
  formatAge,
  formatClock,
  formatCount,
  formatRate,
  formatTrend,
  sparkline,
  unknown,
} from './format.js';
import type { Column } from './table-layout.js';
import { type Theme, type Tone, workerStateText } from './theme.js';

/** One table row as the Table widget draws it: a stable key, cells by column key, tones. */
export interface RowModel {
  key: string;
  cells: Record<string, string>;
  tones?: Record<string, Tone>;
}

/** The ready counts per priority step that hold messages: `0:12 9:1`. */
export function priorityCell(byPriority: Record<string, number>): string {
  const parts = Object.entries(byPriority)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([step, n]) => `${step}:${formatCount(n)}`);
  return parts.length > 0 ? parts.join(' ') : unknown;
}

/** Queue columns; `byPriority` adds the per-priority column (shown on demand). */
export function queueColumns(byPriority: boolean): Column[] {
  const columns: Column[] = [
    { key: 'name', title: 'QUEUE', width: 12, priority: 1, grow: 2, max: 40 },
    { key: 'ready', title: 'READY', width: 6, align: 'right', priority: 1 },
    { key: 'reserved', title: 'RSVD', width: 5, align: 'right', priority: 2 },
    { key: 'in', title: 'IN', width: 6, align: 'right', priority: 3 },
    { key: 'out', title: 'OUT', width: 6, align: 'right', priority: 3 },
    { key: 'oldest', title: 'OLDEST', width: 7, align: 'right', priority: 2 },
    { key: 'consumers', title: 'WORKERS', width: 7, align: 'right', priority: 2 },
    { key: 'trend', title: 'TREND', width: 7, align: 'right', priority: 5 },
    { key: 'backlog', title: 'BACKLOG', width: 10, priority: 4, grow: 1, max: 60, keepEnd: true },
  ];
  if (byPriority)
    columns.splice(2, 0, { key: 'prio', title: 'BY PRIORITY', width: 12, priority: 1, grow: 1 });
  return columns;
}

/** One queue as cells: ready, reserved (`+` when a lower bound), rates, oldest (`≥` when a lower bound). */
export function queueCells(row: QueueRow, theme: Theme): RowModel {
  const atLeast = theme.ascii ? '>=' : '≥';
  const oldest = formatAge(row.oldestAgeSec);
  const slots = row.consumers.slots === null ? '?' : String(row.consumers.slots);
  const stranded = row.total > 0 && row.consumers.workers === 0;
  return {
    key: row.name,
    cells: {
      name: sanitize(row.name),
      ready: formatCount(row.total),
      prio: priorityCell(row.byPriority),
      reserved: `${formatCount(row.reserved)}${row.reservedIsLowerBound ? '+' : ''}`,
      in: formatRate(row.inRate),
      out: formatRate(row.outRate),
      oldest: row.oldestAgeIsLowerBound && row.oldestAgeSec !== null ? `${atLeast}${oldest}` : oldest,
      consumers: `${row.consumers.workers}w/${slots}`,
      trend: formatTrend(row.backlogTrendPerSec),
      backlog: sparkline(row.backlogHistory, 60, theme.ascii),
    },
    tones: {
      ready: row.total > 0 ? 'warn' : 'dim',
      consumers: stranded ? 'bad' : 'plain',
      backlog: 'active',
    },
  };
}

/** Worker columns. */
export const workerColumns: Column[] = [
  { key: 'hostname', title: 'WORKER', width: 14, priority: 1, grow: 2, max: 50 },
  { key: 'state', title: 'STATE', width: 9, priority: 1 },
  { key: 'busy', title: 'BUSY', width: 7, align: 'right', priority: 1 },
  { key: 'prefetch', title: 'PREF', width: 4, align: 'right', priority: 4 },
  { key: 'processed', title: 'DONE', width: 6, align: 'right', priority: 2 },
  { key: 'ars', title: 'ACT/RSV/ETA', width: 11, align: 'right', priority: 3 },
  { key: 'load', title: 'LOAD', width: 14, priority: 4 },
  { key: 'heartbeat', title: 'HB', width: 6, align: 'right', priority: 2 },
  { key: 'queues', title: 'QUEUES', width: 10, priority: 3, grow: 1, max: 60 },
  { key: 'version', title: 'CELERY', width: 7, priority: 5 },
];

const count = (n: number | null) => (n === null ? '?' : String(n));

/** One worker as cells; state is a symbol and a word. */
export function workerCells(row: WorkerRow, theme: Theme): RowModel {
  const state = workerStateText(theme, row.state);
  const full = row.busy !== null && row.poolMax !== null && row.busy >= row.poolMax;
  return {
    key: row.hostname,
    cells: {
      hostname: sanitize(row.hostname),
      state: state.text,
      busy: `${count(row.busy)}/${count(row.poolMax)}`,
      prefetch: count(row.prefetchCount),
      processed: formatCount(row.processed),
      ars: `${count(row.activeCount)}/${count(row.reservedCount)}/${count(row.scheduledCount)}`,
      load: row.loadavg ? row.loadavg.map((n) => n.toFixed(2)).join(' ') : unknown,
      heartbeat: formatAge(row.heartbeatAgeSec),
      queues: row.queues ? row.queues.map((q) => sanitize(q)).join(',') : unknown,
      version: clean(row.swVer),
    },
    tones: { state: state.tone, busy: full ? 'warn' : 'plain' },
  };
}

/** Command log columns. */
export const logColumns: Column[] = [
  { key: 'time', title: 'TIME', width: 12, priority: 1 },
  { key: 'status', title: 'RESULT', width: 6, priority: 1 },
  // 'consumer cancel', 'message delete': the longest command names fit whole.
  { key: 'command', title: 'COMMAND', width: 15, priority: 1 },
  { key: 'target', title: 'TARGET', width: 14, priority: 2, grow: 1, max: 50 },
  { key: 'summary', title: 'OUTCOME', width: 20, priority: 1, grow: 3 },
];

/** One command log entry as cells (`index` keys it: entries are never reordered). */
export function logCells(entry: CommandLogEntry, index: number, theme: Theme): RowModel {
  const ok = entry.outcome.ok;
  return {
    key: String(index),
    cells: {
      time: formatClock(entry.at / 1000),
      status: ok ? `${theme.ascii ? '+' : '✓'} ok` : `${theme.ascii ? 'x' : '✗'} fail`,
      command: sanitize(entry.command),
      target: sanitize(entry.target),
      summary: sanitize(entry.outcome.summary),
    },
    tones: { status: ok ? 'ok' : 'bad' },
  };
}
