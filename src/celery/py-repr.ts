/**
 * Writing Python literals: Python's `repr()` (the inverse of parsing in the `python` dialect)
 * and Celery's `saferepr()` (what Celery 5.2 puts in `argsrepr`/`kwargsrepr` and in event
 * `args`/`kwargs`/`result`; see py-literal.ts for how it differs from `repr()`). qtop writes
 * saferepr into the headers of tasks it publishes, so they look exactly like Celery's own.
 */
import { type ExactNumber, isExactNumber } from './json-exact.js';
import type { Json, JsonObject } from './types.js';

/** Celery's `argsrepr_maxsize`, `kwargsrepr_maxsize` and `resultrepr_maxsize`. */
export const CELERY_REPR_MAXLEN = 1024;
/** Celery's saferepr `maxlevels`: deeper containers print as `[...]`. */
export const SAFEREPR_MAXLEVELS = 3;

/** Length in code points, as Python counts a str (a UTF-16 surrogate pair is one). */
export const codePoints = (text: string): number => Array.from(text).length;

/** Python's str.isprintable(): not Other (Cc Cf Cs Co Cn) nor Separator (Zl Zp Zs), space excepted. */
const NON_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

const hex = (code: number, width: number): string => code.toString(16).padStart(width, '0');

/** Python's `repr(str)`: single quotes unless the text has `'` and no `"`; escapes as CPython does. */
export function pyStrRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\x${hex(code, 2)}`;
    else if (code < 0x7f || !NON_PRINTABLE.test(ch)) out += ch;
    else if (code <= 0xff) out += `\\x${hex(code, 2)}`;
    else if (code <= 0xffff) out += `\\u${hex(code, 4)}`;
    else out += `\\U${hex(code, 8)}`;
  }
  return out + quote;
}

/**
 * Python's `repr(float)`: the shortest round-trip digits (as JS), fixed notation for exponents
 * -4..15 with at least one decimal (`1.0`), otherwise `1e+16` / `1.5e-05` style.
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa = '', exponent = '0'] = x.toExponential().split('e');
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  const e = Number(exponent);
  const point = e + 1; // digits = 0.d1d2... x 10^point
  if (point > -4 && point <= 16) {
    if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
    if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}.0`;
    return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
  }
  const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${head}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/**
 * A JS number as Python shows it after `json.loads(JSON.stringify(x))`: integral values below 1e21
 * are written as integer digits by JSON.stringify, so Python reads an int (`1`, never `1.0`); all
 * others are floats. JS cannot tell `1.0` from `1`; use {@link pyFloatRepr} to force float style.
 */
export function pyNumberRepr(x: number): string {
  return Number.isInteger(x) && Math.abs(x) < 1e21 ? String(x) : pyFloatRepr(x);
}

/**
 * Python's `repr()` of the value JSON-decoded in Python: `None`, `True`, lists, dicts with
 * `'key': value` and `', '` separators, strings as {@link pyStrRepr}. The inverse of
 * `parsePythonLiteral(text, { dialect: 'python' })`.
 */
/** Python's repr of a number kept as written: the digits of a big integer, `nan`, `inf`, `-inf`. */
function exactRepr(value: ExactNumber): string {
  const special: Record<string, string> = { NaN: 'nan', Infinity: 'inf', '-Infinity': '-inf' };
  return special[value.text] ?? value.text;
}

