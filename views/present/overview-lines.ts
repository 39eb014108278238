/**
 * The Overview panel as pure lines: "is anything wrong?" in one screen. Five sections
 * (throughput, queues, workers, failures, health), each a heading with its summary and then
 * its items worst first. Every section keeps a minimum so 80x24 shows all five; extra height
 * goes one line at a time to the sections that have more to show. Each line says where Enter
 * jumps: the item's own row in its panel (or the panel, for a heading).
 */
import type { Finding } from '../../src/hints/maths/types.js';
import { sanitize } from '../../src/output/sanitize.js';
import type { QueueRow } from '../../src/store/select-queues.js';
import type { RecentFailureGroup } from '../../src/store/select-recent-failures.js';
import type { Throughput } from '../../src/store/select-throughput.js';
import type { WorkerRow } from '../../src/store/select-workers.js';
import { isUp } from '../../src/store/worker-state.js';
import type { Line } from './detail-lines.js';
import { formatAge, formatCount, formatRate, formatTrend, sparkline } from './format.js';
import { findingKey, findingLine } from './hint-lines.js';
import { failureKey } from './task-rows.js';
import type { Theme } from './theme.js';

/** Where Enter on an overview line goes: a panel, and the row to select there ('' for none). */
export interface Jump {
  panel: 'queues' | 'workers' | 'failures' | 'hints' | 'runtimes';
  key: string;
}

/** One overview line; `jump` is set on the lines the cursor stops at. */
export interface OverviewLine extends Line {
  jump?: Jump;
}

/** What the overview is drawn from: the frame's selector results. */
export interface OverviewInput {
  throughput: Throughput;
  queues: QueueRow[];
  workers: WorkerRow[];
  failures: RecentFailureGroup[];
  /** Worst first, as the hints report orders them. */
  findings: Finding[];
}

interface Section {
  heading: OverviewLine;
  items: OverviewLine[];
  /** Items shown even when height is short. */
  min: number;
}

/** Whether a queue has work: messages waiting or held by workers. */
const hasWork = (q: QueueRow) => q.total > 0 || q.reserved > 0;
const noConsumer = (q: QueueRow) => q.total > 0 && q.consumers.workers === 0;
const growing = (q: QueueRow) => (q.backlogTrendPerSec ?? 0) > 0;

/** Queues with work, worst first: no consumer, then growing, then the oldest wait, then size. */
export function queuesThatMatter(queues: QueueRow[]): QueueRow[] {
  const rank = (q: QueueRow) => (noConsumer(q) ? 0 : growing(q) ? 1 : 2);
  return queues
    .filter(hasWork)
    .sort(
      (a, b) =>
        rank(a) - rank(b) ||
        (b.oldestAgeSec ?? -1) - (a.oldestAgeSec ?? -1) ||
        b.total - a.total ||
        (a.name < b.name ? -1 : 1),
    );
}

/** Averages `values` into `width` columns; a column with no known value is null. */
export function resample(values: (number | null)[], width: number): (number | null)[] {
  if (width <= 0) return [];
  if (values.length <= width) return values;
  const out: (number | null)[] = [];
  for (let c = 0; c < width; c += 1) {
    const from = Math.floor((c * values.length) / width);
    const to = Math.floor(((c + 1) * values.length) / width);
    let sum = 0;
    let known = 0;
    for (let i = from; i < to; i += 1) {
      const v = values[i];
      if (v !== null && v !== undefined) {
        sum += v;
        known += 1;
      }
    }
    out.push(known === 0 ? null : sum / known);
  }
  return out;
}

