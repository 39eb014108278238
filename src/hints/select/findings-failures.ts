/**
 * A task name whose failure or retry rate jumped: the share of bad outcomes in the last
 * minute against the up to nine minutes before it (while qtop listened). A share, not a rate,
 * so more traffic alone is no jump. Failures come from the per-name rate series (they outlive
 * evicted tasks); retries from the timelines of held tasks (`task-retried` events), since the
 * model keeps no retry series.
 */
import type { Model, TaskRecord } from '../../store/model.js';
import { formatDuration } from '../maths/forecast.js';
import type { Finding } from '../maths/types.js';
import { finding, type HintContext } from './context.js';
import { type FlowWindow, flowRate } from './flow-rate.js';

/** The recent window; the baseline is the rest of `baselineMs` before it. */
export const recentMs = 60_000;
export const baselineMs = 10 * 60_000;
/** A jump needs this many bad outcomes recently and this many outcomes before. */
export const minRecentBad = 3;
export const minBaselineTotal = 10;

interface Counts {
  bad: number;
  total: number;
}

/**
 * Recent and baseline windows, split on a rate-bucket boundary so no bucket counts in both;
 * null while the events source is unknown or qtop has not listened past the split.
 */
function windows(model: Model, now: number): { recent: FlowWindow; before: FlowWindow } | null {
  const events = model.sources.events;
  const open = events.gaps.at(-1);
  if (events.lastOkAt === null || (open && open.to === null)) return null;
  const bucket = model.config.rateBucketMs;
  const split = Math.floor((now - recentMs) / bucket) * bucket;
  const listenFromMs = model.startedAt;
  const from = Math.max(now - baselineMs, listenFromMs);
  if (split <= from) return null;
  return {
    recent: { fromMs: split, toMs: now, listenFromMs },
    before: { fromMs: from, toMs: split, listenFromMs },
  };
}

/** Whether the bad share jumped: at least doubled and up by 10 points, with enough evidence. */
export function jumped(recent: Counts, before: Counts): boolean {
  if (recent.bad < minRecentBad || recent.total === 0 || before.total < minBaselineTotal) return false;
  const now = recent.bad / recent.total;
  const then = before.bad / before.total;
  return now >= 2 * then && now - then >= 0.1;
}

const pct = (c: Counts) => `${Math.round((c.bad / Math.max(1, c.total)) * 100)}%`;

function describe(recent: Counts, before: Counts, baseline: FlowWindow, what: string): string[] {
  const span = formatDuration((baseline.toMs - baseline.fromMs) / 1000);
  return [
    `${recent.bad} ${what} of ${recent.total} outcomes in the last minute (${pct(recent)})`,
    `${before.bad} of ${before.total} in the ${span} before (${pct(before)})`,
  ];
}

/**
 * Retried vs all outcomes (succeeded, failed, retried) from held timelines, in the recent
 * window [recentFromMs, ∞) and the one before it [beforeFromMs, beforeToMs), in one pass over
 * the timelines; the recent window passes no end, so an event stamped a little ahead of qtop's
 * clock counts.
 */
function retryCounts(
  records: TaskRecord[],
  recentFromMs: number,
  beforeFromMs: number,
  beforeToMs: number,
): { recent: Counts; before: Counts } {
  const recent = { bad: 0, total: 0 };
  const before = { bad: 0, total: 0 };
  for (const record of records) {
    for (const entry of record.timeline) {
      const retried = entry.type === 'task-retried';
      if (!retried && entry.type !== 'task-succeeded' && entry.type !== 'task-failed') continue;
      const ms = entry.timestamp * 1000;
      const counts = ms >= recentFromMs ? recent : ms >= beforeFromMs && ms < beforeToMs ? before : null;
      if (counts === null) continue;
      if (retried) counts.bad += 1;
      counts.total += 1;
    }
  }
  return { recent, before };
}

/** The newest exception text of a name's held failures: what the jump looks like. */
function latestException(records: TaskRecord[]): string | null {
  let latest: { at: number; text: string } | null = null;
  for (const record of records) {
    if (record.exception === null) continue;
    const at = record.finishedAt ?? record.stateAt ?? 0;
    if (!latest || at > latest.at) latest = { at, text: record.exception.slice(0, 200) };
  }
  return latest?.text ?? null;
}

/** Failure and retry jumps per task name; see the module comment for the windows. */
export function failureFindings(ctx: HintContext): Finding[] {
  const w = windows(ctx.model, ctx.now);
  if (w === null) return [];
  const out: Finding[] = [];
  for (const stats of ctx.model.taskNames.values()) {
    const count = (fw: FlowWindow): Counts => ({
      bad: flowRate(stats.failedRate, fw).count,
      total: flowRate(stats.finishedRate, fw).count,
    });
    const failed = { recent: count(w.recent), before: count(w.before) };
    const held = ctx.tasksByName.get(stats.name) ?? [];
    const exception = latestException(held);
    if (jumped(failed.recent, failed.before)) {
      out.push(
        finding({
          kind: 'failure-spike',
          severity: 'warning',
          taskName: stats.name,
          summary: `${stats.name} fails far more often than before (${pct(failed.before)} → ${pct(failed.recent)})`,
          evidence: [
            ...describe(failed.recent, failed.before, w.before, 'failed'),
            ...(exception ? [`latest: ${exception}`] : []),
          ],
          fix:
            'read the traceback (qtop --json | jq .failures); a sudden jump usually follows a deploy or a ' +
            `dependency going down: roll back or fix it, then retry the failures (qtop retry --failed ${stats.name})`,
        }),
      );
    }
    const retried = retryCounts(held, w.recent.fromMs, w.before.fromMs, w.before.toMs);
    if (jumped(retried.recent, retried.before)) {
      out.push(
        finding({
          kind: 'retry-spike',
          severity: 'warning',
          taskName: stats.name,
          summary: `${stats.name} retries far more often than before (${pct(retried.before)} → ${pct(retried.recent)})`,
          evidence: [
            ...describe(retried.recent, retried.before, w.before, 'retried'),
            ...(exception ? [`latest: ${exception}`] : []),
          ],
          fix:
            'find what it retries on (a dependency down, a rate limit upstream); each retry waits in unacked ' +
            `until its countdown, so slow it down (qtop rate-limit ${stats.name} RATE) or fix the cause`,
        }),
      );
    }
  }
  return out;
}
