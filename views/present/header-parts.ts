/**
 * The header's words, pure: connection health from source health, whether task events are on
 * (and how to turn them on), the age of the last sample, and the cluster totals.
 */

import { sanitize } from '../../src/output/sanitize.js';
import type { EventsStatus, SourceRow, Totals } from '../../src/store/select-meta.js';
import { formatAge, formatCount } from './format.js';
import type { Segment } from './segment.js';
import type { Tone } from './theme.js';

/** Connection health: connecting, connected, or the failing source with its error and outage age. */
export function healthSegment(sources: SourceRow[], ascii: boolean): Segment {
  const failing = sources.find((s) => !s.ok && s.lastError !== null);
  if (failing) {
    const since = failing.openGapSec === null ? '' : ` for ${formatAge(failing.openGapSec)}`;
    return {
      text: `${ascii ? 'x' : '✗'} ${failing.source} failing${since}, retrying`,
      tone: 'bad',
      bold: true,
    };
  }
  if (sources.every((s) => s.lastOkAt === null))
    return { text: `${ascii ? '.' : '…'} connecting`, tone: 'warn' };
  return { text: `${ascii ? '+' : '●'} connected`, tone: 'ok' };
}

/** Events on / OFF / unknown, as a word (never colour alone). */
export function eventsSegment(events: EventsStatus): Segment {
  if (events.taskEvents === true) return { text: 'events on', tone: 'ok' };
  if (events.taskEvents === false) return { text: 'events OFF', tone: 'bad', bold: true };
  return { text: 'events unknown', tone: 'dim' };
}

/**
 * The alert line under the header, or null when all is well: a failing source with its error,
 * or task events off with how to turn them on (the `E` key when qtop may write).
 */
export function alertText(
  sources: SourceRow[],
  events: EventsStatus,
  canWrite: boolean,
): { text: string; tone: Tone } | null {
  const failing = sources.find((s) => !s.ok && s.lastError !== null);
  if (failing) return { text: `${failing.source}: ${sanitize(failing.lastError ?? '')}`, tone: 'bad' };
  if (events.taskEvents === false) {
    const how = canWrite ? 'press E, or run' : 'run';
    return {
      text: `Task events are off on some workers (${events.tasksMissedByEvents} tasks ran unseen): ${how} celery -A APP control enable_events`,
      tone: 'warn',
    };
  }
  const loss = gapLossText(sources);
  if (loss !== null) return { text: loss, tone: 'warn' };
  return null;
}

/** How long after an events gap closed the alert line still sizes its loss. */
export const gapLossShownSec = 60;

/**
 * The latest events gap's loss, for a minute after it closed: how many events the workers sent
 * that qtop never saw (src/store/gap-loss.ts), or why that cannot be known; null otherwise.
 */
export function gapLossText(sources: SourceRow[]): string | null {
  const events = sources.find((s) => s.source === 'events');
  const gap = events?.gaps.at(-1);
  if (!events || !gap || gap.to === null || gap.eventsLost === undefined) return null;
  if (events.lastOkAt === null || events.lastOkAgeSec === null) return null;
  const now = events.lastOkAt + events.lastOkAgeSec * 1000;
  if (now - gap.to > gapLossShownSec * 1000) return null;
  if (gap.eventsLost === 0) return null;
  const took = `${(Math.max(0, gap.to - gap.from) / 1000).toFixed(1)} s`;
  if (gap.eventsLost === null)
    return `events: a ${took} gap lost events; how many is not known (${sanitize(gap.eventsLostReason ?? '')})`;
  return `events: a ${took} gap lost ${formatCount(gap.eventsLost)} events (from worker heartbeats)`;
}

/** The sample age: how fresh the queue numbers are. */
export function sampleSegment(sources: SourceRow[]): Segment {
  const queues = sources.find((s) => s.source === 'queues');
  if (!queues || queues.lastOkAgeSec === null) return { text: 'no sample yet', tone: 'dim' };
  const age = queues.lastOkAgeSec < 1 ? '<1s' : formatAge(queues.lastOkAgeSec);
  return { text: `sampled ${age} ago`, tone: queues.lastOkAgeSec > 10 ? 'warn' : 'dim' };
}

/** Totals: workers up/lost, ready, reserved, active, failed in the last minute. */
export function totalsSegments(t: Totals): Segment[] {
  const sep: Segment = { text: '  ', tone: 'dim' };
  return [
    { text: `workers ${t.workersUp} up`, tone: t.workersUp > 0 ? 'ok' : 'bad' },
    {
      text: t.workersLost > 0 ? ` ${t.workersLost} lost` : ' 0 lost',
      tone: t.workersLost > 0 ? 'bad' : 'dim',
    },
    sep,
    { text: `ready ${formatCount(t.ready)}`, tone: t.ready > 0 ? 'warn' : 'plain' },
    sep,
    { text: `reserved ${formatCount(t.reserved)}` },
    sep,
    { text: `active ${formatCount(t.active)}`, tone: 'active' },
    sep,
    {
      text: `failed/1m ${t.failedLastMinute === null ? '-' : formatCount(t.failedLastMinute)}`,
      tone: (t.failedLastMinute ?? 0) > 0 ? 'bad' : 'plain',
    },
  ];
}
