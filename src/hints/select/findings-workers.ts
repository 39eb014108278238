/**
 * Worker health rules: lost workers (and the tasks they held), and prefetching that leaves
 * tasks waiting on a busy worker while another has idle slots.
 */

import { formatDuration, formatSetting, plural } from '../maths/forecast.js';
import type { Finding } from '../maths/types.js';
import { taskQueue } from './attribution.js';
import { etaSec, finding, type HintContext, listOf } from './context.js';

/** A task this long keeps a reserved one waiting long enough to matter. */
export const longTaskSec = 1;
/** Or, whatever the runtime, a reserved message held this long has waited too long. */
export const longReservedSec = 5;

/** Held tasks on `hostname` in `state`, without an ETA still ahead (those wait on purpose). */
function heldTasks(ctx: HintContext, hostname: string, state: string): string[] {
  const ids: string[] = [];
  for (const record of ctx.tasksByWorker.get(hostname) ?? []) {
    if (record.state !== state) continue;
    const eta = etaSec(record.eta);
    if (eta !== null && eta > ctx.now / 1000) continue;
    ids.push(record.id);
  }
  return ids;
}

/**
 * A worker that stopped heartbeating without `worker-offline` (SIGKILL, OOM, network). What
 * it held: reserved messages stay in `unacked` and come back after visibility_timeout; what
 * it was running was acked at start (acks_late off) and is gone (wire doc 3.3, 3.4).
 */
export function lostWorkerFindings(ctx: HintContext): Finding[] {
  const out: Finding[] = [];
  for (const w of ctx.workers) {
    if (w.state !== 'lost') continue;
    const record = ctx.model.workers.get(w.hostname);
    const reserved = [
      ...new Set([...(record?.reservedIds ?? []), ...heldTasks(ctx, w.hostname, 'RECEIVED')]),
    ];
    const running = [...new Set([...(record?.activeIds ?? []), ...heldTasks(ctx, w.hostname, 'STARTED')])];
    const held = reserved.length + running.length;
    const evidence = [
      w.heartbeatAgeSec === null
        ? `no heartbeat seen${w.inPidbox ? '; still listed in the pidbox binding set (stale after SIGKILL)' : ''}`
        : `last heartbeat ${formatDuration(w.heartbeatAgeSec)} ago (expected every ${w.freq ?? 2} s), no worker-offline`,
    ];
    if (w.silentRounds > 0) evidence.push(`silent in the last ${plural(w.silentRounds, 'inspect round')}`);
    if (reserved.length > 0) evidence.push(`${plural(reserved.length, 'task')} reserved on it`);
    if (running.length > 0) evidence.push(`${plural(running.length, 'task')} running on it when it went`);
    if (w.queues !== null) evidence.push(`consumed ${listOf(w.queues)}`);
    const vt = formatSetting(ctx.options.visibilityTimeoutSec);
    out.push(
      finding({
        kind: 'lost-worker',
        severity: held > 0 ? 'critical' : 'warning',
        worker: w.hostname,
        summary:
          held > 0 ? `${w.hostname} is lost with ${plural(held, 'task')} on it` : `${w.hostname} is lost`,
        evidence,
        fix:
          'check its host (OOM killer, SIGKILL, network) and restart it; its reserved messages stay in ' +
          `unacked and return to their queue after visibility_timeout (${vt}); running tasks were ` +
          'already acked (acks_late off) and will not rerun: retry them (qtop retry ID)',
        taskIds: [...running, ...reserved],
      }),
    );
  }
  return out;
}

/**
 * Reserved tasks of a queue wait on workers whose every slot is busy, while another consumer
 * of the queue has idle slots and the queue has nothing ready for them: prefetching handed
 * the work to the wrong worker. Only worth saying for long tasks (or a long wait already).
 */
export function prefetchFindings(ctx: HintContext): Finding[] {
  const out: Finding[] = [];
  for (const row of ctx.queues) {
    const hint = ctx.hints.get(row.name);
    if (!hint || row.total > 0) continue;
    const runtime = hint.service.meanRuntimeSec;
    const long =
      (runtime !== null && runtime >= longTaskSec) || (row.oldestReservedAgeSec ?? 0) >= longReservedSec;
    if (!long) continue;
    const consumers = ctx.workers.filter(
      (w) => w.state === 'online' && w.queues?.includes(row.name) && w.poolMax !== null && w.busy !== null,
    );
    const idle = consumers.filter((w) => w.busy! < w.poolMax!);
    if (idle.length === 0) continue;
    for (const w of consumers) {
      if (w.busy! < w.poolMax!) continue;
      const waiting = [
        ...new Set([
          ...(ctx.model.workers.get(w.hostname)?.reservedIds ?? []),
          ...heldTasks(ctx, w.hostname, 'RECEIVED'),
        ]),
      ].filter((id) => {
        const record = ctx.model.tasks.get(id);
        return record !== undefined && taskQueue(record, ctx.model) === row.name;
      });
      if (waiting.length === 0) continue;
      const idleSlots = idle.reduce((sum, i) => sum + i.poolMax! - i.busy!, 0);
      out.push(
        finding({
          kind: 'prefetch-starvation',
          severity: 'warning',
          queue: row.name,
          worker: w.hostname,
          summary: `${plural(waiting.length, 'task')} of ${row.name} wait on busy ${w.hostname} while ${plural(idleSlots, 'slot')} idle elsewhere`,
          evidence: [
            `${w.hostname} runs ${w.busy}/${w.poolMax} and holds ${waiting.length} reserved`,
            `${listOf(idle.map((i) => `${i.hostname} ${i.busy}/${i.poolMax}`))} busy`,
            `${row.name} has no ready messages for the idle slots to take`,
            runtime !== null
              ? `mean runtime ${formatDuration(runtime)}`
              : `oldest reserved ${formatDuration(row.oldestReservedAgeSec ?? 0)}`,
          ],
          fix:
            'reserve only what a slot can run: worker_prefetch_multiplier=1 (celery worker --prefetch-multiplier 1) ' +
            'with -O fair (the default since Celery 4), and task_acks_late=True for long tasks',
          taskIds: waiting,
        }),
      );
    }
  }
  return out;
}
