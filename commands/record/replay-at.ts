/**
 * `--at TIME` of a replay: a moment of the recording as people name it during an incident
 * review: `start`, `end`, an offset from the start (`+90s`, `+5m`), an offset back from the end
 * (`-30s`), or an absolute ISO 8601 time (`2026-11-24T12:03:00Z`; without a zone it is local
 * time, as `Date` reads it). Pure; a moment outside the recording is refused with its range.
 */
import { parseDuration } from '../shared/duration.js';

export type AtResult = { ok: true; at: number } | { ok: false; reason: string };

const iso = (ms: number) => new Date(ms).toISOString();

/** Seconds of an offset's duration; `0` (and `0s`, `0m`…) is allowed here, unlike other durations. */
function offsetMs(text: string): number | null {
  if (/^\s*0*(\.0*)?\s*(ms|s|m|h|d)?\s*$/i.test(text) && /\d/.test(text)) return 0;
  const parsed = parseDuration(text);
  return parsed.ok ? parsed.sec * 1000 : null;
}

/** The time (epoch ms) that `value` names in a recording spanning `range`. */
export function parseAt(value: string, range: { startAt: number; endAt: number }): AtResult {
  const text = value.trim();
  const span = `the recording runs from ${iso(range.startAt)} to ${iso(range.endAt)} (+${Math.round((range.endAt - range.startAt) / 1000)}s)`;
  let at: number;
  if (text === 'start') at = range.startAt;
  else if (text === 'end') at = range.endAt;
  else if (text.startsWith('+') || text.startsWith('-')) {
    const ms = offsetMs(text.slice(1));
    if (ms === null)
      return { ok: false, reason: `expected +DURATION or -DURATION like +90s or -5m, got '${value}'` };
    at = text.startsWith('+') ? range.startAt + ms : range.endAt - ms;
  } else if (/^\d{4}-\d{2}-\d{2}/.test(text) && Number.isFinite(Date.parse(text))) at = Date.parse(text);
  else
    return {
      ok: false,
      reason: `expected start, end, +90s (from the start), -30s (before the end) or an ISO time, got '${value}'`,
    };
  if (at < range.startAt || at > range.endAt)
    return { ok: false, reason: `'${value}' is outside the recording: ${span}` };
  return { ok: true, at };
}
