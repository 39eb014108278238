/**
 * Pure presenter of the Beat panel (docs/beat.md): the beat view's rows as sanitized cells and
 * tones, and the title line saying who holds the RedBeat lock (or that no beat runs). Tested with
 * fixtures in test/views/beat-rows.test.ts, like rows.ts for the other tables.
 */
import type { Finding } from '../../src/hints/maths/types.js';
import { clean } from '../../src/output/sanitize.js';
import type { BeatEntryRow, BeatView } from '../../src/store/select-beat.js';
import { formatAge, unknown } from './format.js';
import type { Column } from './table-layout.js';
import type { RowModel } from './table-rows.js';
import type { Theme } from './theme.js';

export const beatColumns: Column[] = [
  { key: 'name', title: 'ENTRY', width: 10, priority: 1, grow: 2, max: 30 },
  { key: 'task', title: 'TASK', width: 10, priority: 2, grow: 2, max: 40 },
  { key: 'schedule', title: 'SCHEDULE', width: 12, priority: 1, grow: 2, max: 40 },
  { key: 'enabled', title: 'ON', width: 3, priority: 2 },
  { key: 'last', title: 'LAST RUN', width: 8, align: 'right', priority: 2 },
  { key: 'runs', title: 'RUNS', width: 5, align: 'right', priority: 3 },
  { key: 'next', title: 'NEXT DUE', width: 10, align: 'right', priority: 1 },
  { key: 'onTime', title: 'ON TIME', width: 7, priority: 4 },
  { key: 'result', title: 'RESULT', width: 9, priority: 3 },
  { key: 'source', title: 'SRC', width: 8, priority: 5 },
];

/** `in 3s`, `now`, `12s late`: where the entry stands against its due time. */
export function dueCell(row: BeatEntryRow): string {
  if (row.nextDueInSec === null)
    return row.source === 'redbeat' && row.nextDueAt === null ? 'never' : unknown;
  if (row.nextDueInSec > 0.5) return `in ${formatAge(Math.ceil(row.nextDueInSec))}`;
  if ((row.lagSec ?? 0) < 1) return 'now';
  return `${formatAge(row.lagSec)} late`;
}

/** Seconds since an ISO time at `nowMs`, or null. */
function ageOf(iso: string | null, nowMs: number): number | null {
  return iso === null ? null : Math.max(0, (nowMs - Date.parse(iso)) / 1000);
}

/** One beat entry as cells. */
export function beatCells(row: BeatEntryRow, theme: Theme, nowMs: number): RowModel {
  const yes = theme.ascii ? 'y' : '✓';
  const no = theme.ascii ? 'n' : '✗';
  const enabled = row.enabled === null ? '?' : row.enabled ? yes : no;
  const onTime = row.lastRunOnTime === null ? unknown : row.lastRunOnTime ? `${yes} yes` : `${no} late`;
  const state = row.lastResult?.state ?? null;
  return {
    key: `${row.source}:${row.name}`,
    cells: {
      name: clean(row.name),
      task: clean(row.task),
      schedule: clean(row.schedule),
      enabled,
      last: row.lastRunAt === null ? 'never' : `${formatAge(ageOf(row.lastRunAt, nowMs))} ago`,
      runs:
        row.runCount === null
          ? unknown
          : row.source === 'inferred'
            ? `~${row.runCount}`
            : String(row.runCount),
      next: row.enabled === false ? 'disabled' : dueCell(row),
      onTime,
      result: row.lastResult === null ? unknown : clean(state, 'evicted'),
      source: row.source,
    },
    tones: {
      enabled: row.enabled === false ? 'dim' : 'plain',
      next: row.late ? 'bad' : row.enabled === false ? 'dim' : 'plain',
      onTime: row.lastRunOnTime === false ? 'warn' : 'plain',
      result: state === 'FAILURE' ? 'bad' : state === 'SUCCESS' ? 'ok' : 'plain',
      source: row.source === 'inferred' ? 'dim' : 'plain',
    },
  };
}

/** The title details: entry counts, the lock holder and TTL (or that no beat runs), findings. */
export function beatTitle(view: BeatView, findings: Finding[]): { text: string; bad: boolean } {
  const exact = view.entries.filter((e) => e.source === 'redbeat').length;
  const inferred = view.entries.length - exact;
  const parts = [`${exact} RedBeat · ${inferred} inferred`];
  let bad = false;
  if (view.lock?.held) {
    const holder = clean(view.lock.holder).slice(0, 8);
    const ttl = view.lock.ttlSec === null ? '' : `, TTL ${view.lock.ttlSec.toFixed(0)}s`;
    parts.push(`beat alive: lock ${holder}…${ttl}`);
  } else if (view.lock && exact > 0) {
    parts.push(`NO BEAT RUNNING: ${clean(view.lock.key)} is gone`);
    bad = true;
  } else if (view.redbeat && !view.redbeat.scheduleFound) {
    parts.push(`no RedBeat schedule under ${clean(view.redbeat.prefix)}`);
  }
  if (findings.length > 0)
    parts.push(`${findings.length} finding${findings.length === 1 ? '' : 's'} (Hints)`);
  return { text: parts.join(' · '), bad };
}

/** Why the list is empty. */
export const beatEmpty =
  'no periodic tasks: no RedBeat schedule (redbeat::schedule) and no task name arriving at a steady cadence yet (inference needs 8 runs and task events)';
