/**
 * One line of JSON for stdout, whatever the cluster put in the data. Task names, args, hostnames
 * and queue names come from anyone who can write to Redis, and `qtop --json` is often read on a
 * terminal (or through `jq -r` into one).
 */
import { isExactPlaceholder, stringifyExact } from '../celery/json-exact.js';
import { maskSecrets } from '../redis/mask.js';

/**
 * Characters JSON.stringify leaves raw that a terminal acts on or shows deceptively: DEL and the C1
 * controls (U+0080–U+009F; U+009B is CSI on terminals that honour 8-bit controls), the line and
 * paragraph separators, and the bidi controls that reorder what is shown (CVE-2021-42574). They can
 * only occur inside strings, where `\uXXXX` means the same character, so the JSON value is unchanged.
 * C0 controls (ESC included) are escaped by JSON.stringify itself.
 */
const UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * `value` as one line of JSON with secrets masked and terminal-active characters escaped.
 * Secrets are masked inside each string (keys included) rather than in the finished text: masking
 * the text would corrupt the JSON for a password such as `1` or `e`, and miss one that JSON escapes.
 * Any `scheme://user:password@` inside a string is masked too (see `maskSecrets`).
 */
export function jsonLine(value: unknown, secrets: readonly (string | undefined)[] = []): string {
  const known = secrets.flatMap((secret) => (secret ? [secret, encodeURIComponent(secret)] : []));
  // A cheap test first: a snapshot holds a few hundred thousand strings, nearly all harmless.
  const mask = (text: string) =>
    text.includes('://') || /password=/i.test(text) || known.some((secret) => text.includes(secret))
      ? maskSecrets(text, secrets)
      : text;
  // stringifyExact: integers past 2^53 with their exact digits; Python's NaN/Infinity as the
  // strings "NaN"/"Infinity", since strict JSON has no such numbers.
  const replacer = (_key: string, item: unknown): unknown => {
    if (typeof item === 'string') return isExactPlaceholder(item) ? item : mask(item);
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
    const keys = Object.keys(item);
    if (keys.every((key) => mask(key) === key)) return item;
    // A key that carries a secret (a task named after a password): rebuild the object without it.
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      Object.defineProperty(out, mask(key), {
        value: (item as Record<string, unknown>)[key],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
  const text = stringifyExact(value, { nonFinite: 'string', replacer });
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
