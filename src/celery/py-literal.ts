/**
 * Python literals in both directions, for the reprs Celery puts on the wire.
 *
 * Celery does not write `repr()` into `argsrepr`/`kwargsrepr` and into the `args`/`kwargs`/`result`
 * of events: it writes `celery.utils.saferepr.saferepr(value, 1024)`. That differs from `repr()`:
 * - strings are always single-quoted; only `'` is escaped (as `\'`); backslashes, newlines and
 *   control characters are written raw;
 * - the output is cut at 1024 characters: a cut string or number ends in `...`, and the rest of
 *   the container is replaced by `, ...` followed by the closing brackets that are still open;
 * - containers nested deeper than 3 levels are written `[...]`, `{...}`.
 * So a parser of event reprs must know which dialect it reads (the writing half is py-repr.ts); {@link parsePythonLiteral} defaults to
 * the Celery one and is strict: whatever cannot be recovered exactly is refused with a reason.
 */
import { INCOMPLETE_REASON, Refusal, readEscape } from './py-escape.js';
import { codePoints } from './py-repr.js';
import type { Decoded, Json, JsonObject } from './types.js';

// Callers and tests take both reasons from here.
export { INCOMPLETE_REASON };

/** Reason given when the text is a repr Celery cut at its 1024-character limit (wire doc 5.2 step 6). */
export const TRUNCATED_REASON = 'repr truncated by Celery (1024 characters)';

/** A cut repr has at least this many characters (the brief's margin below 1024). */
const CUT_MIN_LENGTH = 1020;
const MAX_DEPTH = 200;

/**
 * `celery` (default): single-quoted strings read as Celery's saferepr writes them (only `\'` is an
 * escape). `python`: strings read as Python source (`\n`, `\xe9`, `\u00e9`, `\U0001f600`, ...), for
 * text produced by `repr()` such as {@link toPythonRepr}. Double-quoted and prefixed strings are
 * read as Python in both dialects: saferepr never writes them.
 */
export type PyDialect = 'celery' | 'python';

export interface PyLiteralOptions {
  dialect?: PyDialect;
}

/**
 * Parse a Python literal (a Celery saferepr by default) into JSON, or refuse with a reason.
 * Never throws. Tuples become arrays; `None`/`True`/`False` become null/true/false. Refused, since
 * JSON cannot hold them exactly: bytes, sets, non-string dict keys, ints beyond 2^53, inf/nan,
 * complex numbers, calls (`datetime.datetime(...)`), `<object at 0x..>` reprs, and every mark of a
 * Celery cut (`...`). A text of 1020+ characters refused because it is cut or ends early gets
 * {@link TRUNCATED_REASON}; a shorter one that ends early gets {@link INCOMPLETE_REASON}.
 */
export function parsePythonLiteral(text: string, options: PyLiteralOptions = {}): Decoded<Json> {
  try {
    return { ok: true, value: parseExact(text, options.dialect ?? 'celery') };
  } catch (error) {
    const refusal =
      error instanceof Refusal ? error : new Refusal(`unparseable literal (${String(error)})`, 'plain');
    const long = codePoints(text) >= CUT_MIN_LENGTH;
    // saferepr writes ', ...' where it stopped; brackets after it can even be unbalanced.
    if (long && (refusal.kind !== 'plain' || text.includes(', ...')))
      return { ok: false, reason: TRUNCATED_REASON };
    return { ok: false, reason: refusal.kind === 'eof' ? INCOMPLETE_REASON : refusal.reason };
  }
}

/** The most `\'` that may be a closing quote before a text is refused (2^n readings are tried). */
const MAX_AMBIGUOUS_QUOTES = 8;

/**
 * saferepr escapes `'` as `\'` but leaves backslashes alone, so a string ending in a backslash
 * also ends in `\'`. Where a delimiter (or the end) follows a `\'`, both readings are tried, and
 * the text is accepted only when exactly one of them parses.
 */
