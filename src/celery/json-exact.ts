/**
 * JSON numbers JavaScript cannot hold, kept exact. Python's `json.dumps` writes `NaN`, `Infinity`
 * and `-Infinity` (JSON.parse rejects the whole text), and Python ints of any size (JSON.parse
 * rounds past 2^53). Such a number becomes an {@link ExactNumber} holding its source text, so the
 * screen shows it as written, `--json` writes its exact digits, and an encoder writes it back.
 *
 * Off the hot path: decoders call JSON.parse first and come here only when it failed (NaN) or its
 * result holds a number beyond 2^53 (see {@link mayHoldUnsafeInteger}). Pure; never throws out of
 * {@link parseJsonExact} except with a SyntaxError for text that is not JSON-with-NaN.
 */
import type { Json } from './types.js';

/** Exact-mode state of an ongoing {@link stringifyExact} (synchronous, so a module variable is safe). */
let exactMode: { nonce: string; nonFinite: 'raw' | 'string' } | null = null;

/** A number token kept as written: an unsafe integer, a non-finite float, or one that overflows. */
export class ExactNumber {
  constructor(readonly text: string) {}

  /** The nearest JS number (rounded for big integers; NaN/±Infinity as such). */
  get value(): number {
    if (this.text === 'NaN') return Number.NaN;
    if (this.text === 'Infinity') return Number.POSITIVE_INFINITY;
    if (this.text === '-Infinity') return Number.NEGATIVE_INFINITY;
    return Number(this.text);
  }

  /**
   * Inside {@link stringifyExact}: a placeholder that is replaced by the text. Elsewhere (a plain
   * JSON.stringify, e.g. the recorder): the nearest JSON value, a rounded number, which
   * `inexactJsonNumber` flags, or the text as a string for non-finite floats, which JSON cannot hold.
   */
  toJSON(): number | string {
    if (exactMode) return `\u0000${exactMode.nonce}:${this.text}`;
    const n = this.value;
    return Number.isFinite(n) ? n : this.text;
  }

  toString(): string {
    return this.text;
  }
}

export function isExactNumber(value: unknown): value is ExactNumber {
  return value instanceof ExactNumber;
}

/** True when `value` holds an {@link ExactNumber} anywhere: a plain JSON.stringify would lose it. */
export function containsExactNumber(value: unknown, depth = 0): boolean {
  if (value instanceof ExactNumber) return true;
  if (typeof value !== 'object' || value === null || depth > 512) return false;
  return Object.values(value).some((item) => containsExactNumber(item, depth + 1));
}

/**
 * JSON.stringify that writes every {@link ExactNumber} as its source text. `nonFinite: 'raw'` writes
 * NaN/Infinity as Python does (for the screen and for republishing to a Python worker);
 * `'string'` writes them as the strings "NaN"/"Infinity" so the output stays strict JSON (`--json`).
 * `replacer` is passed through to JSON.stringify.
 */
export function stringifyExact(
  value: unknown,
  options: {
    indent?: number;
    nonFinite?: 'raw' | 'string';
    replacer?: (this: unknown, key: string, value: unknown) => unknown;
  } = {},
): string {
  const outer = exactMode;
  const mode = { nonce: Math.random().toString(36).slice(2, 10), nonFinite: options.nonFinite ?? 'raw' };
  exactMode = mode;
  let text: string;
  try {
    text = JSON.stringify(value, options.replacer, options.indent) ?? 'null';
  } finally {
    exactMode = outer;
  }
  if (!text.includes(mode.nonce)) return text;
  return text.replace(new RegExp(`"\\\\u0000${mode.nonce}:([^"]*)"`, 'g'), (_all, raw: string) =>
    mode.nonFinite === 'string' && /^-?(?:NaN|Infinity)$/.test(raw) ? `"${raw}"` : raw,
  );
}

/** Whether `text` is the placeholder of an ongoing {@link stringifyExact} (a replacer leaves it alone). */
export function isExactPlaceholder(text: string): boolean {
  return exactMode !== null && text.startsWith(`\u0000${exactMode.nonce}:`);
}

