/**
 * Queue health rules: a backlog nobody consumes, and a worker whose pool is full while a
 * queue it serves keeps growing.
 */

import { formatDuration, formatRate, plural } from '../maths/forecast.js';
import type { Finding } from '../maths/types.js';
import { minBacklogSamples } from './arrival.js';
import { finding, type HintContext, listOf } from './context.js';

/**
 * A queue with messages and no up consumer: they wait until someone starts one. Only claimed
 * when every up worker has reported its queues; otherwise an unknown one might consume it.
 */
export function noConsumerFindings(ctx: HintContext): Finding[] {
  const out: Finding[] = [];
  const up = ctx.workers.filter((w) => w.state === 'online' || w.state === 'pidbox-only');
  if (up.some((w) => w.queues === null)) return out;
  const consumed = new Set(up.flatMap((w) => w.queues!));
  for (const row of ctx.queues) {
    if (row.total <= 0 || consumed.has(row.name)) continue;
    const evidence = [
      `${row.total} ready` +
        (row.oldestAgeSec === null
          ? ''
          : `, oldest waiting ${row.oldestAgeIsLowerBound ? 'at least ' : ''}${formatDuration(row.oldestAgeSec)}`),
      up.length === 0 ? 'no worker is up' : `up workers consume only ${listOf([...consumed].sort())}`,
    ];
    const gone = ctx.workers.filter((w) => !up.includes(w) && w.queues?.includes(row.name));
    for (const w of gone) evidence.push(`${w.hostname} consumed it and is ${w.state}`);
    out.push(
      finding({
        kind: 'no-consumer',
        severity: 'critical',
        queue: row.name,
        summary: `${row.name}: ${plural(row.total, 'message')} waiting and no worker consumes the queue`,
        evidence,
        fix:
          `start a worker for it (celery -A proj worker -Q ${row.name}) or add it to a running one ` +
          `(qtop consumer add ${row.name}, i.e. celery control add_consumer ${row.name})`,
        taskIds: row.peek.flatMap((m) => (m.id === null ? [] : [m.id])),
      }),
    );
  }
  return out;
}

/** How fast a queue grows, from its hint: λ − c·μ, or the backlog slope with enough samples. */
function growth(ctx: HintContext, queue: string): { perSec: number; how: string } | null {
  const hint = ctx.hints.get(queue);
  if (!hint || hint.backlog.ready <= 0) return null;
  if (hint.growthPerSec !== null && hint.growthPerSec > 0) {
    return { perSec: hint.growthPerSec, how: 'arrivals exceed what its slots finish' };
  }
  const slope = hint.arrival.backlogSlopePerSec;
  if (slope !== null && slope > 0 && hint.arrival.samples >= minBacklogSamples) {
    return { perSec: slope, how: `backlog slope over ${plural(hint.arrival.samples, 'sample')}` };
  }
  return null;
}

/** A worker running at full pool while a queue it consumes grows: more slots would help. */
export function saturatedFindings(ctx: HintContext): Finding[] {
  const out: Finding[] = [];
  for (const w of ctx.workers) {
    if (w.state !== 'online' || w.poolMax === null || w.poolMax <= 0 || w.busy === null) continue;
    if (w.busy < w.poolMax || w.queues === null) continue;
    for (const queue of w.queues) {
      const grows = growth(ctx, queue);
      if (!grows) continue;
      const add = ctx.hints.get(queue)?.addSlots ?? null;
      // A backlog slope of a message or two on a queue whose hint finds its slots enough is
      // noise (seen on the demo: 0.008/s on a shared queue of 4 ms tasks), not a reason to grow.
      if (add === 0) continue;
      const n = add !== null && add > 0 ? add : 1;
      out.push(
        finding({
          kind: 'saturated-growing',
          severity: 'warning',
          queue,
          worker: w.hostname,
          summary: `${w.hostname} runs all ${w.poolMax} slots while ${queue} grows by ${formatRate(grows.perSec)}`,
          evidence: [
            `busy ${w.busy}/${w.poolMax} slots`,
            `${queue} grows by ${formatRate(grows.perSec)} (${grows.how})`,
            ...(add === null ? [] : [`the ${queue} hint asks for ${plural(add, 'more slot')}`]),
          ],
          fix:
            `grow the pool: qtop pool ${w.hostname} grow ${n} (celery control pool_grow ${n} -d ${w.hostname}), ` +
            `or restart it with --concurrency ${w.poolMax + n}, or run more replicas consuming ${queue}`,
        }),
      );
    }
  }
  return out;
}