function throughputSection(t: Throughput, width: number, theme: Theme): Section {
  const c = t.current;
  const jump: Jump = { panel: 'runtimes', key: '' };
  const heading: OverviewLine = {
    text: `THROUGHPUT 15m   ok ${formatRate(c.succeeded)}  failed ${formatRate(c.failed)}  retried ${formatRate(c.retried)}`,
    heading: true,
    jump,
  };
  // Indent 2, label 8, then the chart, then ` max 12.3/s` (10).
  const spark = Math.max(4, width - 20);
  const row = (label: string, values: (number | null)[], tone: Line['tone']): OverviewLine => {
    const peak = values.reduce<number>((m, v) => (v !== null && v > m ? v : m), 0);
    const chart = sparkline(resample(values, spark), spark, theme.ascii);
    return { text: `  ${label.padEnd(7)} ${chart} ${`max ${formatRate(peak)}`.padStart(9)}`, tone };
  };
  return {
    heading,
    items: [row('ok', t.succeeded, 'ok'), row('failed', t.failed, 'bad'), row('retried', t.retried, 'warn')],
    min: 2,
  };
}

function queueSection(rows: QueueRow[], width: number): Section {
  const queues = queuesThatMatter(rows);
  const waiting = queues.reduce((n, q) => n + q.total, 0);
  const orphans = queues.filter(noConsumer).length;
  const heading: OverviewLine = {
    text:
      queues.length === 0
        ? `QUEUES   no backlog (${rows.length} queues empty)`
        : `QUEUES   ${queues.length} with work · ${formatCount(waiting)} waiting` +
          (orphans > 0 ? ` · ${orphans} without consumer` : ''),
    heading: true,
    jump: { panel: 'queues', key: '' },
  };
  // The columns after the name take 56 cells and the indent 2.
  const nameWidth = Math.max(12, Math.min(40, width - 58));
  const items = queues.map((q): OverviewLine => {
    const consumers = noConsumer(q)
      ? 'NO CONSUMER'
      : `${q.consumers.workers} worker${q.consumers.workers === 1 ? '' : 's'}`;
    const oldest = `${q.oldestAgeIsLowerBound ? '>' : ''}${formatAge(q.oldestAgeSec)}`;
    const trend = q.backlogTrendPerSec === null ? '-' : formatTrend(q.backlogTrendPerSec);
    return {
      text:
        `  ${sanitize(q.name).padEnd(nameWidth)} ${formatCount(q.total).padStart(6)} ready` +
        `  oldest ${oldest.padStart(6)}  trend ${trend.padStart(7)}  ${consumers}`,
      tone: noConsumer(q) ? 'bad' : growing(q) ? 'warn' : 'plain',
      jump: { panel: 'queues', key: q.name },
    };
  });
  return { heading, items, min: 2 };
}

function workerSection(workers: WorkerRow[], theme: Theme): Section {
  const up = workers.filter((w) => isUp(w.state));
  const lost = workers.filter((w) => w.state === 'lost');
  const offline = workers.length - up.length - lost.length;
  const busy = up.reduce((n, w) => n + (w.busy ?? 0), 0);
  const slots = up.some((w) => w.poolMax !== null) ? up.reduce((n, w) => n + (w.poolMax ?? 0), 0) : null;
  const heading: OverviewLine = {
    text:
      `WORKERS  ${up.length} up · ${lost.length} lost · ${offline} offline` +
      ` · busy ${busy}/${slots === null ? '-' : slots} slots`,
    heading: true,
    jump: { panel: 'workers', key: '' },
  };
  const cross = theme.ascii ? 'x' : '✗';
  const lostItems = lost.map(
    (w): OverviewLine => ({
      text: `  ${cross} LOST   ${sanitize(w.hostname)}  last heartbeat ${formatAge(w.heartbeatAgeSec)} ago`,
      tone: 'bad',
      jump: { panel: 'workers', key: w.hostname },
    }),
  );
  const load = (w: WorkerRow) => (w.busy ?? 0) / Math.max(1, w.poolMax ?? 1);
  const busiest = up
    .filter((w) => (w.busy ?? 0) > 0)
    .sort((a, b) => load(b) - load(a) || (b.busy ?? 0) - (a.busy ?? 0))
    .map(
      (w): OverviewLine => ({
        text: `  busiest ${sanitize(w.hostname)}  ${w.busy ?? '-'}/${w.poolMax ?? '-'} busy`,
        jump: { panel: 'workers', key: w.hostname },
      }),
    );
  return { heading, items: [...lostItems, ...busiest], min: Math.min(2, lostItems.length + 1) };
}

