import { ExactNumber, mayHoldNonFinite, mayHoldUnsafeInteger, parseJsonExact } from './json-exact.js';
import type { Decoded, Json, JsonObject } from './types.js';

/**
 * Shared building blocks of the pure decoders: result constructors and readers that accept
 * `unknown` and answer `null` for a wrong type, so decoders never throw on hostile input.
 */

/** A successful decode. */
export function ok<T>(value: T): Decoded<T> {
  return { ok: true, value };
}

/** A failed decode; `reason` is one short human line (it ends up in the UI and logs). */
export function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason: oneLine(reason) };
}

const maxReason = 200;

/** Collapse whitespace and cap the length: reasons may quote hostile input. */
function oneLine(text: string): string {
  const flat = String(text).replace(/\s+/g, ' ').trim();
  return flat.length > maxReason ? `${flat.slice(0, maxReason - 1)}…` : flat;
}

/** The message of anything thrown, for reasons. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return String(error);
  } catch {
    return 'unknown error';
  }
}

/** Prefix of reasons that come from a caught exception rather than a checked rule. */
export const internalErrorPrefix = 'internal error in';

/**
 * Run a decoder body and turn any exception into a failure. Every exported decoder goes
 * through this, so a bug or a pathological input becomes `{ok:false}` instead of a crash;
 * the distinct prefix lets the fuzz test tell such bugs from ordinary rejections.
 */
export function guarded<T>(what: string, body: () => Decoded<T>): Decoded<T> {
  try {
    return body();
  } catch (error) {
    return fail(`${internalErrorPrefix} ${what}: ${errorMessage(error)}`);
  }
}

/** JSON type name for reasons: 'null', 'array', 'object', 'string', ... */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** The raw input must be a string (Redis replies decoded as UTF-8 text). */
export function requireString(raw: unknown): Decoded<string> {
  return typeof raw === 'string' ? ok(raw) : fail(`input is not a string (${typeName(raw)})`);
}

/**
 * `JSON.parse` that reports "not JSON: <cause>" instead of throwing. Python's `NaN`/`Infinity` and
 * integers past 2^53 come back as ExactNumber (json-exact.ts); that slower parser runs only when
 * JSON.parse failed on a text naming NaN/Infinity, or its result holds a number beyond 2^53.
 */
export function parseJson(text: string): Decoded<Json> {
  let fast: Json;
  try {
    fast = JSON.parse(text) as Json;
  } catch (error) {
    if (mayHoldNonFinite(text)) {
      try {
        return ok(parseJsonExact(text));
      } catch {
        // not Python's JSON either: report JSON.parse's own message
      }
    }
    return fail(`not JSON: ${errorMessage(error)}`);
  }
  if (!mayHoldUnsafeInteger(fast)) return ok(fast);
  try {
    return ok(parseJsonExact(text));
  } catch {
    return ok(fast); // cannot happen for text JSON.parse took; the fast value is still right
  }
}

/** A plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is JsonObject {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof ExactNumber)
  );
}

/** Own property only: never reads `constructor`, `toString` or other prototype members. */
export function field(obj: JsonObject, key: string): Json | undefined {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

export function asObject(value: unknown): JsonObject | null {
  return isObject(value) ? value : null;
}

export function asArray(value: unknown): Json[] | null {
  return Array.isArray(value) ? (value as Json[]) : null;
}

export function asString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Finite numbers only: JSON cannot carry NaN, but a hand-built object could. */
export function asNumber(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function asBoolean(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

/** A list whose items are all strings (node names, task ids), else null. */
export function asStringArray(value: unknown): string[] | null {
  if (!Array.isArray(value)) return null;
  return value.every((item) => typeof item === 'string') ? (value as string[]) : null;
}

/** Any JSON value stored under `key`, with `null` for an absent key. */
export function jsonField(obj: JsonObject, key: string): Json {
  return field(obj, key) ?? null;
}