/** A deep copy of a JSON value that keeps {@link ExactNumber}s (immutable, so shared). */
export function cloneJson<T extends Json>(value: T, depth = 0): T {
  if (typeof value !== 'object' || value === null || value instanceof ExactNumber || depth > 512)
    return value;
  if (Array.isArray(value)) return value.map((item) => cloneJson(item, depth + 1)) as T;
  const out: { [key: string]: Json } = {};
  for (const [key, item] of Object.entries(value)) {
    Object.defineProperty(out, key, {
      value: cloneJson(item, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out as T;
}

/**
 * Pretty JSON text for the screen from stored JSON text (a result): exact numbers and NaN kept as
 * written; text that is not JSON is returned unchanged.
 */
export function prettyJsonText(text: string): string {
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
    if (mayHoldUnsafeInteger(value)) value = parseJsonExact(text);
  } catch {
    try {
      value = parseJsonExact(text);
    } catch {
      return text;
    }
  }
  return stringifyExact(value, { indent: 2 });
}

/**
 * Whether a JSON.parse result may have rounded an integer: it holds a number beyond ±(2^53 - 1).
 * Every unsafe integer token parses to one (a float such as 1e20 does too, and then costs only the
 * exact parse). A walk over the parsed nodes, not a scan of the text: a message is mostly one long
 * base64 string, so this costs a few nodes per message on the hot path.
 */
export function mayHoldUnsafeInteger(value: unknown, depth = 0): boolean {
  if (typeof value === 'number') return value > Number.MAX_SAFE_INTEGER || value < -Number.MAX_SAFE_INTEGER;
  if (typeof value !== 'object' || value === null || depth > 512) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (mayHoldUnsafeInteger(value[i], depth + 1)) return true;
    return false;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const item = record[key];
    // Strings, booleans and nulls are most of a message: skip them without a call.
    if (
      typeof item === 'number'
        ? item > Number.MAX_SAFE_INTEGER || item < -Number.MAX_SAFE_INTEGER
        : typeof item === 'object' && item !== null && mayHoldUnsafeInteger(item, depth + 1)
    )
      return true;
  }
  return false;
}

/** Whether a failed JSON.parse may be Python's NaN/Infinity. */
export function mayHoldNonFinite(text: string): boolean {
  return text.includes('NaN') || text.includes('Infinity');
}

const numberToken = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const literalToken = /NaN|-?Infinity|true|false|null/y;

/**
 * JSON.parse plus Python's non-finite literals, with unsafe or non-finite numbers as
 * {@link ExactNumber}. Strings are decoded by JSON.parse itself. Throws SyntaxError on bad input.
 */
export function parseJsonExact(text: string): Json {
  let pos = 0;
  const ws = () => {
    while (pos < text.length && ' \t\r\n'.includes(text[pos]!)) pos++;
  };
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at position ${pos}`);
  };
  const string = (): string => {
    const start = pos++;
    while (pos < text.length && text[pos] !== '"') pos += text[pos] === '\\' ? 2 : 1;
    if (pos >= text.length) fail('unterminated string');
    pos++;
    return JSON.parse(text.slice(start, pos)) as string;
  };
  const value = (depth: number): Json => {
    if (depth > 512) fail('nested too deeply');
    ws();
    const ch = text[pos];
    if (ch === '"') return string();
    if (ch === '[') {
      pos++;
      const out: Json[] = [];
      ws();
      if (text[pos] === ']') {
        pos++;
        return out;
      }
      for (;;) {
        out.push(value(depth + 1));
        ws();
        const sep = text[pos++];
        if (sep === ']') return out;
        if (sep !== ',') fail('expected , or ]');
      }
    }
    if (ch === '{') {
      pos++;
      const out: { [key: string]: Json } = {};
      ws();
      if (text[pos] === '}') {
        pos++;
        return out;
      }
      for (;;) {
        ws();
        if (text[pos] !== '"') fail('expected a key');
        const key = string();
        ws();
        if (text[pos++] !== ':') fail('expected :');
        // defineProperty: a `__proto__` key is data, as with JSON.parse.
        Object.defineProperty(out, key, {
          value: value(depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
        ws();
        const sep = text[pos++];
        if (sep === '}') return out;
        if (sep !== ',') fail('expected , or }');
      }
    }
    literalToken.lastIndex = pos;
    const literal = literalToken.exec(text);
    if (literal) {
      pos += literal[0].length;
      if (literal[0] === 'true') return true;
      if (literal[0] === 'false') return false;
      if (literal[0] === 'null') return null;
      return new ExactNumber(literal[0]) as unknown as Json;
    }
    numberToken.lastIndex = pos;
    const num = numberToken.exec(text);
    if (!num) return fail(`unexpected ${JSON.stringify(ch ?? 'end of input')}`);
    pos += num[0].length;
    const n = Number(num[0]);
    const integer = !/[.eE]/.test(num[0]);
    if (!Number.isFinite(n) || (integer && !Number.isSafeInteger(n)))
      return new ExactNumber(num[0]) as unknown as Json;
    return n;
  };
  const out = value(0);
  ws();
  if (pos !== text.length) fail('unexpected text after JSON');
  return out;
}