function failureSection(groups: RecentFailureGroup[], nowMs: number): Section {
  const recent = groups.reduce((n, g) => n + g.recent, 0);
  const heading: OverviewLine = {
    text:
      groups.length === 0
        ? 'FAILURES none held'
        : `FAILURES ${groups.length} groups · ${recent} failed in the last 5m`,
    heading: true,
    jump: { panel: 'failures', key: '' },
  };
  const items = groups.map(
    (g): OverviewLine => ({
      text:
        `  ${sanitize(g.name ?? '(unknown task)')}  ${sanitize(g.excType ?? '(unknown exception)')}` +
        `${g.retrying ? ' (retrying)' : ''}  ${g.recent} in 5m · ${g.count} held` +
        ` · last ${formatAge(Math.max(0, nowMs / 1000 - g.lastSeen))} ago`,
      tone: g.recent > 0 ? (g.retrying ? 'warn' : 'bad') : 'dim',
      jump: { panel: 'failures', key: failureKey(g) },
    }),
  );
  return { heading, items, min: 2 };
}

function healthSection(findings: Finding[], theme: Theme): Section {
  const critical = findings.filter((f) => f.severity === 'critical').length;
  const heading: OverviewLine = {
    text:
      findings.length === 0
        ? 'HEALTH   no findings'
        : `HEALTH   ${findings.length} finding${findings.length === 1 ? '' : 's'} (${critical} critical)`,
    heading: true,
    jump: { panel: 'hints', key: '' },
  };
  const items = findings.map((f): OverviewLine => {
    const line = findingLine(f, theme);
    return { ...line, text: `  ${line.text}`, jump: { panel: 'hints', key: findingKey(f) } };
  });
  return { heading, items, min: 2 };
}

/** How many items each section shows in `height` lines (headings included). */
export function allot(sections: { items: unknown[]; min: number }[], height: number): number[] {
  const shown = sections.map((s) => Math.min(s.min, s.items.length));
  let left = height - sections.length - shown.reduce((a, b) => a + b, 0);
  // Too short for every minimum: take items back from the last sections first.
  for (let i = sections.length - 1; i >= 0 && left < 0; i -= 1) {
    const give = Math.min(shown[i]!, -left);
    shown[i]! -= give;
    left += give;
  }
  let grew = true;
  while (left > 0 && grew) {
    grew = false;
    for (let i = 0; i < sections.length && left > 0; i += 1) {
      if (shown[i]! < sections[i]!.items.length) {
        shown[i]! += 1;
        left -= 1;
        grew = true;
      }
    }
  }
  return shown;
}

/** The overview in at most `height` lines of `width` cells, at clock `nowMs`. */
export function overviewLines(
  input: OverviewInput,
  width: number,
  height: number,
  theme: Theme,
  nowMs: number,
): OverviewLine[] {
  const sections = [
    throughputSection(input.throughput, width, theme),
    queueSection(input.queues, width),
    workerSection(input.workers, theme),
    failureSection(input.failures, nowMs),
    healthSection(input.findings, theme),
  ];
  const shown = allot(sections, height);
  const used = sections.length + shown.reduce((a, b) => a + b, 0);
  // Room to spare after every item: a blank line between sections reads easier.
  const spaced = height - used >= sections.length - 1;
  const lines: OverviewLine[] = [];
  sections.forEach((s, i) => {
    if (spaced && i > 0) lines.push({ text: '' });
    const hidden = s.items.length - shown[i]!;
    // Say on the heading what did not fit rather than drop it silently.
    lines.push(hidden > 0 ? { ...s.heading, text: `${s.heading.text}  (+${hidden} more)` } : s.heading);
    const items = s.items.slice(0, shown[i]);
    lines.push(...items);
  });
  return lines.slice(0, Math.max(0, height));
}

/** The key of an overview line the cursor can stop at. */
export const overviewKey = (jump: Jump) => `${jump.panel}:${jump.key}`;
