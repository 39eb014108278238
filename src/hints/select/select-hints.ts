/**
 * The hints report: a scaling hint per queue and the health findings, from the model at `now`
 * (qtop clock, ms). Pure like every selector: the JSON snapshot and `qtop hints` call this one
 * function (and the TUI's hints panel is meant to), so they cannot disagree.
 *
 * Order of work: backlog and λ per queue first (they need no slots), then which queues have
 * work (that decides how shared workers split their slots), then c, μ and the hint, then the
 * findings, which read the finished hints.
 */
import { type GaugeSeries, gaugeAt } from '../../metrics/series.js';
import type { Model } from '../../store/model.js';
import { selectBeat } from '../../store/select-beat.js';
import { type QueueRow, selectQueues } from '../../store/select-queues.js';
import { selectWorkers } from '../../store/select-workers.js';
import { queueHint } from '../maths/queue-hint.js';
import {
  defaultHintOptions,
  type Finding,
  type FindingKind,
  type HintOptions,
  type HintsReport,
  type QueueHint,
} from '../maths/types.js';
import { estimateArrival, minBacklogSamples } from './arrival.js';
import { attributeTasks } from './attribution.js';
import { etaSec, groupTasks, type HintContext } from './context.js';
import { beatFindings } from './findings-beat.js';
import { chordBodyFindings } from './findings-chords.js';
import { failureFindings } from './findings-failures.js';
import { noConsumerFindings, saturatedFindings } from './findings-queues.js';
import { etaFindings, redeliveryFindings } from './findings-unacked.js';
import { wireFindings } from './findings-wire.js';
import { lostWorkerFindings, prefetchFindings } from './findings-workers.js';
import { flowWindow, windowSec } from './flow-rate.js';
import { estimateService, queueRuntime, queueThroughput } from './service.js';
import { poolSize, queueSlots, upWorkersByQueue } from './slots.js';

const kindOrder: FindingKind[] = [
  'sep-mismatch',
  'fanout-prefix-mismatch',
  'beat-down',
  'no-consumer',
  'lost-worker',
  'saturated-growing',
  'redelivery',
  'eta-beyond-visibility',
  'prefetch-starvation',
  'failure-spike',
  'retry-spike',
  'beat-late',
  'beat-duplicate',
  'beat-failing',
  'results-other-db',
  'chord-stuck',
];

/** Whether the ready count was above 0 at every (non-failed) sample since `fromMs`, with enough samples. */
function stayedBacklogged(g: GaugeSeries, fromMs: number, toMs: number): boolean {
  let samples = 0;
  for (let i = 0; i < g.size; i += 1) {
    const s = gaugeAt(g, i)!;
    if (s.value === null || s.atMs < fromMs || s.atMs > toMs) continue;
    if (s.value <= 0) return false;
    samples += 1;
  }
  return samples >= minBacklogSamples;
}

/** Ready, reserved and scheduled (ETA ahead) messages of a queue: B = ready + reserved. */
function backlogOf(
  row: QueueRow,
  now: number,
  unackedByQueue: Map<string | null, Model['unacked']['entries']>,
): QueueHint['backlog'] {
  let reserved = 0;
  let scheduled = 0;
  for (const entry of unackedByQueue.get(row.name) ?? []) {
    const eta = etaSec(entry.message?.eta ?? null);
    if (eta !== null && eta > now / 1000) scheduled += 1;
    else reserved += 1;
  }
  const ready = row.total;
  const ageSec = row.sampledAt === null ? null : Math.max(0, now - row.sampledAt) / 1000;
  return { ready, reserved, scheduled, total: ready + reserved, ageSec };
}

/** Hints per queue (by name) and findings (critical first). Options default per `defaultHintOptions`. */
export function selectHints(model: Model, now: number, options: Partial<HintOptions> = {}): HintsReport {
  const opts: HintOptions = { ...defaultHintOptions, ...options };
  const window = flowWindow(model, now, opts.windowSec);
  const attribution = attributeTasks(model);
  const queues = selectQueues(model, now);
  // The rules read each pool's size now, not the start-up max-concurrency (slots.ts poolSize).
  const workers = selectWorkers(model, now).map((w) => ({
    ...w,
    poolMax: poolSize(model.workers.get(w.hostname)!),
  }));
  const busy = new Map(workers.map((w) => [w.hostname, w.busy]));

  // `unacked` entries by queue, once: per queue, a scan of every entry was queues x entries.
  const unackedByQueue = new Map<string | null, Model['unacked']['entries']>();
  for (const entry of model.unacked.entries) {
    const list = unackedByQueue.get(entry.queue);
    if (list) list.push(entry);
    else unackedByQueue.set(entry.queue, [entry]);
  }
  const first = queues.map((row) => {
    const record = model.queues.get(row.name)!;
    const completions = queueThroughput(model, attribution, row.name, window).perSec;
    const arrival = estimateArrival(record, now, window, opts.windowSec, completions);
    const runtime = queueRuntime(model, attribution, row.name);
    return { row, record, arrival, runtime, backlog: backlogOf(row, now, unackedByQueue) };
  });
  // Queues with work, and their mean runtimes: how shared workers split their slots.
  const work = new Map(
    first
      .filter((q) => q.backlog.total > 0 || (q.arrival.perSec ?? 0) > 0)
      .map((q) => [q.row.name, q.runtime.meanRuntimeSec]),
  );

  const hints = new Map<string, QueueHint>();
  const up = upWorkersByQueue(model, now);
  for (const { row, record, arrival, runtime, backlog } of first) {
    const slots = queueSlots(model, now, row.name, work, up);
    const from = window?.fromMs ?? now - opts.windowSec * 1000;
    const saturated = stayedBacklogged(record.backlog, from, now);
    const service = estimateService(model, attribution, row.name, window, slots.current, saturated, runtime);
    const hint = queueHint({
      queue: row.name,
      oldestAgeSec: row.oldestAgeSec,
      oldestAgeIsLowerBound: row.oldestAgeIsLowerBound,
      backlog,
      arrival,
      service,
      slots,
      windowSec: window ? windowSec(window) : arrival.windowSec,
      eventsKnown: window !== null,
      consumersIdle: slots.workers.length > 0 && slots.workers.every((w) => busy.get(w.hostname) === 0),
      options: opts,
    });
    hints.set(row.name, hint);
  }

  const ctx: HintContext = {
    model,
    now,
    options: opts,
    queues,
    workers,
    hints,
    attribution,
    tasksByWorker: groupTasks(model, (r) => r.worker),
    tasksByName: groupTasks(model, (r) => r.name),
  };
  const findings: Finding[] = [
    ...noConsumerFindings(ctx),
    ...lostWorkerFindings(ctx),
    ...saturatedFindings(ctx),
    ...redeliveryFindings(ctx),
    ...etaFindings(ctx),
    ...prefetchFindings(ctx),
    ...failureFindings(ctx),
    ...beatFindings(model, selectBeat(model, now)),
    ...wireFindings(model.wireChecks),
    ...chordBodyFindings(ctx),
  ].sort(
    (a, b) =>
      (a.severity === b.severity ? 0 : a.severity === 'critical' ? -1 : 1) ||
      kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) ||
      subject(a).localeCompare(subject(b)),
  );
  return { options: opts, queues: [...hints.values()], findings };
}

function subject(f: Finding): string {
  return `${f.queue ?? ''}\u0000${f.worker ?? ''}\u0000${f.taskName ?? ''}`;
}
