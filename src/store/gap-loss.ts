/**
 * Loss, sized: how many events each pub/sub gap lost. Redis keeps no events (wire doc 6.1), so
 * the count comes from what workers say about themselves. A heartbeat carries `processed` (tasks
 * the worker accepted, each one a `task-started`) and `active`; between two heartbeats a worker
 * with events on sent one `task-received` and one `task-started` per accepted task, one
 * `task-succeeded`/`task-failed`/… per task that left `active`, and its heartbeats in between:
 *
 *     sent = 2·Δprocessed + (Δprocessed − Δactive) + heartbeats between
 *
 * A gap's loss, per worker, is `sent − seen` between the last heartbeat before the gap and the
 * first one after it; the Lamport clock is not used (it also moves on gossip, mingle and pidbox
 * traffic, so it over-counts). The count is null, with the reason, while a worker known before
 * the gap has not beaten since, when none had beaten before it, or when one restarted in it.
 * Reducer domain: deterministic, in place, time from the action.
 */
import type { WorkerEvent } from '../celery/types.js';
import type { Action } from './actions.js';
import type { GapLoss, GapTally, LossBeat, Model } from './model.js';

export type { GapLoss, GapTally, LossBeat };

/** What a gap's `eventsLost` says: the count, or null and why. */
export interface GapLossReading {
  eventsLost: number | null;
  eventsLostReason: string | null;
}

/** Events one worker sent between two of its heartbeats and qtop did not see. */
export function lostBetween(before: LossBeat, after: LossBeat): number | null {
  const processed = after.processed - before.processed;
  if (processed < 0 || (before.pid !== null && after.pid !== null && before.pid !== after.pid)) return null;
  const finished = processed - (after.active - before.active);
  // Celery's heartbeat timer fires `freq` apart or later, never sooner (a busy or loaded worker
  // drifts late), so whole intervals are counted down: rounding took a late beat for one more.
  const beats =
    before.freq > 0
      ? Math.max(0, Math.floor((after.timestamp - before.timestamp) / before.freq + 0.05) - 1)
      : 0;
  const sent = 2 * processed + Math.max(0, finished) + beats;
  // `after.seen` counts the closing heartbeat itself, which is not between the two.
  const seen = after.seen - 1 - before.seen;
  return Math.max(0, sent - seen);
}

/** The reading of the events gap that began at `from`; null when qtop has no tally for it. */
export function gapLossReading(model: Model, from: number): GapLossReading | null {
  const tally = model.gapLoss.tallies.find((t) => t.from === from);
  if (tally === undefined) return null;
  if (tally.unknown !== null) return { eventsLost: null, eventsLostReason: tally.unknown };
  if (tally.waiting.size > 0) {
    const names = [...tally.waiting.keys()].sort();
    const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '');
    return { eventsLost: null, eventsLostReason: `waiting for a heartbeat from ${shown}` };
  }
  return { eventsLost: tally.lost, eventsLostReason: null };
}

/** Reducer domain: count events per worker, open tallies with gaps, settle them on heartbeats. */
export function reduceGapLoss(model: Model, action: Action): boolean {
  const loss = model.gapLoss;
  if (action.type === 'source/failed' && action.source === 'events') {
    const gap = model.sources.events.gaps.at(-1);
    if (gap === undefined || gap.to !== null || loss.tallies.some((t) => t.from === gap.from)) return false;
    loss.tallies.push({
      from: gap.from,
      waiting: new Map(loss.beats),
      lost: 0,
      unknown: loss.beats.size === 0 ? 'no worker heartbeat was seen before the gap' : null,
    });
    const kept = new Set(model.sources.events.gaps.map((g) => g.from));
    loss.tallies = loss.tallies.filter((t) => kept.has(t.from));
    return true;
  }
  if (action.type !== 'events/received') return false;
  let changed = false;
  for (const event of action.events) {
    if (event.kind === 'task') {
      if (event.type !== 'task-sent') loss.seen.set(event.hostname, (loss.seen.get(event.hostname) ?? 0) + 1);
    } else if (
      event.kind === 'worker' &&
      event.type === 'worker-heartbeat' &&
      event.processed !== null &&
      event.active !== null
    ) {
      changed = beat(model, event, action.at) || changed;
    }
  }
  return changed;
}

function beat(model: Model, event: WorkerEvent, at: number): boolean {
  const loss = model.gapLoss;
  const seen = (loss.seen.get(event.hostname) ?? 0) + 1;
  loss.seen.set(event.hostname, seen);
  const now: LossBeat = {
    processed: event.processed ?? 0,
    active: event.active ?? 0,
    seen,
    timestamp: event.timestamp,
    freq: event.freq ?? loss.beats.get(event.hostname)?.freq ?? 2,
    pid: event.pid,
  };
  loss.beats.set(event.hostname, now);
  let settled = false;
  const gaps = model.sources.events.gaps;
  for (const tally of loss.tallies) {
    const before = tally.waiting.get(event.hostname);
    const gap = gaps.find((g) => g.from === tally.from);
    // Only a heartbeat received after the gap closed brackets all of it.
    if (before === undefined || gap === undefined || gap.to === null || at <= gap.to) continue;
    tally.waiting.delete(event.hostname);
    const lost = lostBetween(before, now);
    if (lost === null) tally.unknown ??= `${event.hostname} restarted during the gap`;
    else tally.lost += lost;
    settled = true;
  }
  return settled;
}
