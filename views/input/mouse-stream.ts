/**
 * The stdin Ink reads when the mouse is on: a stream in front of the terminal's stdin that takes
 * SGR mouse reports out (sgr-mouse.ts) and hands every other byte to Ink unchanged, in order.
 * Ink 6.8 reads its stdin as a TTY ('readable' then read(), setRawMode, ref/unref); this stream
 * answers those calls itself and passes raw mode and ref/unref on to the real terminal. It is an
 * emitter, not a Readable, so a key reaches Ink in the same turn it was read (no stream buffering
 * hop to delay the key's frame).
 */
import { EventEmitter } from 'node:events';
import { StringDecoder } from 'node:string_decoder';
import { type MouseEvent, MouseStripper } from './sgr-mouse.js';

/** What the filter reads from: the terminal's stdin (or a test's stand-in). */
export interface RawInput {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  on(event: 'readable', listener: () => void): unknown;
  off(event: 'readable', listener: () => void): unknown;
  read(): Buffer | string | null;
  ref?(): unknown;
  unref?(): unknown;
}

/**
 * How long the start of a report (`ESC [ <`, `ESC [ < 1 2`) waits for its rest before it is
 * given to Ink as typed: long enough for a report split across reads over SSH, short enough that
 * a lone Esc press is not felt.
 */
export const holdMs = 30;
/** Held text shorter than `ESC [ <` is given to Ink at once (see feed). */
const minHeld = 3;

/** A stdin stand-in for Ink without mouse reports; `onMouse` gets them instead. */
export class MouseFilterStream extends EventEmitter {
  readonly isTTY = true;
  private readonly stripper = new MouseStripper();
  private readonly decoder = new StringDecoder('utf8');
  private reading = false;
  private timer: NodeJS.Timeout | null = null;
  private pending = '';
  // Read the way Ink reads a terminal ('readable', then read() until null).
  private readonly onReadable = () => {
    for (let chunk = this.source.read(); chunk !== null; chunk = this.source.read()) this.feed(chunk);
  };

  constructor(
    private readonly source: RawInput,
    private readonly onMouse: (event: MouseEvent) => void,
  ) {
    super();
  }

  /** What Ink reads on 'readable': everything passed since its last read, or null. */
  read(): string | null {
    const text = this.pending;
    this.pending = '';
    return text === '' ? null : text;
  }

  setEncoding(): this {
    // Always UTF-8 text: the decoder is ours.
    return this;
  }

  private push(text: string): void {
    this.pending += text;
    this.emit('readable');
  }

  /** Raw mode goes to the terminal; reading from it starts with raw mode and stops without. */
  setRawMode(mode: boolean): this {
    this.source.setRawMode?.(mode);
    if (mode && !this.reading) {
      this.reading = true;
      this.source.on('readable', this.onReadable);
    } else if (!mode && this.reading) {
      this.reading = false;
      this.source.off('readable', this.onReadable);
      this.release();
    }
    return this;
  }

  ref(): this {
    this.source.ref?.();
    return this;
  }

  unref(): this {
    this.source.unref?.();
    return this;
  }

  /** One read of the terminal: text to Ink, reports to `onMouse`. */
  feed(chunk: Buffer | string): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const { text: keys, events } = this.stripper.push(text);
    if (keys !== '') this.push(keys);
    for (const event of events) this.onMouse(event);
    const held = this.stripper.holding();
    // A lone ESC or `ESC [` is far likelier a key (Esc, Alt+[) than a report cut after its first
    // bytes: it goes to Ink at once, whose own parser waits for the rest of an escape sequence.
    if (held > 0 && held < minHeld) this.release();
    else if (held > 0) {
      this.timer = setTimeout(() => this.release(), holdMs);
      this.timer.unref?.();
    }
  }

  /** The start of a report that never completed is what the operator typed: give it to Ink. */
  private release(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const rest = this.stripper.flush();
    if (rest !== '') this.push(rest);
  }

  /** Stop reading the terminal and drop a held partial report. */
  destroy(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.reading) this.source.off('readable', this.onReadable);
    this.reading = false;
  }
}
