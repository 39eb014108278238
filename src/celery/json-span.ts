/**
 * Byte-exact access to one value inside a JSON text, without parsing and re-serializing the rest.
 *
 * Why: JavaScript's JSON.parse cannot tell `1.0` from `1` and rounds integers beyond 2^53, so a
 * message that went through JSON.parse/JSON.stringify is no longer the call Celery sent. A retry
 * passes a queued message's body or a result meta's `args`/`kwargs` through as the original text
 * (wire doc 5.2 step 6: "the exact JSON body, passed through"; 10.1: `__type__` markers unchanged),
 * and moving a message rewrites only its `delivery_info.routing_key`. Pure; never throws.
 */

/** One step of a path: an object key or an array index. */
export type JsonPathStep = string | number;

/** Half-open character range `[start, end)` of a value's raw text. */
export interface JsonSpan {
  start: number;
  end: number;
}

class Scan {
  pos = 0;
  constructor(readonly text: string) {}

  ws(): void {
    while (/[ \t\r\n]/.test(this.text[this.pos] ?? '')) this.pos++;
  }

  /** Skip one string starting at `pos` (a `"`); returns its decoded value when `decode` (keys). */
  string(decode = false): string {
    const start = this.pos;
    this.pos++;
    while (this.pos < this.text.length && this.text[this.pos] !== '"') {
      this.pos += this.text[this.pos] === '\\' ? 2 : 1;
    }
    if (this.pos >= this.text.length) throw new Error('unterminated string');
    this.pos++;
    return decode ? (JSON.parse(this.text.slice(start, this.pos)) as string) : '';
  }

  /**
   * Skip the value at `pos`. With a non-empty `path`, also return the span of the value the path
   * names inside it (the last one when a key repeats: JSON.parse and Python keep the last too).
   */
  value(path: readonly JsonPathStep[], depth: number): JsonSpan | null {
    if (depth > 512) throw new Error('nested too deeply');
    this.ws();
    const ch = this.text[this.pos];
    const [step, ...rest] = path;
    let found: JsonSpan | null = null;
    if (ch === '{' || ch === '[') {
      const close = ch === '{' ? '}' : ']';
      this.pos++;
      this.ws();
      let index = 0;
      if (this.text[this.pos] === close) this.pos++;
      else {
        for (;;) {
          this.ws();
          let key: JsonPathStep = index++;
          if (close === '}') {
            key = this.string(true);
            this.ws();
            if (this.text[this.pos++] !== ':') throw new Error('expected :');
            this.ws();
          }
          const start = this.pos;
          const inner = key === step ? this.value(rest, depth + 1) : this.value([], depth + 1);
          if (key === step) found = rest.length === 0 ? { start, end: this.pos } : inner;
          this.ws();
          const sep = this.text[this.pos++];
          if (sep === close) break;
          if (sep !== ',') throw new Error(`expected , or ${close}`);
        }
      }
      return found;
    }
    if (ch === '"') this.string();
    else {
      // NaN/Infinity: Python's json.dumps writes them (json-exact.ts); they pass through as text.
      const match = /^-?Infinity|^NaN|^[-+0-9.eE]+|^true|^false|^null/.exec(
        this.text.slice(this.pos, this.pos + 400),
      );
      if (!match) throw new Error(`unexpected ${JSON.stringify(ch ?? 'end')}`);
      this.pos += match[0].length;
    }
    return null;
  }
}

/**
 * The raw text span of the value at `path` in `text` (a valid JSON document), or null when the path
 * does not exist or the text is not JSON. `[]` names the whole document (without surrounding spaces).
 */
export function jsonValueSpan(text: string, path: readonly JsonPathStep[]): JsonSpan | null {
  try {
    const scan = new Scan(text);
    scan.ws();
    const start = scan.pos;
    const found = scan.value(path, 0);
    const end = scan.pos;
    scan.ws();
    if (scan.pos !== text.length) return null;
    return path.length === 0 ? { start, end } : found;
  } catch {
    return null;
  }
}

/** The raw text of the value at `path`, or null (see {@link jsonValueSpan}). */
export function jsonValueText(text: string, path: readonly JsonPathStep[]): string | null {
  const span = jsonValueSpan(text, path);
  return span ? text.slice(span.start, span.end) : null;
}

/**
 * `text` with the value at `path` replaced by `replacementJson` (raw JSON text), every other character
 * unchanged; null when the path does not exist.
 */
export function spliceJsonValue(
  text: string,
  path: readonly JsonPathStep[],
  replacementJson: string,
): string | null {
  const span = jsonValueSpan(text, path);
  return span ? text.slice(0, span.start) + replacementJson + text.slice(span.end) : null;
}

/**
 * Numbers in a JSON text that JavaScript would not carry back exactly: an integer beyond 2^53, or a
 * float written with a fraction or exponent whose value is whole (`1.0`, `2e3`), which JSON.stringify
 * would write as an int. Returns the first such token, or null. Strings are skipped.
 */
export function inexactJsonNumber(text: string): string | null {
  const token = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
  for (const match of text.matchAll(token)) {
    const t = match[0];
    if (t.startsWith('"')) continue;
    const n = Number(t);
    if (/[.eE]/.test(t) ? Number.isInteger(n) : !Number.isSafeInteger(n)) return t;
  }
  return null;
}
