/**
 * A chord whose header finished but whose body never started. Celery sends the body when the
 * last header member returns (the Redis backend counts them), so a body still waiting long after
 * that is stuck: most often routed to a queue no worker consumes, or behind a backlog. A header
 * member that failed is not this case: Celery then marks the body FAILURE (ChordError), which is
 * a failure like any other.
 */
import { selectChords } from '../../store/select-chords.js';
import { formatDuration, plural } from '../maths/forecast.js';
import type { Finding } from '../maths/types.js';
import { finding, type HintContext } from './context.js';

/** How long a body may wait after its header finished when its queue has a consumer (a backlog is normal). */
export const chordBodyWaitSec = 120;
/** …and when no up worker consumes its queue: it cannot start, only the evidence needs to settle. */
export const chordBodyOrphanWaitSec = 10;

const notStarted = new Set(['PENDING', 'RECEIVED']);

export function chordBodyFindings(ctx: HintContext): Finding[] {
  const out: Finding[] = [];
  const nowSec = ctx.now / 1000;
  const up = ctx.workers.filter((w) => w.state === 'online' || w.state === 'pidbox-only');
  for (const chord of selectChords(ctx.model)) {
    const body = chord.body;
    if (body !== null && !notStarted.has(body.state)) continue;
    if (chord.header.length === 0 || !chord.header.every((m) => m.state === 'SUCCESS')) continue;
    const ends = chord.header.flatMap((m) => (m.finishedAt === null ? [] : [m.finishedAt]));
    if (ends.length === 0) continue;
    const waited = nowSec - Math.max(...ends);
    const queue = body?.queue ?? null;
    const known = queue !== null && up.every((w) => w.queues !== null);
    const orphan = known && !up.some((w) => w.queues!.includes(queue));
    if (waited < (orphan ? chordBodyOrphanWaitSec : chordBodyWaitSec)) continue;
    const name = body?.name ?? 'the body';
    const where =
      body === null
        ? `body ${chord.bodyId} is not seen: no message, event or result names it beyond the header`
        : `body ${chord.bodyId} is ${body.state}${queue ? ` in queue ${queue}` : ''}` +
          (orphan ? ', which no up worker consumes' : '');
    out.push(
      finding({
        kind: 'chord-stuck',
        severity: 'warning',
        queue,
        taskName: body?.name ?? null,
        summary: `chord ${name} has not started ${formatDuration(waited)} after its header finished`,
        evidence: [
          `header group ${chord.groupId}: ${plural(chord.header.length, 'task')} all SUCCESS, the last ${formatDuration(waited)} ago`,
          where,
        ],
        fix: orphan
          ? `start a worker for ${queue} (celery -A proj worker -Q ${queue}) or route the body to a consumed queue; qtop task ${chord.bodyId} shows the workflow`
          : `check the body's queue backlog and its workers; qtop task ${chord.bodyId} shows the workflow`,
        taskIds: [chord.bodyId, ...chord.header.map((m) => m.id)],
      }),
    );
  }
  return out;
}
