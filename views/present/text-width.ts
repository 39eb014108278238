/**
 * Display width of text in terminal cells, and truncation/padding by that width. Table cells
 * are cut by cells, not by UTF-16 units: a CJK task name takes two cells per character, a
 * combining accent none, and cutting by `.length` would push a row past the screen edge.
 */

// Zero-width: combining marks, zero-width space/joiners/marks, variation selectors.
const zeroWidth: [number, number][] = [
  [0x0300, 0x036f],
  [0x0483, 0x0489],
  [0x0591, 0x05bd],
  [0x0610, 0x061a],
  [0x064b, 0x065f],
  [0x200b, 0x200f],
  [0x20d0, 0x20ff],
  [0xfe00, 0xfe0f],
  [0xfe20, 0xfe2f],
];

/** Cells taken by one code point: 0, 1 or 2 (East Asian wide and emoji ranges). */
export function charWidth(code: number): number {
  if (code === 0) return 0;
  if (code < 0x300) return 1;
  if (zeroWidth.some(([from, to]) => code >= from && code <= to)) return 0;
  if (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1f64f) ||
    (code >= 0x1f900 && code <= 0x1f9ff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** Terminal cells `text` takes (it must already be sanitized: no control characters). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += charWidth(char.codePointAt(0)!);
  return width;
}

/** `text` cut to at most `width` cells, ending in '…' when something was cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (displayWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const char of text) {
    const w = charWidth(char.codePointAt(0)!);
    if (used + w > width - 1) break;
    out += char;
    used += w;
  }
  return `${out}…`;
}

/** `text` truncated and padded with spaces to exactly `width` cells. */
export function fitWidth(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const cut = truncate(text, width);
  const room = ' '.repeat(Math.max(0, width - displayWidth(cut)));
  return align === 'right' ? room + cut : cut + room;
}

/**
 * `text` hard-wrapped into lines of at most `width` cells (continuations indented by `indent`
 * spaces), for tracebacks and JSON in detail views where cutting would hide the cause.
 */
export function wrap(text: string, width: number, indent = 2): string[] {
  const out: string[] = [];
  for (const source of text.split('\n')) {
    let line = '';
    let used = 0;
    let first = true;
    for (const char of source) {
      const w = charWidth(char.codePointAt(0)!);
      if (used + w > width && line !== '') {
        out.push(line);
        first = false;
        line = ' '.repeat(indent);
        used = indent;
      }
      line += char;
      used += w;
    }
    if (line !== '' || first) out.push(line);
  }
  return out;
}

/**
 * `text` word-wrapped into lines of at most `width` cells, breaking at spaces, for prose such as
 * a confirmation (a hard wrap would split the queue name the operator is asked to check). A word
 * longer than a line is hard-wrapped.
 */
export function wordWrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const joined = line === '' ? word : `${line} ${word}`;
    if (displayWidth(joined) <= width) line = joined;
    else {
      if (line !== '') out.push(line);
      const pieces = wrap(word, width, 0);
      line = pieces.pop() ?? '';
      out.push(...pieces);
    }
  }
  out.push(line);
  return out;
}

/** The last `width` cells of `text` (left-padded), for sparklines whose newest sample is last. */
export function fitEnd(text: string, width: number): string {
  const chars = [...text];
  let out = '';
  let used = 0;
  for (let i = chars.length - 1; i >= 0; i--) {
    const w = charWidth(chars[i]!.codePointAt(0)!);
    if (used + w > width) break;
    out = chars[i] + out;
    used += w;
  }
  return ' '.repeat(Math.max(0, width - used)) + out;
}
