/**
 * `qtop hints` as text: a table of queue forecasts, the changes that meet the targets (as
 * commands to run: qtop can grow a pool itself; `--concurrency` and replica counts are for the
 * deployment), the notes behind each confidence, and the findings. Pure: report in, string out.
 */
import { formatDuration, formatSetting } from '../../src/hints/maths/forecast.js';
import type { HintsReport, QueueHint } from '../../src/hints/maths/types.js';

export interface HintsTextInfo {
  /** Seconds qtop collected before answering. */
  collectedSec: number;
  label: string | null;
}

const dash = '-';

// Control characters (a newline, ESC, C1) and bidi controls.
const unsafe = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` with control and bidi characters turned into '?'. Queue, worker and task names and
 * exception texts come from anyone who can write to Redis, and could otherwise redraw or
 * reorder a terminal line; applied per output line, so a line stays one line.
 */
export function safeLine(text: string): string {
  return text.replace(unsafe, '?');
}

/** Rates with two decimals (whole numbers from 100 up); slot counts whole unless shared. */
function rate(value: number | null): string {
  if (value === null) return dash;
  return Math.abs(value) >= 100 ? String(Math.round(value)) : value.toFixed(2);
}

function num(value: number | null): string {
  if (value === null) return dash;
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) =>
    row
      .map((cell, i) =>
        i === 0 || i >= row.length - 3 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!),
      )
      .join('  ')
      .trimEnd(),
  );
}

function queueRow(h: QueueHint): string[] {
  // A measured age, not an estimate: no '~'; '≥' when qtop only knows since when it saw it.
  const age = h.oldestAgeSec === null ? null : formatDuration(h.oldestAgeSec).replace(/^~/, '');
  const oldest = age === null ? dash : `${h.oldestAgeIsLowerBound ? '≥' : ''}${age}`;
  return [
    safeLine(h.queue),
    String(h.backlog.ready),
    String(h.backlog.reserved),
    rate(h.arrival.perSec),
    rate(h.service.perSlotPerSec),
    num(h.slots.current),
    h.utilization === null ? dash : `${Math.round(h.utilization * 100)}%`,
    h.forecast.text,
    oldest,
    h.confidence,
  ];
}

/** The commands that add `h.addSlots` slots, spread over the queue's consumers. */
function changeLines(h: QueueHint, report: HintsReport): string[] {
  const add = h.addSlots ?? 0;
  if (add <= 0 || h.slots.current === null) return [];
  const lines = [
    `${h.queue}: add ${add} slot${add === 1 ? '' : 's'} (has ${num(h.slots.current)}; draining within ` +
      `${formatSetting(report.options.targetSec)} needs ${h.slotsToDrain}, a wait under ` +
      `${formatSetting(report.options.waitTargetSec)} needs ${h.slotsForWait})`,
  ];
  const known = h.slots.workers.filter((w) => w.poolSize !== null && w.poolSize > 0);
  if (known.length === 0) {
    lines.push(`  start workers with -Q ${h.queue} and ${add} slots in all (--concurrency ${add})`);
    return lines;
  }
  for (const w of known) {
    // A shared worker gives this queue only its share of any new slot, so it must grow more.
    const grow = Math.ceil(add / known.length / w.share - 1e-9);
    lines.push(
      `  qtop pool ${w.hostname} grow ${grow}    (celery control pool_grow ${grow} -d ${w.hostname}; ` +
        `or restart it with --concurrency ${w.poolSize! + grow})`,
    );
  }
  const per = known[0]!.poolSize! * known[0]!.share;
  const replicas = Math.ceil(add / per - 1e-9);
  lines.push(`  or run ${replicas} more replica${replicas === 1 ? '' : 's'} like ${known[0]!.hostname}`);
  return lines;
}

/** The whole text report. */
export function formatHintsText(report: HintsReport, info: HintsTextInfo): string {
  const o = report.options;
  const out = [
    `qtop hints${info.label ? ` [${info.label}]` : ''}: ${formatDuration(info.collectedSec)} of data, ` +
      `drain target ${formatSetting(o.targetSec)}, wait target ${formatSetting(o.waitTargetSec)}, ` +
      `visibility_timeout ${formatSetting(o.visibilityTimeoutSec)}`,
    '',
  ];
  if (report.queues.length === 0) out.push('No queues found.');
  else {
    const head = ['QUEUE', 'READY', 'RSVD', 'λ/s', 'μ/SLOT/s', 'SLOTS', 'UTIL', 'FORECAST', 'OLDEST', 'CONF'];
    out.push(...table([head, ...report.queues.map(queueRow)]));
  }
  const changes = report.queues.flatMap((h) => changeLines(h, report));
  if (changes.length > 0) out.push('', 'Changes that meet the targets:', ...changes.map((l) => `  ${l}`));
  const notes = report.queues.filter((h) => h.notes.length > 0);
  if (notes.length > 0) {
    out.push('', 'Why (inputs and confidence):');
    for (const h of notes) out.push(`  ${h.queue} (${h.confidence}): ${h.notes.join('; ')}`);
  }
  out.push('');
  if (report.findings.length === 0) out.push('No findings.');
  else {
    out.push('Findings:');
    for (const f of report.findings) {
      out.push(`  ${f.severity.toUpperCase()} ${f.kind}: ${f.summary}`);
      for (const line of f.evidence) out.push(`      - ${line}`);
      out.push(`      fix: ${f.fix}`);
    }
  }
  return `${out.map(safeLine).join('\n')}\n`;
}
