/**
 * Pieces of the Python-literal reader (py-literal.ts) that need none of its parser state: how a
 * parse refuses, and the meaning of one backslash escape in a Python string literal.
 */

/** Reason given when a short text ends in the middle of a literal. */
export const INCOMPLETE_REASON = 'incomplete literal';

/** How a parse failed: `eof` and `cut` are signs of a truncated text, `plain` is anything else. */
export type FailKind = 'eof' | 'cut' | 'plain';

/** Thrown inside the reader and turned into a Decoded failure at its edge. */
export class Refusal {
  constructor(
    readonly reason: string,
    readonly kind: FailKind = 'plain',
  ) {}
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};
const HEX_ESCAPES: Record<string, number> = { x: 2, u: 4, U: 8 };

/**
 * The escape sequence whose backslash is at `text[at]`, Python rules: what it stands for and
 * where the text goes on. Throws a Refusal for a bad or unsupported one.
 */
export function readEscape(text: string, at: number): { value: string; end: number } {
  const next = text[at + 1];
  if (next === undefined) throw new Refusal(INCOMPLETE_REASON, 'eof');
  if (next === '\n') return { value: '', end: at + 2 }; // line continuation
  const simple = SIMPLE_ESCAPES[next];
  if (simple !== undefined) return { value: simple, end: at + 2 };
  const octal = /[0-7]{1,3}/y;
  octal.lastIndex = at + 1;
  const oct = octal.exec(text);
  if (oct) return { value: String.fromCodePoint(Number.parseInt(oct[0], 8)), end: at + 1 + oct[0].length };
  const width = HEX_ESCAPES[next];
  if (width !== undefined) {
    const hex = text.slice(at + 2, at + 2 + width);
    if (hex.length < width) throw new Refusal(INCOMPLETE_REASON, 'eof');
    if (!/^[0-9a-fA-F]+$/.test(hex)) throw new Refusal(`bad \\${next} escape at ${at}`);
    const code = Number.parseInt(hex, 16);
    if (code > 0x10ffff) throw new Refusal(`\\U escape at ${at} is beyond U+10FFFF`);
    return { value: String.fromCodePoint(code), end: at + 2 + width };
  }
  if (next === 'N') throw new Refusal(`named escape \\N{...} at ${at} is not supported`);
  return { value: `\\${next}`, end: at + 2 }; // Python keeps unknown escapes as they are
}
