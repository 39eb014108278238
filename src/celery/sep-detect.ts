/**
 * Which `sep` the binding members were written with, so a wrong `--sep` is a finding instead of
 * silently wrong writes (a retry at priority >= 3 to a list no worker reads, a purge that misses
 * lists). kombu writes each `_kombu.binding.{exchange}` member as `routing_key + sep + pattern +
 * sep + queue` (kombu/transport/redis.py `_queue_bind`); pattern is empty for direct and topic
 * exchanges in practice. Pure: the caller hands in the members it read.
 */

/** Separators worth trying: kombu's default, Celery's priority recipe (':'), and the configured one. */
const candidates = ['\x06\x16', ':'];

/** What the members say about `configured`. */
export interface SepFinding {
  /** The separator that splits every member into exactly three parts, or null when none or several do. */
  detected: string | null;
  /** Members the configured sep does not split into three parts. */
  unsplittable: string[];
  /** One line for `meta` warnings, or null when the configured sep fits every member. */
  warning: string | null;
}

/** Does `sep` split `member` into routing key, pattern and a non-empty queue? */
function splits(member: string, sep: string): boolean {
  const parts = member.split(sep);
  return parts.length === 3 && parts[2] !== '';
}

/** Judge `configured` against binding members (an empty list judges nothing). */
export function detectSep(members: readonly string[], configured: string): SepFinding {
  if (members.length === 0) return { detected: null, unsplittable: [], warning: null };
  const fitting = [...new Set([configured, ...candidates])].filter((sep) =>
    members.every((m) => splits(m, sep)),
  );
  const detected = fitting.length === 1 ? fitting[0]! : fitting.includes(configured) ? configured : null;
  const unsplittable = members.filter((m) => !splits(m, configured));
  if (unsplittable.length === 0) return { detected, unsplittable, warning: null };
  const shown = (sep: string) => JSON.stringify(sep);
  const warning =
    detected !== null
      ? `binding members are split by ${shown(detected)}, not the configured sep ${shown(configured)}: set --sep ${shown(detected)} (kombu transport option sep)`
      : `${unsplittable.length} binding member(s) are not split by the configured sep ${shown(configured)}: check --sep (kombu transport option sep)`;
  return { detected, unsplittable, warning };
}
