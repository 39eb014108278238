/**
 * `qtop check` judged on one snapshot: every threshold against the queue, worker, task-name and
 * hint rows, giving the worst level, the problems (worst first) and the performance data. Pure,
 * so each rule is unit-tested without a cluster.
 */
import type { HintsReport } from '../../src/hints/maths/types.js';
import type { QueueRow } from '../../src/store/select-queues.js';
import type { TaskNameRow } from '../../src/store/select-task-names.js';
import type { WorkerRow } from '../../src/store/select-workers.js';
import type { Level, Pair, Thresholds } from './thresholds.js';

/** The Nagios/Icinga plugin states, with their exit codes. */
export type Status = 'ok' | 'warning' | 'critical' | 'unknown';
export const statusExit: Record<Status, number> = { ok: 0, warning: 1, critical: 2, unknown: 3 };

/** One performance-data item: `'label'=value[uom];warn;crit;min;max`. */
export interface Perf {
  label: string;
  value: number;
  uom: '' | 's';
  warn: number | null;
  crit: number | null;
  min: number | null;
  max: number | null;
}

export interface Problem {
  level: Exclude<Level, 'ok'>;
  /** What it is about: `backlog`, `age`, `no-consumer`, `lost`, `failure-rate`, `slots`. */
  check: string;
  subject: string;
  text: string;
}

export interface CheckInput {
  queues: QueueRow[];
  workers: WorkerRow[];
  taskNames: TaskNameRow[];
  hints: HintsReport;
  /** Why the data is incomplete (a source failed, the first pass did not finish), or null. */
  partial: string | null;
}

export interface CheckResult {
  status: Status;
  summary: string;
  problems: Problem[];
  perfdata: Perf[];
}

function levelOf(value: number, pair: Pair): Level {
  if (pair.crit !== null && value >= pair.crit) return 'critical';
  if (pair.warn !== null && value >= pair.warn) return 'warning';
  return 'ok';
}

const rank: Record<Status, number> = { ok: 0, unknown: 1, warning: 2, critical: 3 };

/**
 * A lost worker: heartbeats stopped, or (in a short check window, before three silent inspect
 * rounds make it `lost`) a pidbox entry that neither heartbeated nor answered: what SIGKILL leaves.
 */
export function isLost(w: WorkerRow): boolean {
  return (
    w.state === 'lost' || (w.state === 'pidbox-only' && w.silentRounds > 0 && w.heartbeatAgeSec === null)
  );
}

/** Evaluate every threshold; partial data turns an OK into UNKNOWN (it might not be OK). */
export function evaluateCheck(input: CheckInput, t: Thresholds): CheckResult {
  const problems: Problem[] = [];
  const perfdata: Perf[] = [];
  const judge = (check: string, subject: string, value: number, pair: Pair, text: string) => {
    const level = levelOf(value, pair);
    if (level !== 'ok')
      problems.push({
        level,
        check,
        subject,
        text: `${text} (>= ${level === 'critical' ? pair.crit : pair.warn})`,
      });
  };
  for (const q of input.queues) {
    const backlog = t.queueBacklog.get(q.name) ?? t.backlog;
    judge('backlog', q.name, q.total, backlog, `${q.name} backlog ${q.total}`);
    perfdata.push({ label: `backlog_${q.name}`, value: q.total, uom: '', ...backlog, min: 0, max: null });
    const age = t.queueAge.get(q.name) ?? t.ageSec;
    const ageSec = Math.round(q.oldestAgeSec ?? 0);
    judge('age', q.name, ageSec, age, `${q.name} oldest message ${ageSec}s`);
    perfdata.push({ label: `age_${q.name}`, value: ageSec, uom: 's', ...age, min: 0, max: null });
    perfdata.push({
      label: `consumers_${q.name}`,
      value: q.consumers.workers,
      uom: '',
      warn: null,
      crit: null,
      min: 0,
      max: null,
    });
  }
  if (t.noConsumer !== 'ok') {
    for (const f of input.hints.findings) {
      if (f.kind !== 'no-consumer' || f.queue === null) continue;
      problems.push({ level: t.noConsumer, check: 'no-consumer', subject: f.queue, text: f.summary });
    }
  }
  // Beat (docs/beat.md): no beat running, or a periodic task late past its tolerance, at the
  // finding's own severity (critical for RedBeat's exact schedule, warning when inferred).
  for (const f of input.hints.findings) {
    if (f.kind !== 'beat-down' && f.kind !== 'beat-late') continue;
    problems.push({ level: f.severity, check: f.kind, subject: f.taskName ?? 'beat', text: f.summary });
  }
  const lost = input.workers.filter(isLost);
  const up = input.workers.filter((w) => w.state === 'online' || (w.state === 'pidbox-only' && !isLost(w)));
  judge(
    'lost',
    lost.map((w) => w.hostname).join(','),
    lost.length,
    t.lost,
    `${lost.length} lost worker(s): ${lost.map((w) => w.hostname).join(', ')}`,
  );
  perfdata.push({
    label: 'workers_up',
    value: up.length,
    uom: '',
    warn: null,
    crit: null,
    min: 0,
    max: null,
  });
  perfdata.push({ label: 'workers_lost', value: lost.length, uom: '', ...t.lost, min: 0, max: null });
  for (const row of input.taskNames) {
    if (row.failureRate === null || row.count < t.minFinished) continue;
    const rate = Math.round(row.failureRate * 1000) / 1000;
    judge(
      'failure-rate',
      row.name,
      rate,
      t.failureRate,
      `${row.name} failure rate ${rate} (${row.failed}/${row.count})`,
    );
    perfdata.push({
      label: `failure_rate_${row.name}`,
      value: rate,
      uom: '',
      ...t.failureRate,
      min: 0,
      max: 1,
    });
  }
  for (const hint of input.hints.queues) {
    if (hint.addSlots === null) continue;
    judge('slots', hint.queue, hint.addSlots, t.slots, `${hint.queue} needs ${hint.addSlots} more slot(s)`);
    perfdata.push({
      label: `slots_needed_${hint.queue}`,
      value: hint.addSlots,
      uom: '',
      ...t.slots,
      min: 0,
      max: null,
    });
  }
  problems.sort((a, b) => (a.level === b.level ? 0 : a.level === 'critical' ? -1 : 1));
  let status: Status = problems[0]?.level ?? 'ok';
  if (input.partial !== null && rank[status] < rank.unknown) status = 'unknown';
  return { status, summary: summarize(input, problems, up.length), problems, perfdata };
}

function summarize(input: CheckInput, problems: Problem[], up: number): string {
  const partial = input.partial === null ? '' : `; partial data: ${input.partial}`;
  if (problems.length > 0) {
    const shown = problems.slice(0, 3).map((p) => p.text);
    if (problems.length > 3) shown.push(`+${problems.length - 3} more`);
    return `${shown.join(', ')}${partial}`;
  }
  const backlog = input.queues.reduce((sum, q) => sum + q.total, 0);
  return `${input.queues.length} queue(s), backlog ${backlog}, ${up} worker(s) up${partial}`;
}
