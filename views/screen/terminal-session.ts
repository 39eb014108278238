/**
 * The terminal around the screen: the alternate screen buffer on the way in, and everything put
 * back on the way out (cursor shown, main buffer back, raw mode off, mouse reporting off), once,
 * whichever way the run ends: q, Ctrl-C, SIGTERM, SIGHUP, a crash, or `process.exit` from
 * somewhere else; and for the time the job is stopped (SIGTSTP), taken again on SIGCONT.
 * Ink 6.8 has no alternate-screen option, so qtop writes the xterm sequences itself.
 */

// xterm private modes (ctlseqs): 1049 = save cursor + alternate screen + clear; 25 = cursor.
/** Alternate screen on, cursor home, screen cleared. */
export const enterSequence = '\u001b[?1049h\u001b[H\u001b[2J';
/** Cursor shown, main screen back (with its content and cursor as they were). */
export const leaveSequence = '\u001b[?25h\u001b[?1049l';

// xterm mouse modes: 1000 = report button presses, releases and the wheel; 1006 = as SGR
// (`ESC [ < b ; x ; y M`), which has no coordinate limit and never puts raw bytes in the input.
/** Mouse reporting on, as SGR. */
export const mouseOnSequence = '\u001b[?1000h\u001b[?1006h';
/** Mouse reporting off: the shell behind gets its clicks back. */
export const mouseOffSequence = '\u001b[?1006l\u001b[?1000l';

/** The terminal state qtop changed, and how to put it back. */
export interface TerminalSession {
  /** Put the terminal back; safe to call more than once, and from a process 'exit' handler. */
  restore(): void;
  /** Put the terminal back for a while (job control stop), keeping the session open. */
  suspend(): void;
  /** Take the terminal again after `suspend`. */
  resume(): void;
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
export function openTerminal(
  stdout: Output,
  stdin: Input,
  options: { mouse?: boolean } = {},
): TerminalSession {
  const active = stdout.isTTY === true;
  const mouse = active && options.mouse === true;
  const enter = () => {
    stdout.write(enterSequence);
    if (mouse) stdout.write(mouseOnSequence);
  };
  const leave = () => {
    try {
      if (stdin.isTTY) stdin.setRawMode?.(false);
    } catch {
      // stdin already closed (SIGHUP): nothing left to restore there
    }
    try {
      stdout.write((mouse ? mouseOffSequence : '') + leaveSequence);
    } catch {
      // the terminal is gone: nothing to restore
    }
  };
  if (active) enter();
  let restored = false;
  let suspended = false;
  return {
    restore() {
      if (restored || !active) return;
      restored = true;
      if (!suspended) leave();
    },
    suspend() {
      if (restored || suspended || !active) return;
      suspended = true;
      leave();
    },
    resume() {
      if (restored || !suspended) return;
      suspended = false;
      if (stdin.isTTY) stdin.setRawMode?.(true);
      enter();
    },
  };
}