export function toPythonRepr(value: Json): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return pyNumberRepr(value);
  if (typeof value === 'string') return pyStrRepr(value);
  if (isExactNumber(value)) return exactRepr(value);
  if (Array.isArray(value)) return `[${value.map(toPythonRepr).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${pyStrRepr(k)}: ${toPythonRepr(v)}`)
    .join(', ')}}`;
}

type Tok =
  | { t: 'lit'; v: string; trunc: boolean; dir: number }
  | { t: 'key'; v: string }
  | { t: 'val'; v: Json; tuple?: boolean };

const SEP: Tok = { t: 'lit', v: ', ', trunc: true, dir: 0 };
const KVSEP: Tok = { t: 'lit', v: ': ', trunc: true, dir: 0 };
const open = (v: string): Tok => ({ t: 'lit', v, trunc: false, dir: 1 });
const close = (v: string): Tok => ({ t: 'lit', v, trunc: false, dir: -1 });

function* containerTokens(value: Json[] | JsonObject, tuple: boolean): Generator<Tok> {
  if (Array.isArray(value)) {
    yield open(tuple ? '(' : '[');
    for (const [i, item] of value.entries()) {
      yield { t: 'val', v: item };
      if (i < value.length - 1) yield SEP;
    }
    yield close(tuple ? (value.length === 1 ? ',)' : ')') : ']');
    return;
  }
  const entries = Object.entries(value);
  yield open('{');
  for (const [i, [k, v]] of entries.entries()) {
    yield { t: 'key', v: k };
    yield KVSEP;
    yield { t: 'val', v };
    if (i < entries.length - 1) yield SEP;
  }
  yield close('}');
}

/** celery.utils.text.truncate: at `maxlen` code points or more, cut at the last space and add `...`. */
function truncate(text: string, maxlen: number | null): string {
  if (!maxlen) return text;
  const chars = Array.from(text);
  if (chars.length < maxlen) return text;
  const head = chars.slice(0, maxlen).join('');
  const space = head.lastIndexOf(' ');
  return `${space < 0 ? head : head.slice(0, space)}...`;
}

const quoted = (text: string, maxlen: number | null): string =>
  `'${truncate(text, maxlen).replaceAll("'", "\\'")}'`;

/**
 * A port of Celery 5.2's `saferepr(value, maxlen)` (maxlevels 3) for JSON values: what Celery writes
 * into `argsrepr`, `kwargsrepr` and event reprs. `tuple` prints a top-level array as a tuple.
 * `maxlen` null means no limit. Read it back with `parsePythonLiteral` (celery dialect).
 */
export function safeRepr(value: Json, maxlen: number | null = CELERY_REPR_MAXLEN, tuple = false): string {
  const out: string[] = [];
  const stack: Iterator<Tok>[] = [[{ t: 'val', v: value, tuple } as Tok][Symbol.iterator]()];
  const next = (): Tok | undefined => {
    while (stack.length > 0) {
      const step = stack.at(-1)!.next();
      if (!step.done) return step.value;
      stack.pop();
    }
    return undefined;
  };
  let level = 0;
  let budget = maxlen;
  for (let tok = next(); tok; tok = next()) {
    let text: string | null = null;
    if (tok.t === 'val' && isExactNumber(tok.v)) text = exactRepr(tok.v);
    else if (tok.t === 'val' && tok.v !== null && typeof tok.v === 'object') {
      const isTuple = tok.tuple === true && Array.isArray(tok.v);
      if (level < SAFEREPR_MAXLEVELS) {
        stack.push(containerTokens(tok.v, isTuple));
        continue;
      }
      text = Array.isArray(tok.v) ? (isTuple ? '(...)' : '[...]') : '{...}';
    }
    if (tok.t === 'lit') level += tok.dir;
    if (budget !== null && budget <= 0) {
      // Out of room: mark the cut, then close whatever is still open (saferepr's dangling parens).
      out.push(', ...');
      for (let rest = next(); rest; rest = next()) if (rest.t === 'lit' && !rest.trunc) out.push(rest.v);
      break;
    }
    let val: string;
    if (tok.t === 'lit') val = tok.v;
    else if (tok.t === 'key') val = quoted(tok.v, budget);
    else if (text !== null) val = truncate(text, budget);
    else if (typeof tok.v === 'string') val = quoted(tok.v, budget);
    else val = truncate(toPythonRepr(tok.v), budget); // None, True, False, numbers: str() == repr()
    out.push(val);
    if (budget !== null) budget -= codePoints(val);
  }
  return out.join('');
}

/** `argsrepr` as Celery writes it for a call with these positional args: `(2, 3)`, `(1,)`, `()`. */
export function argsRepr(args: Json[], maxlen: number | null = CELERY_REPR_MAXLEN): string {
  return safeRepr(args, maxlen, true);
}

/** `kwargsrepr` as Celery writes it: `{'k': [1, 2]}`, `{}`. */
export function kwargsRepr(kwargs: JsonObject, maxlen: number | null = CELERY_REPR_MAXLEN): string {
  return safeRepr(kwargs, maxlen);
}
