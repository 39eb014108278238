/**
 * Celery >= 5.3 canvas stamps (`Signature.stamp`, `StampingVisitor`, `apply_async(stamped_headers=
 * [...], key=value)`). A task message carries `headers.stamped_headers` (the stamp names) and
 * `headers.stamps` (`{name: value}`); with `result_extended`, the worker copies `stamped_headers`
 * and each stamp to the top level of the result meta (celery/backends/base.py). Workers read only
 * the names listed in `stamped_headers` (celery/worker/request.py `Request.stamps`), and so does qtop.
 */
import { asObject, asStringArray, field } from './decoded.js';
import type { Json, JsonObject } from './types.js';

const maxStamps = 64;

/** `{name: value}` for each name in `stampedHeaders`, read from `source`; null when there are none. */
export function readStamps(stampedHeaders: Json | undefined, source: JsonObject | null): JsonObject | null {
  const names = asStringArray(stampedHeaders ?? null);
  if (!names || names.length === 0 || !source) return null;
  const out: JsonObject = {};
  for (const name of names.slice(0, maxStamps)) {
    Object.defineProperty(out, name, {
      value: field(source, name) ?? null,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** Stamps of a protocol 2 task message: `headers.stamped_headers` over `headers.stamps`. */
export function messageStamps(headers: JsonObject): JsonObject | null {
  return readStamps(field(headers, 'stamped_headers'), asObject(field(headers, 'stamps')));
}

/** Stamps of an extended result meta: `stamped_headers` over the meta's own top-level keys. */
export function metaStamps(meta: JsonObject): JsonObject | null {
  return readStamps(field(meta, 'stamped_headers'), meta);
}

/** Text of one stamp value for matching and display: strings as is, anything else as JSON. */
export function stampText(value: Json | undefined): string {
  return typeof value === 'string' ? value : (JSON.stringify(value ?? null) ?? 'null');
}

/**
 * Whether `stamps` carries `key=value`: the value equals the stamp, or is one item of a list
 * stamp (stamping a canvas twice with the same name makes Celery keep a list).
 */
export function hasStamp(stamps: JsonObject | null, key: string, value: string): boolean {
  if (!stamps || !Object.hasOwn(stamps, key)) return false;
  const stamp = stamps[key];
  if (Array.isArray(stamp)) return stamp.some((item) => stampText(item) === value);
  return stampText(stamp) === value;
}

/**
 * A `stamp:key=value` filter token -> `{key, value}`; null for another token. The value is
 * everything after the first `=` (it may hold `=` or `:`).
 */
export function parseStampToken(token: string): { key: string; value: string } | null {
  if (!token.toLowerCase().startsWith('stamp:')) return null;
  const rest = token.slice('stamp:'.length);
  const eq = rest.indexOf('=');
  if (eq <= 0) return null;
  return { key: rest.slice(0, eq), value: rest.slice(eq + 1) };
}

/** One line `key=value key2=value2` for the task detail. */
export function stampsLine(stamps: JsonObject): string {
  return Object.entries(stamps)
    .map(([key, value]) => `${key}=${stampText(value)}`)
    .join('  ');
}

/**
 * `KEY=VALUE` (the CLI's `--stamped`) -> `{key, value}`; null without a key or `=`. The value is
 * everything after the first `=`, as a string: Celery compares stamps with Python's `==`, so a
 * stamp sent as a number matches only the same number (the screen sends the value it read).
 */
export function parseStampArg(text: string): { key: string; value: string } | null {
  const eq = text.indexOf('=');
  if (eq <= 0) return null;
  return { key: text.slice(0, eq), value: text.slice(eq + 1) };
}

/**
 * The control request of Celery >= 5.3's `app.control.revoke_by_stamped_headers(headers,
 * terminate, signal)` (celery/app/control.py): workers add each value to `revoked_stamps` and skip
 * every task carrying one, seen or not yet seen; with `terminate` they also signal active ones.
 * Several values of one key become a list, as the worker's `maybe_list` expects. Celery 5.2
 * workers do not know the command: a cast is ignored, a call answers `{error: "KeyError(...)"}`.
 * For commands/ (pidbox-encode.ts encodes it).
 */
export function revokeByStampRequest(
  stamps: readonly { key: string; value: Json }[],
  terminate = false,
  signal = 'SIGTERM',
): { method: 'revoke_by_stamped_headers'; arguments: JsonObject } {
  const headers: JsonObject = {};
  for (const { key, value } of stamps) {
    const held = Object.hasOwn(headers, key) ? headers[key] : undefined;
    const next: Json =
      held === undefined ? value : Array.isArray(held) ? [...held, value] : [held as Json, value];
    Object.defineProperty(headers, key, {
      value: next,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return { method: 'revoke_by_stamped_headers', arguments: { headers, terminate, signal } };
}
