/**
 * SGR mouse reports (xterm mode 1006: `ESC [ < b ; x ; y M` on press, `m` on release) taken out
 * of terminal input before Ink's key parser sees it: Ink 6.8 knows no mouse, and would fire the
 * report's `[`, `<`, digits and `;` as keys. A report split across reads is held until it is
 * whole; anything that is not a mouse report passes through untouched, in order.
 * (xterm ctlseqs, "Mouse Tracking": SGR extended coordinates; button bits 0-1 the button,
 * 32 motion, 64 wheel; 4/8/16 shift/meta/ctrl.)
 */

/** One mouse report, 0-based cell coordinates. */
export interface MouseEvent {
  kind: 'press' | 'release' | 'drag' | 'wheel-up' | 'wheel-down';
  /** 0 left, 1 middle, 2 right; null for wheel and motion without a button. */
  button: 0 | 1 | 2 | null;
  x: number;
  y: number;
}

const prefix = '\x1b[<';
// A whole report; the parameters are bounded so a hostile stream cannot grow the held text.
const report = /^\x1b\[<(\d{1,5});(\d{1,5});(\d{1,5})([Mm])/;
/** Anything shaped like a report that is not a valid one: dropped whole. */
const malformed = /^\x1b\[<[\d;]{0,17}[Mm]/;
/** Longest report: ESC [ < + 3 x 5 digits + 2 `;` + final. */
const maxReport = prefix.length + 15 + 2 + 1;

/** Decodes the fields of one report. */
export function decodeReport(code: number, x: number, y: number, final: 'M' | 'm'): MouseEvent {
  const at = { x: Math.max(0, x - 1), y: Math.max(0, y - 1) };
  if (code & 64) return { kind: code & 1 ? 'wheel-down' : 'wheel-up', button: null, ...at };
  const bits = code & 3;
  const button = bits === 3 ? null : (bits as 0 | 1 | 2);
  if (code & 32) return { kind: 'drag', button, ...at };
  return { kind: final === 'M' ? 'press' : 'release', button, ...at };
}

/** Whether `text` could still become a report (a prefix of one). */
function couldBeReport(text: string): boolean {
  if (text.length >= maxReport) return false;
  if (text.length <= prefix.length) return prefix.startsWith(text);
  return text.startsWith(prefix) && /^[\d;]*$/.test(text.slice(prefix.length));
}

/** A stateful stripper: feed it chunks, get the text for Ink and the mouse events. */
export class MouseStripper {
  private held = '';

  /** The chunk without its mouse reports, and the reports, in order. */
  push(chunk: string): { text: string; events: MouseEvent[] } {
    let input = this.held + chunk;
    this.held = '';
    let text = '';
    const events: MouseEvent[] = [];
    while (input.length > 0) {
      const at = input.indexOf('\x1b');
      if (at < 0) {
        text += input;
        break;
      }
      text += input.slice(0, at);
      input = input.slice(at);
      const m = report.exec(input);
      const bad = m ? null : malformed.exec(input);
      if (m) {
        events.push(decodeReport(Number(m[1]), Number(m[2]), Number(m[3]), m[4] as 'M' | 'm'));
        input = input.slice(m[0].length);
      } else if (bad) {
        // A report with a missing or extra field (`ESC [ < 0 ; ; 3 M`): no event, and none of
        // its bytes typed either.
        input = input.slice(bad[0].length);
      } else if (couldBeReport(input)) {
        // The rest of the report is in the next read.
        this.held = input;
        break;
      } else {
        text += '\x1b';
        input = input.slice(1);
      }
    }
    return { text, events };
  }

  /** How much of the last chunk's end is held as the start of a report (0: nothing). */
  holding(): number {
    return this.held.length;
  }

  /** Text held for a report that never completed (e.g. a lone ESC at the end): give it back. */
  flush(): string {
    const rest = this.held;
    this.held = '';
    return rest;
  }
}