function parseExact(text: string, dialect: PyDialect): Json {
  const parse = (closes: ReadonlySet<number>): Json | Refusal => {
    try {
      return new Parser(text, dialect, closes).parseAll();
    } catch (error) {
      if (error instanceof Refusal) return error;
      throw error;
    }
  };
  const candidates = dialect === 'celery' ? [...text.matchAll(/\\'(?=[,:)\]}]|$)/g)].map((m) => m.index) : [];
  const first = parse(new Set());
  if (candidates.length === 0) {
    if (first instanceof Refusal) throw first;
    return first;
  }
  if (candidates.length > MAX_AMBIGUOUS_QUOTES) {
    throw new Refusal(`too many \\' before delimiters to tell quotes from trailing backslashes`);
  }
  const readings = new Map<string, Json>();
  for (let mask = 0; mask < 2 ** candidates.length; mask++) {
    const value = parse(new Set(candidates.filter((_, i) => mask & (1 << i))));
    if (!(value instanceof Refusal)) readings.set(JSON.stringify(value), value);
  }
  if (readings.size > 1)
    throw new Refusal("ambiguous in Celery's saferepr: a \\' may end a string or escape a quote");
  const [only] = readings.values();
  if (only !== undefined) return only;
  throw first instanceof Refusal ? first : new Refusal('unparseable literal');
}

const STRING_PREFIXES = new Set(['r', 'u', 'b', 'br', 'rb', 'f', 'fr', 'rf']);

class Parser {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly dialect: PyDialect,
    /** Positions of `\\'` to read as a trailing backslash plus the closing quote. */
    private readonly closes: ReadonlySet<number> = new Set(),
  ) {}

  parseAll(): Json {
    const value = this.value(0, false);
    this.skipSpace();
    if (this.pos < this.text.length) throw this.unexpected('after the literal');
    return value;
  }

  private value(depth: number, firstInContainer: boolean): Json {
    if (depth > MAX_DEPTH) throw new Refusal(`nested deeper than ${MAX_DEPTH} levels`);
    this.skipSpace();
    const ch = this.text[this.pos];
    if (ch === undefined) throw new Refusal(INCOMPLETE_REASON, 'eof');
    if (this.text.startsWith('...', this.pos)) throw this.ellipsis(firstInContainer);
    if (ch === '(') return this.sequence(')', depth, true);
    if (ch === '[') return this.sequence(']', depth, false);
    if (ch === '{') return this.braces(depth);
    if (ch === "'" || ch === '"') return this.string('');
    if (ch === '-' || ch === '+' || /[0-9.]/.test(ch)) return this.number();
    if (/[A-Za-z_]/.test(ch)) return this.name();
    if (ch === '<') throw new Refusal(`object repr '<...>' at ${this.pos} is not a literal`);
    throw this.unexpected('');
  }

  private ellipsis(firstInContainer: boolean): Refusal {
    // saferepr writes '[...]' for containers below its 3 levels, and ', ...' where it cut the text.
    return firstInContainer
      ? new Refusal(`'...' at ${this.pos}: a container nested deeper than Celery's saferepr shows (3 levels)`)
      : new Refusal(`'...' at ${this.pos} has no JSON form (Celery writes it where it cut a repr)`, 'cut');
  }

  /** `(...)` tuples and `[...]` lists; `(x)` without a comma is just a parenthesised `x`. */
  private sequence(close: string, depth: number, tuple: boolean): Json {
    this.pos++;
    const items: Json[] = [];
    let comma = false;
    for (;;) {
      if (this.peek() === close) break;
      items.push(this.value(depth + 1, items.length === 0));
      const next = this.peek();
      if (next === ',') {
        this.pos++;
        comma = true;
      } else if (next !== close) {
        throw this.unexpected(`in a ${tuple ? 'tuple' : 'list'}`);
      }
    }
    this.pos++;
    return tuple && items.length === 1 && !comma ? items[0]! : items;
  }

  /** `{}` dicts with string keys; sets (`{1, 2}`) are refused. */
  private braces(depth: number): Json {
    const start = this.pos;
    this.pos++;
    const entries: [string, Json][] = [];
    for (;;) {
      if (this.peek() === '}') break;
      const keyAt = this.pos;
      const key = this.value(depth + 1, entries.length === 0);
      if (this.peek() !== ':') {
        if (entries.length === 0 && (this.peek() === ',' || this.peek() === '}')) {
          throw new Refusal(`set literal at ${start} has no JSON form`);
        }
        throw this.unexpected('in a dict');
      }
      if (typeof key !== 'string')
        throw new Refusal(`dict key at ${keyAt} is not a string (${JSON.stringify(key)})`);
      this.pos++;
      entries.push([key, this.value(depth + 1, false)]);
      const next = this.peek();
      if (next === ',') this.pos++;
      else if (next !== '}') throw this.unexpected('in a dict');
    }
    this.pos++;
    // fromEntries defines own properties, so a '__proto__' key stays data (last duplicate wins, as in Python).
    return Object.fromEntries(entries) as JsonObject;
  }

  private number(): number {
    const start = this.pos;
    let sign = 1;
    const ch = this.text[this.pos];
    if (ch === '-' || ch === '+') {
      sign = ch === '-' ? -1 : 1;
      this.pos++;
      this.skipSpace();
      const word = /[A-Za-z_]\w*/y;
      word.lastIndex = this.pos;
      const name = word.exec(this.text)?.[0];
      if (name === 'inf' || name === 'nan') throw new Refusal(`float '${ch}${name}' has no JSON form`);
    }
    const match = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
    match.lastIndex = this.pos;
    const literal = match.exec(this.text)?.[0] ?? '';
    const digits = /\d*/y;
    digits.lastIndex = this.pos;
    // saferepr cuts a number like any text: '12345...' (and then usually ', ...').
    if (this.text.startsWith('...', this.pos + digits.exec(this.text)![0].length)) {
      throw new Refusal(`number at ${start} cut short by '...'`, 'cut');
    }
    if (!literal) throw this.unexpected('in a number');
    this.pos += literal.length;
    const after = this.text.slice(this.pos, this.pos + 5);
    if (/^[eE]?[+-]?\.\.\./.test(after)) throw new Refusal(`number at ${start} cut short by '...'`, 'cut');
    if (/^[jJ]/.test(after)) throw new Refusal(`complex number at ${start} has no JSON form`);
    if (/^[\w.]/.test(after)) throw new Refusal(`unsupported number syntax at ${start}`);
    if (/[.eE]/.test(literal)) {
      const x = Number(literal);
      if (!Number.isFinite(x)) throw new Refusal(`float ${literal} overflows to inf, which has no JSON form`);
      return sign * x;
    }
    if (/^0\d/.test(literal) && /[1-9]/.test(literal)) {
      throw new Refusal(`integer with leading zeros at ${start} is not valid Python`);
    }
    const n = Number(literal);
    if (!Number.isSafeInteger(n)) {
      throw new Refusal(
        `integer ${sign < 0 ? '-' : ''}${literal} is beyond 2^53 and has no exact JSON number`,
      );
    }
    return n === 0 ? 0 : sign * n;
  }

  private name(): Json {
    const start = this.pos;
    const word = /[A-Za-z_][A-Za-z0-9_]*/y;
    word.lastIndex = start;
    const id = word.exec(this.text)![0];
    this.pos += id.length;
    const next = this.text[this.pos];
    if ((next === "'" || next === '"') && STRING_PREFIXES.has(id.toLowerCase()))
      return this.string(id.toLowerCase());
    if (this.text.startsWith('...', this.pos))
      throw new Refusal(`name at ${start} cut short by '...'`, 'cut');
    if (id === 'None') return null;
    if (id === 'True') return true;
    if (id === 'False') return false;
    if (id === 'inf' || id === 'nan') throw new Refusal(`float '${id}' has no JSON form`);
    const dotted = /[A-Za-z0-9_.]*/y;
    dotted.lastIndex = this.pos;
    this.pos += dotted.exec(this.text)![0].length;
    const full = this.text.slice(start, this.pos);
    this.skipSpace();
    if (this.text[this.pos] === '(') throw new Refusal(`'${full}(...)' at ${start} is a call, not a literal`);
    throw new Refusal(`name '${full}' at ${start} is not a literal`);
  }

  private string(prefix: string): string {
    const start = this.pos - prefix.length;
    const quote = this.text[this.pos]!;
    if (prefix.includes('b')) throw new Refusal('bytes literal has no exact JSON form');
    if (prefix.includes('f')) throw new Refusal(`f-string at ${start} is not a literal`);
    if (this.text.startsWith(quote.repeat(3), this.pos)) {
      throw new Refusal(`triple-quoted string at ${start} is not supported`);
    }
    this.pos++;
    const value =
      this.dialect === 'celery' && quote === "'" && prefix === ''
        ? this.safereprBody()
        : this.pythonBody(prefix);
    if (this.dialect === 'celery' && value.endsWith('...')) {
      throw new Refusal(`string at ${start} ends in '...' and may have been cut by Celery's saferepr`, 'cut');
    }
    return value;
  }

  /** saferepr's `'` + s.replace("'", "\\'") + `'`: only `\'` is an escape, all else is raw. */
  private safereprBody(): string {
    let out = '';
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === undefined) throw new Refusal(INCOMPLETE_REASON, 'eof');
      if (ch === '\\' && this.text[this.pos + 1] === "'") {
        const closing = this.closes.has(this.pos);
        this.pos += 2;
        if (closing) return `${out}\\`;
        out += "'";
      } else if (ch === "'") {
        this.pos++;
        return out;
      } else {
        out += ch;
        this.pos++;
      }
    }
  }

  /** A Python source string body (after the opening quote), honouring a raw prefix. */
  private pythonBody(prefix: string): string {
    const quote = this.text[this.pos - 1]!;
    const raw = prefix.includes('r');
    let out = '';
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === undefined) throw new Refusal(INCOMPLETE_REASON, 'eof');
      if (ch === quote) {
        this.pos++;
        return out;
      }
      if (ch === '\n' || ch === '\r') throw new Refusal(`line break inside a string at ${this.pos}`);
      if (ch !== '\\') {
        out += ch;
        this.pos++;
        continue;
      }
      const next = this.text[this.pos + 1];
      if (next === undefined) throw new Refusal(INCOMPLETE_REASON, 'eof');
      if (raw) {
        // In a raw string a backslash only stops the next character from ending the string.
        out += ch + next;
        this.pos += 2;
        continue;
      }
      const escaped = readEscape(this.text, this.pos);
      out += escaped.value;
      this.pos = escaped.end;
    }
  }

  private peek(): string | undefined {
    this.skipSpace();
    const ch = this.text[this.pos];
    if (ch === undefined) throw new Refusal(INCOMPLETE_REASON, 'eof');
    return ch;
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && ' \t\n\r\f\v'.includes(this.text[this.pos]!)) this.pos++;
  }

  private unexpected(where: string): Refusal {
    const ch = this.text[this.pos];
    if (ch === undefined) return new Refusal(INCOMPLETE_REASON, 'eof');
    return new Refusal(`unexpected ${JSON.stringify(ch)} at ${this.pos}${where ? ` ${where}` : ''}`);
  }
}
