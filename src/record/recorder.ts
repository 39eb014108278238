/**
 * Writing a recording: the header line, then one line per action, bounded in bytes. Lines go
 * through `jsonLine`, the same writer as `qtop --json`: the known passwords and any
 * `scheme://user:password@` inside a string (an error message that echoes a URL) are masked,
 * so a recording can be attached to an incident ticket. The value is otherwise unchanged.
 */
import { jsonLine } from '../output/json-line.js';
import type { Action } from '../store/actions.js';
import type { RecordHeader } from './format.js';

export interface RecorderOptions {
  /** Appends text to the recording; called with whole lines only. */
  write: (text: string) => void;
  /** The file never grows past this many bytes. */
  maxBytes: number;
  /** Passwords to mask wherever they appear. */
  secrets: readonly (string | undefined)[];
}

export interface Recorder {
  /** Append `action`; false (and nothing written) once it would pass `maxBytes`: the recording is full. */
  record(action: Action): boolean;
  readonly bytes: number;
  readonly actions: number;
  readonly full: boolean;
}

/** Start a recording with `header`; throws when even the header does not fit. */
export function createRecorder(header: RecordHeader, options: RecorderOptions): Recorder {
  let bytes = 0;
  let actions = 0;
  let full = false;
  const append = (value: unknown): boolean => {
    const line = `${jsonLine(value, options.secrets)}\n`;
    const size = Buffer.byteLength(line);
    if (full || bytes + size > options.maxBytes) {
      full = true;
      return false;
    }
    options.write(line);
    bytes += size;
    return true;
  };
  if (!append(header)) throw new Error(`the recording header alone is larger than ${options.maxBytes} bytes`);
  return {
    record(action) {
      if (!append(action)) return false;
      actions += 1;
      return true;
    },
    get bytes() {
      return bytes;
    },
    get actions() {
      return actions;
    },
    get full() {
      return full;
    },
  };
}
