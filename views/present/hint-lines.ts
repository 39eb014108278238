/**
 * The Hints panel's rows as pure functions: one table row per queue hint (forecast, oldest age,
 * backlog, λ, μ, slots now and needed, slots to add, confidence), one line per finding (severity
 * word and symbol, summary), the detail under the list for the selected row (evidence on Enter),
 * and the even split of a queue's needed slots over its up consumers that `hint.apply` grows.
 */
import type { Finding, QueueHint } from '../../src/hints/maths/types.js';
import { sanitize } from '../../src/output/sanitize.js';
import type { Line } from './detail-lines.js';
import { formatAge, formatCount, formatDuration, unknown } from './format.js';
import type { Column } from './table-layout.js';
import type { RowModel } from './table-rows.js';
import { wrap } from './text-width.js';
import type { Theme, Tone } from './theme.js';

/** Selection key of a queue hint row. */
export const queueHintKey = (h: QueueHint) => `q:${h.queue}`;
/** Selection key of a finding row (kind and subject, stable while it lasts). */
export const findingKey = (f: Finding) =>
  `f:${f.kind}:${f.queue ?? ''}:${f.worker ?? ''}:${f.taskName ?? ''}`;

/** Queue hint columns: the forecast and the slots first, the estimates behind them after. */
export const hintColumns: Column[] = [
  { key: 'queue', title: 'QUEUE', width: 10, priority: 1, grow: 2, max: 30 },
  { key: 'forecast', title: 'FORECAST', width: 18, priority: 1, grow: 3, max: 60 },
  { key: 'oldest', title: 'OLDEST', width: 6, align: 'right', priority: 3 },
  { key: 'backlog', title: 'BACKLOG', width: 7, align: 'right', priority: 2 },
  { key: 'lambda', title: 'λ/s', width: 6, align: 'right', priority: 4 },
  { key: 'mu', title: 'μ/slot', width: 6, align: 'right', priority: 4 },
  { key: 'slots', title: 'C', width: 4, align: 'right', priority: 3 },
  { key: 'drain', title: 'DRAIN', width: 5, align: 'right', priority: 5 },
  { key: 'wait', title: 'WAIT', width: 4, align: 'right', priority: 5 },
  { key: 'add', title: 'ADD', width: 4, align: 'right', priority: 1 },
  { key: 'confidence', title: 'CONF', width: 6, priority: 2 },
];

/** A rate with enough digits for small values: 0.25, 3.1, 120. */
export function formatPerSec(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return unknown;
  if (value === 0) return '0';
  if (value < 10) return String(Number(value.toPrecision(2)));
  return formatCount(Math.round(value));
}

/** Slots as a short number; a sliver of a shared pool is `<0.1`, not a misleading 0. */
export const slotsText = (n: number | null) =>
  n === null ? unknown : Number.isInteger(n) ? String(n) : n < 0.1 ? '<0.1' : String(Number(n.toFixed(1)));

const forecastTone: Record<QueueHint['forecast']['kind'], Tone> = {
  insufficient: 'dim',
  idle: 'dim',
  'keeping-up': 'ok',
  draining: 'ok',
  growing: 'warn',
  stalled: 'bad',
};

/** One queue hint as cells. */
export function hintCells(h: QueueHint, theme: Theme): RowModel {
  const atLeast = theme.ascii ? '>=' : '≥';
  const oldest = formatAge(h.oldestAgeSec);
  return {
    key: queueHintKey(h),
    cells: {
      queue: sanitize(h.queue),
      forecast: sanitize(h.forecast.text),
      oldest: h.oldestAgeIsLowerBound && h.oldestAgeSec !== null ? `${atLeast}${oldest}` : oldest,
      backlog: formatCount(h.backlog.total),
      lambda: formatPerSec(h.arrival.perSec),
      mu: formatPerSec(h.service.perSlotPerSec),
      slots: slotsText(h.slots.current),
      drain: slotsText(h.slotsToDrain),
      wait: slotsText(h.slotsForWait),
      add: h.addSlots === null ? unknown : h.addSlots > 0 ? `+${h.addSlots}` : '0',
      confidence: h.confidence,
    },
    tones: {
      forecast: forecastTone[h.forecast.kind],
      add: (h.addSlots ?? 0) > 0 ? 'warn' : 'dim',
      confidence: h.confidence === 'low' ? 'dim' : 'plain',
    },
  };
}

/** Severity as a word and a symbol, never colour alone. */
export function severityText(theme: Theme, f: Finding): { text: string; tone: Tone } {
  return f.severity === 'critical'
    ? { text: `${theme.ascii ? 'x' : '✗'} CRITICAL`, tone: 'bad' }
    : { text: `${theme.ascii ? '!' : '⚠'} WARNING`, tone: 'warn' };
}

/** One finding as one line: severity, summary. */
export function findingLine(f: Finding, theme: Theme): Line {
  const severity = severityText(theme, f);
  return { text: `${severity.text.padEnd(10)} ${sanitize(f.summary)}`, tone: severity.tone };
}

/** What is under the list for the selected queue hint: the forecast in words, slots, notes. */
export function queueHintDetail(h: QueueHint, width: number): Line[] {
  const slots =
    `slots now ${slotsText(h.slots.current)}, to drain in time ${slotsText(h.slotsToDrain)}, ` +
    `for the wait target ${slotsText(h.slotsForWait)}, add ${slotsText(h.addSlots)}` +
    (h.drainSec !== null && h.backlog.total > 0
      ? ` · drains in ${h.drainSec < 1 ? 'under 1s' : formatDuration(h.drainSec)}`
      : '') +
    (h.predictedWaitSec !== null ? ` · wait ${formatDuration(h.predictedWaitSec)}` : '');
  const workers = h.slots.workers.map((w) => `${sanitize(w.hostname)} ${slotsText(w.slots)}`).join(', ');
  const texts = [
    `${sanitize(h.queue)}: ${sanitize(h.forecast.text)} (confidence ${h.confidence})`,
    slots,
    `consumers: ${workers || 'none up'}`,
    ...h.notes.map((n) => `note: ${sanitize(n)}`),
  ];
  return texts.flatMap((t) => wrap(t, width).map((text) => ({ text, tone: 'dim' as Tone })));
}

/** What is under the list for the selected finding: the fix, and the evidence when opened. */
export function findingDetail(f: Finding, width: number, open: boolean): Line[] {
  const texts = [
    `fix: ${sanitize(f.fix)}`,
    ...(open
      ? [
          'evidence:',
          ...f.evidence.map((e) => `  ${sanitize(e)}`),
          ...(f.taskIds.length > 0 ? [`tasks: ${f.taskIds.map((id) => sanitize(id)).join(' ')}`] : []),
        ]
      : ['Enter shows the evidence']),
  ];
  return texts.flatMap((t) => wrap(t, width).map((text) => ({ text, tone: 'dim' as Tone })));
}
