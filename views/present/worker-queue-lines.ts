/**
 * The worker and queue detail views as lines: a worker's stats and what it holds (active,
 * reserved, scheduled, registered), and a queue's numbers with its next messages decoded
 * (the peek) and the messages workers have reserved from it.
 */

import { sanitize } from '../../src/output/sanitize.js';
import type { PeekedMessage } from '../../src/store/actions.js';
import type { QueueDetail } from '../../src/store/select-queues.js';
import type { WorkerDetail } from '../../src/store/select-workers.js';
import { type Line, LineBuilder } from './detail-lines.js';
import {
  formatAge,
  formatBytes,
  formatClock,
  formatCount,
  formatDuration,
  formatRate,
  sparkline,
} from './format.js';
import { priorityCell } from './table-rows.js';
import { truncate } from './text-width.js';
import { type Theme, workerStateText } from './theme.js';

const n = (v: number | null) => (v === null ? '?' : String(v));

/** Lines for one worker at `width`. */
export function workerDetailLines(w: WorkerDetail, theme: Theme, width: number): Line[] {
  const b = new LineBuilder(width);
  const state = workerStateText(theme, w.state);
  b.field('worker', w.hostname);
  b.field('state', `${state.text}  heartbeat ${formatAge(w.heartbeatAgeSec)} ago`, state.tone);
  b.field(
    'pool',
    `${n(w.busy)}/${n(w.poolMax)} busy, ${w.poolType ?? '?'} (${n(w.poolProcesses)} processes)`,
  );
  b.field('prefetch', n(w.prefetchCount));
  b.field('processed', n(w.processed));
  b.field('load', w.loadavg ? w.loadavg.map((x) => x.toFixed(2)).join(' ') : null);
  b.field('uptime', formatDuration(w.uptime));
  b.field('pid', w.pid === null ? null : String(w.pid));
  b.field('celery', [w.swIdent, w.swVer, w.swSys].filter(Boolean).join(' ') || null);
  b.field('events', w.eventsEnabled ? 'task events seen in the last 5 min' : 'no task event seen lately');
  b.field('queues', w.queues ? w.queues.join(', ') : null);
  b.field('busy', sparkline(w.history, Math.min(60, width - 12), theme.ascii), 'active');
  const totals = Object.entries(w.totals).sort(([, a], [, b2]) => b2 - a);
  if (totals.length > 0) {
    b.section('Processed by task');
    for (const [name, count] of totals.slice(0, 50)) b.field(`  ${formatCount(count)}`, name);
  }
  for (const [title, ids] of [
    ['Active', w.activeIds],
    ['Reserved', w.reservedIds],
    ['Scheduled (ETA)', w.scheduledIds],
  ] as const) {
    b.section(`${title} (${ids.length})`);
    for (const id of ids.slice(0, 200)) b.link(`  → ${id}`, { kind: 'task', id });
  }
  b.section(`Registered tasks (${w.registered?.length ?? '?'})`);
  for (const name of w.registered ?? []) b.note(`  ${sanitize(name)}`, 'plain');
  return b.lines;
}

/** One waiting message in a line: position, priority step, name, call and what else is known. */
export function peekLine(m: PeekedMessage, hideArgs: boolean): string {
  const call = hideArgs ? '(args hidden)' : (m.argsRepr ?? (m.args ? JSON.stringify(m.args) : '?'));
  const kwargs =
    hideArgs || m.kwargsRepr === '{}' ? '' : ` ${m.kwargsRepr ?? (m.kwargs ? JSON.stringify(m.kwargs) : '')}`;
  const extra = [
    // The id's start tells messages with the same call apart (the one delete or move acts on).
    m.id && `id ${m.id.slice(0, 8)}`,
    m.eta && `eta ${m.eta}`,
    m.retries > 0 && `retry ${m.retries}`,
    m.redelivered && 'redelivered',
    formatBytes(m.bytes),
    m.note,
  ].filter(Boolean);
  return `#${m.position} p${m.priorityStep} ${m.name ?? '?'}${truncate(` ${call}${kwargs}`, 80)}  ${extra.join(', ')}`;
}

/** Lines for one queue at `width`: numbers, then the peek (Enter opens a message's task). */
export function queueDetailLines(q: QueueDetail, theme: Theme, width: number, hideArgs: boolean): Line[] {
  const b = new LineBuilder(width);
  const age =
    q.oldestAgeSec === null
      ? null
      : `${q.oldestAgeIsLowerBound ? 'at least ' : ''}${formatAge(q.oldestAgeSec)}`;
  b.field('queue', q.name);
  b.field('ready', `${q.total}  by priority ${priorityCell(q.byPriority)}`, q.total > 0 ? 'warn' : undefined);
  b.field('reserved', `${q.reserved}${q.reservedIsLowerBound ? ' (at least)' : ''}`);
  b.field(
    'rates',
    `in ${formatRate(q.inRate)}  out ${formatRate(q.outRate)}  trend ${formatRate(q.backlogTrendPerSec)}`,
  );
  b.field('oldest', age);
  b.field(
    'consumers',
    `${q.consumers.workers} workers, ${q.consumers.slots ?? '?'} slots`,
    q.consumers.workers === 0 && q.total > 0 ? 'bad' : undefined,
  );
  b.field('exchanges', q.exchanges.join(', ') || null);
  b.field('sampled', q.sampledAt === null ? null : formatClock(q.sampledAt / 1000));
  b.field('backlog', sparkline(q.backlogHistory, Math.min(60, width - 12), theme.ascii), 'active');
  b.section(`Next messages (${q.peek.length} of ${q.total}, in execution order; / searches them all)`);
  if (q.peek.length === 0) b.note('  none waiting');
  for (const m of q.peek) {
    const text = peekLine(m, hideArgs);
    if (m.id) b.message(`  ${text}`, { id: m.id, name: m.name });
    else b.note(`  ${sanitize(text)}`, 'plain');
  }
  b.section(`Reserved by workers (${q.reservedMessages.length})`);
  for (const entry of q.reservedMessages.slice(0, 200)) {
    const held = entry.deliveredAt === null ? '?' : formatClock(entry.deliveredAt);
    const text = `  ${entry.message?.name ?? '?'} ${entry.message?.id ?? entry.deliveryTag}  delivered ${held}`;
    if (entry.message?.id) b.link(text, { kind: 'task', id: entry.message.id });
    else b.note(sanitize(text), 'plain');
  }
  return b.lines;
}
