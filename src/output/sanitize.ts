/**
 * Everything drawn on the screen that came from the cluster (task names, args, results,
 * tracebacks, hostnames, queue names) goes through `sanitize` first. A task result can hold any
 * bytes a worker chose to return, and a terminal obeys escape sequences wherever they appear:
 * `ESC[2J` clears the screen, OSC 52 writes the operator's clipboard, OSC 8 hides a link behind
 * innocent text, C1 `\x9b` is a one-byte CSI, and the bidi overrides reorder what is read.
 */

// C0 controls, DEL, C1 controls, and the bidi embedding/override/isolate/mark characters
// (Unicode TR9: U+202A-202E, U+2066-2069, plus LRM/RLM U+200E-200F and ALM U+061C).
const hostile = /\r\n|[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Where a caller allows line breaks (multi-line blocks such as tracebacks). */
export interface SanitizeOptions {
  /** Keep line feeds (and turn CRLF into LF); otherwise they show as a visible `\n`. */
  newlines?: boolean;
}

function visible(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return code < 0x100
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every terminal control character replaced by a visible escape (`\x1b`, `\x9b`,
 * `\u202e`), so the bytes of a hostile sequence can be read but never act. Tabs become one
 * space (column widths are computed per character). Pure; the same input gives the same output.
 */
export function sanitize(text: string, options: SanitizeOptions = {}): string {
  return text.replace(hostile, (match) => {
    if (match === '\r\n') return options.newlines ? '\n' : '\\r\\n';
    if (match === '\n') return options.newlines ? '\n' : '\\n';
    if (match === '\t') return ' ';
    return visible(match);
  });
}

/** `sanitize` for a value that may be missing: null and undefined become `fallback`. */
export function clean(text: string | null | undefined, fallback = '-'): string {
  return text === null || text === undefined || text === '' ? fallback : sanitize(text);
}
