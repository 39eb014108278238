/**
 * Edit and retry, the pure part: a failed task's call as the text an operator edits (one JSON
 * object `{"args": [...], "kwargs": {...}}`, numbers JavaScript cannot hold kept as written), the
 * check of what comes back, and the diff the confirmation shows. The screen's editor flow and the
 * CLI's `--args`/`--kwargs` both go through here, so both accept exactly the same calls.
 */
import { isExactNumber, parseJsonExact, stringifyExact } from '../celery/json-exact.js';
import type { Json, JsonObject } from '../celery/types.js';

/** A call as a retry would publish it. */
export interface EditableCall {
  name: string;
  args: Json[];
  kwargs: JsonObject;
  /** Where the retry goes: the original's queue, or null when unknown. */
  queue: string | null;
  /** Where the call was recovered from (queued message, result_extended meta, ...). */
  source: string;
}

/** What replaces the original call; a part left out is kept as it was. */
export interface CallOverride {
  args?: Json[];
  kwargs?: JsonObject;
}

/** The text an editor opens: args and kwargs, exact, two-space indented. */
export function callText(call: { args: Json[]; kwargs: JsonObject }): string {
  return `${stringifyExact({ args: call.args, kwargs: call.kwargs }, { indent: 2 })}\n`;
}

/** The same call on one line, for the inline editor. */
export function callLine(call: { args: Json[]; kwargs: JsonObject }): string {
  return stringifyExact({ args: call.args, kwargs: call.kwargs });
}

type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function parse(text: string, what: string): Parsed<Json> {
  try {
    return { ok: true, value: parseJsonExact(text.trim()) };
  } catch (error) {
    return { ok: false, error: `${what} is not JSON: ${(error as Error).message}` };
  }
}

function isObject(value: Json): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isExactNumber(value);
}

/** `--args TEXT`: a JSON array. */
export function parseArgsText(text: string): Parsed<Json[]> {
  const parsed = parse(text, '--args');
  if (!parsed.ok) return parsed;
  return Array.isArray(parsed.value)
    ? { ok: true, value: parsed.value }
    : { ok: false, error: '--args must be a JSON array, e.g. [1, "a"]' };
}

/** `--kwargs TEXT`: a JSON object. */
export function parseKwargsText(text: string): Parsed<JsonObject> {
  const parsed = parse(text, '--kwargs');
  if (!parsed.ok) return parsed;
  return isObject(parsed.value)
    ? { ok: true, value: parsed.value }
    : { ok: false, error: '--kwargs must be a JSON object, e.g. {"key": 1}' };
}

/** What the editor gave back: one object with `args` (an array) and `kwargs` (an object), nothing else. */
export function parseCallText(text: string): Parsed<{ args: Json[]; kwargs: JsonObject }> {
  const parsed = parse(text, 'the call');
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  if (!isObject(value))
    return { ok: false, error: 'the call must be a JSON object {"args": [...], "kwargs": {...}}' };
  const extra = Object.keys(value).filter((k) => k !== 'args' && k !== 'kwargs');
  if (extra.length) return { ok: false, error: `the call has only args and kwargs, not ${extra.join(', ')}` };
  const args = value.args ?? [];
  const kwargs = value.kwargs ?? {};
  if (!Array.isArray(args)) return { ok: false, error: 'args must be a JSON array' };
  if (!isObject(kwargs)) return { ok: false, error: 'kwargs must be a JSON object' };
  return { ok: true, value: { args, kwargs } };
}

/** Whether two calls are the same, exact numbers compared as written. */
export function sameCall(
  a: { args: Json[]; kwargs: JsonObject },
  b: { args: Json[]; kwargs: JsonObject },
): boolean {
  return callLine(a) === callLine(b);
}

/**
 * The lines that changed between two texts, `- ` for removed and `+ ` for added, with `  ` context
 * lines around them (a longest-common-subsequence diff: calls are a few dozen lines).
 */
export function lineDiff(before: string, after: string, context = 1): string[] {
  const a = before.replace(/\n$/, '').split('\n');
  const b = after.replace(/\n$/, '').split('\n');
  const n = a.length;
  const m = b.length;
  if (n * m > 250_000) return [...a.map((l) => `- ${l}`), ...b.map((l) => `+ ${l}`)];
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const ops: { mark: ' ' | '-' | '+'; line: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ mark: ' ', line: a[i]! });
      i++;
      j++;
    } else if (j < m && (i >= n || lcs[i]![j + 1]! > lcs[i + 1]![j]!)) ops.push({ mark: '+', line: b[j++]! });
    else ops.push({ mark: '-', line: a[i++]! });
  }
  const near = (k: number) =>
    ops.slice(Math.max(0, k - context), k + context + 1).some((op) => op.mark !== ' ');
  const out: string[] = [];
  let skipped = false;
  ops.forEach((op, k) => {
    if (op.mark !== ' ' || near(k)) {
      if (skipped) out.push('  …');
      skipped = false;
      out.push(`${op.mark} ${op.line}`);
    } else skipped = true;
  });
  return out;
}
