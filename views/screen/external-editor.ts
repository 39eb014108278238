/**
 * The operator's own editor ($VISUAL, else $EDITOR) for edit and retry. Ink owns the terminal,
 * so while the editor runs the screen steps aside: raw mode off, the main screen back, the editor
 * run to its end with the terminal to itself (spawnSync: nothing of qtop reads keys meanwhile),
 * then the alternate screen and raw mode again and a full redraw. The text goes through a private
 * temporary file that is removed afterwards.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EditText } from '../state/edit-text.js';
import { enterSequence, leaveSequence, mouseOffSequence, mouseOnSequence } from './terminal-session.js';

/** The editor command the environment names, or null when none is set. */
export function editorCommand(env: NodeJS.ProcessEnv): string | null {
  const named = (env.VISUAL ?? '').trim() || (env.EDITOR ?? '').trim();
  return named === '' ? null : named;
}

interface Terminal {
  stdin: { isTTY?: boolean; setRawMode?(mode: boolean): unknown };
  stdout: { write(text: string): unknown };
  /** Mouse reporting is on: the editor gets a terminal without it (its own mouse mode, if any). */
  mouse?: boolean;
  /** Forget what was drawn, so the next frame is drawn whole (Ink's `clear`). */
  redraw(): void;
}

/** Run `command file` through the shell (editors are often given with flags: `code -w`, `vim -u NONE`). */
function runEditor(command: string, file: string, env: NodeJS.ProcessEnv): boolean {
  const result = spawnSync('/bin/sh', ['-c', `${command} "$1"`, 'qtop-editor', file], {
    stdio: 'inherit',
    env,
  });
  return result.status === 0;
}

/** An `EditText` over the editor `command`, stepping the screen aside on `terminal`. */
export function externalEditor(command: string, terminal: Terminal, env: NodeJS.ProcessEnv): EditText {
  return async (text) => {
    const dir = mkdtempSync(join(tmpdir(), 'qtop-call-'));
    const file = join(dir, 'call.json');
    const raw = terminal.stdin.isTTY === true;
    try {
      writeFileSync(file, text, { mode: 0o600 });
      if (raw) terminal.stdin.setRawMode?.(false);
      terminal.stdout.write((terminal.mouse ? mouseOffSequence : '') + leaveSequence);
      const ok = runEditor(command, file, env);
      return ok ? readFileSync(file, 'utf8') : null;
    } finally {
      terminal.stdout.write(enterSequence + (terminal.mouse ? mouseOnSequence : ''));
      if (raw) terminal.stdin.setRawMode?.(true);
      terminal.redraw();
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
