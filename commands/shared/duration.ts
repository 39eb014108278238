/**
 * Durations as people type them on a command line: `30s`, `5m`, `1h`, `1.5h`, `500ms`, `2d`,
 * or a bare number of seconds (the unit of qtop's other time flags). Pure, and it returns a
 * result instead of throwing so the caller names the flag in its one-line usage error.
 */

const unitSec: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400 };

export type DurationResult = { ok: true; sec: number } | { ok: false; reason: string };

/** Parse `value` into seconds (> 0). */
export function parseDuration(value: string): DurationResult {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h|d)?\s*$/i.exec(value);
  if (!match) return { ok: false, reason: `expected a duration like 30s, 5m or 1h, got '${value}'` };
  const sec = Number(match[1]) * unitSec[(match[2] ?? 's').toLowerCase()]!;
  if (!(sec > 0) || !Number.isFinite(sec))
    return { ok: false, reason: `must be more than 0, got '${value}'` };
  return { ok: true, sec };
}
