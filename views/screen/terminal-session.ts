/**
 * The terminal around the screen: the alternate screen buffer on the way in, and everything put
 * back on the way out (cursor shown, main buffer back, raw mode off), once, whichever way the
 * run ends: q, Ctrl-C, SIGTERM, SIGHUP, a crash, or `process.exit` from somewhere else.
 * Ink 6.8 has no alternate-screen option, so qtop writes the xterm sequences itself.
 */

// xterm private modes (ctlseqs): 1049 = save cursor + alternate screen + clear; 25 = cursor.
/** Alternate screen on, cursor home, screen cleared. */
export const enterSequence = '\u001b[?1049h\u001b[H\u001b[2J';
/** Cursor shown, main screen back (with its content and cursor as they were). */
export const leaveSequence = '\u001b[?25h\u001b[?1049l';

/** The terminal state qtop changed, and how to put it back. */
export interface TerminalSession {
  /** Put the terminal back; safe to call more than once, and from a process 'exit' handler. */
  restore(): void;
}

interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

interface Input {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

/** Switch `stdout` to the alternate screen (only when it is a terminal). */
export function openTerminal(stdout: Output, stdin: Input): TerminalSession {
  const active = stdout.isTTY === true;
  if (active) stdout.write(enterSequence);
  let restored = false;
  return {
    restore() {
      if (restored || !active) return;
      restored = true;
      try {
        if (stdin.isTTY) stdin.setRawMode?.(false);
      } catch {
        // stdin already closed (SIGHUP): nothing left to restore there
      }
      try {
        stdout.write(leaveSequence);
      } catch {
        // the terminal is gone: nothing to restore
      }
    },
  };
}
