/**
 * kombu's `sep` and priority lists, seen from what is in Redis. `sep` (default `\x06\x16`) joins
 * binding members and suffixes priority lists; Celery's own priority recipe sets `sep=':'` and
 * `priority_steps=list(range(10))`. A qtop started with another sep than the workers writes binding
 * members kombu cannot split and sends priority messages to lists no worker reads, so the sep is
 * detected from the binding members and list names and a mismatch becomes a finding. Pure.
 */
import { priorityStep, queueListKey } from './names.js';
import type { WireOptions } from './options.js';
import { showText } from './routing.js';

/**
 * kombu's `_get_message_priority`: Python's `int(properties['priority'])` clamped to 0..9, and
 * `default_priority` 0 when it is missing or `int()` rejects it. `int()` truncates floats and takes
 * decimal strings (`"5"`) and booleans; the store's decoded `priority` drops strings, so callers
 * pass the raw `properties.priority`.
 */
export function messagePriority(raw: unknown): number {
  let n: number | null = null;
  if (typeof raw === 'number' && Number.isFinite(raw)) n = Math.trunc(raw);
  else if (typeof raw === 'boolean') n = raw ? 1 : 0;
  else if (typeof raw === 'string' && /^\s*[-+]?\d+\s*$/.test(raw)) n = Number.parseInt(raw, 10);
  return n === null ? 0 : Math.max(0, Math.min(n, 9));
}

/**
 * The list key (with `global_keyprefix`) a message with raw `properties.priority` for `queue` is
 * pushed to by kombu's `_put` and `_do_restore_message`: {@link messagePriority}, then `_q_for_pri`:
 * the largest step not above it, `queue` for step 0 and `queue + sep + step` otherwise (`celery:3`
 * with Celery's recipe).
 */
export function priorityListKey(opts: WireOptions, queue: string, rawPriority: unknown): string {
  return queueListKey(opts, queue, priorityStep(opts, messagePriority(rawPriority)));
}

export interface SepDetection {
  /** The sep the data shows, or null when nothing tells (no members of a telling shape). */
  detected: string | null;
  /** How it was found, for the finding's text. */
  evidence: string;
  /** A one-line finding when the data contradicts `configured`, else null. */
  mismatch: string | null;
}

/** The seps kombu users set in practice, tried in this order after the configured one. */
const knownSeps = ['\x06\x16', ':', '.', '|'];

/**
 * Every sep that Celery's own direct queue bindings (`queue SEP SEP queue`: routing key = queue,
 * empty pattern) make evident in `member`. A member of that shape fixes the sep exactly.
 */
function sepsOfDirectShape(member: string): string[] {
  const found: string[] = [];
  for (let q = 1; 2 * q < member.length; q++) {
    const middle = member.length - 2 * q;
    if (middle % 2 !== 0 || member.slice(0, q) !== member.slice(member.length - q)) continue;
    const sep = member.slice(q, q + middle / 2);
    if (sep && sep === member.slice(q + middle / 2, member.length - q)) found.push(sep);
  }
  return found;
}

/** Count members that split into exactly three parts with `sep`, as kombu's `get_table` needs. */
function splitsInto3(members: readonly string[], sep: string): number {
  return members.filter((m) => m.split(sep).length === 3).length;
}

/**
 * Detect the sep from binding set members (any exchange's) and, optionally, list keys next to known
 * queue names (`celery:3`). The configured sep wins when every member splits with it.
 */
export function detectSep(
  configured: string,
  members: readonly string[],
  lists: { queues: readonly string[]; keys: readonly string[] } = { queues: [], keys: [] },
): SepDetection {
  const candidates = new Set<string>([configured, ...knownSeps]);
  // Votes from `queue SEP SEP queue` members: the strongest evidence, it survives queue names
  // that contain another candidate (`a:b` queues under the default sep).
  const votes = new Map<string, number>();
  for (const m of members) {
    for (const s of sepsOfDirectShape(m)) {
      candidates.add(s);
      votes.set(s, (votes.get(s) ?? 0) + 1);
    }
  }

  let detected: string | null = null;
  let evidence = 'no binding members';
  if (members.length > 0) {
    const scored = [...candidates]
      .map((sep) => ({ sep, n: splitsInto3(members, sep), votes: votes.get(sep) ?? 0 }))
      .filter((c) => c.n > 0);
    // Full coverage first; then most direct-shape votes; then the configured sep; then our order.
    const all = scored
      .filter((c) => c.n === members.length)
      .sort((a, b) => b.votes - a.votes || Number(b.sep === configured) - Number(a.sep === configured));
    if (all.length > 0) {
      detected = all[0]!.sep;
      evidence = `all ${members.length} binding members split with ${showText(detected)}`;
    } else {
      evidence = `binding members split with no single sep (best: ${scored.map((c) => `${showText(c.sep)} ${c.n}/${members.length}`).join(', ') || 'none'})`;
    }
  }
  if (detected === null) {
    const fromLists = sepOfPriorityLists(lists.queues, lists.keys);
    if (fromLists) {
      detected = fromLists.sep;
      evidence = `priority list ${showText(fromLists.key)}`;
    }
  }
  const mismatch =
    detected !== null && detected !== configured
      ? `kombu sep is ${showText(detected)} (${evidence}) but qtop uses ${showText(configured)}: start qtop with --sep ${showText(detected)}`
      : detected === null && members.length > 0
        ? `cannot tell kombu's sep: ${evidence}`
        : null;
  return { detected, evidence, mismatch };
}

/**
 * A priority list `queue + sep + digits` next to a known queue name gives the sep. Longest queue
 * names first, so `a.b:3` is read as queue `a.b`, not `a` with sep `.b:`.
 */
function sepOfPriorityLists(
  queues: readonly string[],
  keys: readonly string[],
): { sep: string; key: string } | null {
  const byLength = [...queues].sort((a, b) => b.length - a.length);
  for (const key of keys) {
    for (const queue of byLength) {
      if (!key.startsWith(queue) || key === queue) continue;
      const match = /^(\D+?)([1-9]\d*)$/.exec(key.slice(queue.length));
      if (match && !queues.includes(key)) return { sep: match[1]!, key };
    }
  }
  return null;
}

/**
 * Priority steps evident from a queue's lists (`queue`, `queue SEP 3`, ...), sorted; kombu's
 * `priority_steps` must include them all, or purge and length miss lists.
 */
export function stepsOfLists(queue: string, sep: string, keys: readonly string[]): number[] {
  const steps = new Set<number>();
  for (const key of keys) {
    if (key === queue) steps.add(0);
    else if (key.startsWith(queue + sep)) {
      const rest = key.slice(queue.length + sep.length);
      if (/^[1-9]\d*$/.test(rest)) steps.add(Number(rest));
    }
  }
  return [...steps].sort((a, b) => a - b);
}
