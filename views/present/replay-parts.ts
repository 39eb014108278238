/**
 * The header's replay words, pure: REPLAY (so a recording is never taken for the live cluster),
 * the recorded time and how far into the recording it is, and the playback state as a symbol and
 * a word: playing at a speed, paused, or at the end.
 */
import type { PlaybackStatus } from '../../src/record/playback.js';
import { formatAge, formatClock } from './format.js';
import type { Segment } from './segment.js';

/** A speed as a factor: `1x`, `10x`, `0.5x`, `1/16x`. */
export function formatSpeed(speed: number): string {
  if (speed >= 1 || speed === 0.5) return `${Number(speed.toFixed(2))}x`;
  const inverse = 1 / speed;
  return Number.isInteger(inverse) ? `1/${inverse}x` : `${speed.toFixed(2)}x`;
}

/** The replay segments for `status`, the time being `now` (the frame's, so it matches the ages shown). */
export function replaySegments(status: PlaybackStatus, now: number, ascii: boolean): Segment[] {
  const offset = formatAge(Math.max(0, (now - status.startAt) / 1000));
  const length = formatAge((status.endAt - status.startAt) / 1000);
  // formatClock gives HH:MM:SS.mmm (local time, as the task timeline); seconds are enough here.
  const time = formatClock(now / 1000).slice(0, 8);
  const state: Segment = status.ended
    ? { text: `${ascii ? '[]' : '■'} end`, tone: 'warn', bold: true }
    : status.paused
      ? { text: `${ascii ? '||' : '⏸'} paused`, tone: 'warn', bold: true }
      : { text: `${ascii ? '>' : '▶'} ${formatSpeed(status.speed)}`, tone: 'ok', bold: true };
  return [
    { text: ' REPLAY ', tone: 'accent', bold: true, inverse: true },
    { text: ` ${time} +${offset}/${length} ` },
    state,
  ];
}
