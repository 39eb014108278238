/**
 * Redis ack-emulation rules (wire doc 3.3, 3.4): a message held in `unacked` longer than
 * visibility_timeout is pushed back to its queue by the next restore sweep and runs again.
 * Two ways to get there: a message already held too long, and an ETA/countdown further
 * ahead than the timeout (it is held until its ETA, so it is certain to be redelivered).
 */

import { formatDuration, formatSetting, plural } from '../maths/forecast.js';
import type { Finding } from '../maths/types.js';
import { etaSec, finding, type HintContext, listOf } from './context.js';

interface Group {
  count: number;
  ids: string[];
  names: Set<string>;
  /** Longest held age (redelivery) or furthest ETA beyond delivery (ETA rule), s. */
  worst: number;
}

function add(
  groups: Map<string, Group>,
  queue: string,
  id: string | null,
  name: string | null,
  value: number,
) {
  let group = groups.get(queue);
  if (!group) {
    group = { count: 0, ids: [], names: new Set(), worst: 0 };
    groups.set(queue, group);
  }
  group.count += 1;
  if (id !== null) group.ids.push(id);
  if (name !== null) group.names.add(name);
  group.worst = Math.max(group.worst, value);
}

/** One `broker_transport_options` value to suggest: comfortably above what was seen. */
function suggestTimeout(worstSec: number): number {
  return Math.ceil((worstSec * 1.5) / 60) * 60;
}

/** Entries of `unacked` delivered longer than visibility_timeout ago, per queue. */
export function redeliveryFindings(ctx: HintContext): Finding[] {
  const vt = ctx.options.visibilityTimeoutSec;
  const nowSec = ctx.now / 1000;
  const groups = new Map<string, Group>();
  for (const entry of ctx.model.unacked.entries) {
    if (entry.deliveredAt === null || nowSec - entry.deliveredAt <= vt) continue;
    const m = entry.message;
    add(groups, entry.queue ?? '(unknown queue)', m?.id ?? null, m?.name ?? null, nowSec - entry.deliveredAt);
  }
  const capped = ctx.model.unacked.total > ctx.model.unacked.entries.length;
  return [...groups.entries()].map(([queue, g]) =>
    finding({
      kind: 'redelivery',
      severity: 'warning',
      queue,
      summary: `${plural(g.count, 'message')} of ${queue} held past visibility_timeout will run again`,
      evidence: [
        `${plural(g.count, 'unacked message')} delivered over ${formatSetting(vt)} ago, oldest ${formatDuration(g.worst)}` +
          (capped ? ' (unacked sample capped: maybe more)' : ''),
        ...(g.names.size > 0 ? [`tasks: ${listOf([...g.names].sort())}`] : []),
        'the next restore sweep (a worker start, or a running worker every ~100 s) pushes them back to the queue',
      ],
      fix:
        'if they are held this long on purpose (ETA, long prefetch wait, acks_late with long tasks), raise ' +
        `visibility_timeout above it (broker_transport_options={'visibility_timeout': ${suggestTimeout(g.worst)}}); ` +
        'otherwise make the tasks idempotent, since they will run twice',
      taskIds: g.ids,
    }),
  );
}

/**
 * ETA/countdown tasks whose ETA lies more than visibility_timeout after their delivery
 * (`unacked`), or after now for those still in a ready list (peek): on Redis they are
 * delivered again while they wait, so they run more than once.
 */
export function etaFindings(ctx: HintContext): Finding[] {
  const vt = ctx.options.visibilityTimeoutSec;
  const nowSec = ctx.now / 1000;
  const groups = new Map<string, Group>();
  for (const entry of ctx.model.unacked.entries) {
    const m = entry.message;
    const eta = etaSec(m?.eta ?? null);
    if (m === null || eta === null) continue;
    const ahead = eta - (entry.deliveredAt ?? nowSec);
    if (ahead > vt) add(groups, entry.queue ?? '(unknown queue)', m.id, m.name, ahead);
  }
  for (const queue of ctx.model.queues.values()) {
    for (const m of queue.peek) {
      const eta = etaSec(m.eta);
      if (eta !== null && eta - nowSec > vt) add(groups, queue.name, m.id, m.name, eta - nowSec);
    }
  }
  return [...groups.entries()].map(([queue, g]) =>
    finding({
      kind: 'eta-beyond-visibility',
      severity: 'warning',
      queue,
      summary: `${plural(g.count, 'task')} of ${queue} with an ETA beyond visibility_timeout will run twice`,
      evidence: [
        `ETA up to ${formatDuration(g.worst)} after delivery; visibility_timeout is ${formatSetting(vt)}`,
        ...(g.names.size > 0 ? [`tasks: ${listOf([...g.names].sort())}`] : []),
        'a worker holds an ETA message unacked until its time; past visibility_timeout Redis redelivers it',
      ],
      fix:
        `raise visibility_timeout above your longest countdown (broker_transport_options={'visibility_timeout': ${suggestTimeout(g.worst)}}), ` +
        'or schedule far-future work outside the broker (celery beat, a database)',
      taskIds: g.ids,
    }),
  );
}
