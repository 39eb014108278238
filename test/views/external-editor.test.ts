import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { editorCommand, externalEditor } from '../../views/screen/external-editor.js';
import {
  enterSequence,
  leaveSequence,
  mouseOffSequence,
  mouseOnSequence,
} from '../../views/screen/terminal-session.js';

// The screen steps aside for the operator's editor: raw mode off and the main screen back while it
// runs, everything put back and redrawn after, and the temporary file gone.
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function script(body: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtop-editor-test-'));
  dirs.push(dir);
  const file = path.join(dir, 'editor.sh');
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

function terminal() {
  const steps: string[] = [];
  return {
    steps,
    stdin: { isTTY: true, setRawMode: (mode: boolean) => steps.push(`raw ${mode}`) },
    stdout: {
      write: (text: string) =>
        steps.push(text === leaveSequence ? 'leave' : text === enterSequence ? 'enter' : text),
    },
    redraw: () => steps.push('redraw'),
  };
}

describe('external editor', () => {
  it('prefers $VISUAL, then $EDITOR; none when both are empty', () => {
    expect(editorCommand({ VISUAL: 'code -w', EDITOR: 'vi' })).toBe('code -w');
    expect(editorCommand({ VISUAL: ' ', EDITOR: 'vi' })).toBe('vi');
    expect(editorCommand({})).toBeNull();
  });

  it('runs the editor on a private file with the terminal handed over, and reads what it wrote', async () => {
    const seen = path.join(os.tmpdir(), `qtop-editor-seen-${process.pid}`);
    dirs.push(seen);
    const editor = script(`cp "$1" "${seen}"; printf 'edited' > "$1"; echo "$1" >> "${seen}.path"`);
    dirs.push(`${seen}.path`);
    const t = terminal();
    const text = await externalEditor(editor, t, process.env)('{"args": []}\n');
    expect(text).toBe('edited');
    expect(fs.readFileSync(seen, 'utf8')).toBe('{"args": []}\n');
    expect(t.steps).toEqual(['raw false', 'leave', 'enter', 'raw true', 'redraw']);
    const used = fs.readFileSync(`${seen}.path`, 'utf8').trim();
    expect(fs.existsSync(used)).toBe(false);
  });

  it('gives null when the editor exits with an error, and still puts the terminal back', async () => {
    const t = terminal();
    expect(await externalEditor(script('exit 3'), t, process.env)('x')).toBeNull();
    expect(t.steps).toEqual(['raw false', 'leave', 'enter', 'raw true', 'redraw']);
  });

  it('with the mouse on, the editor gets the terminal without mouse reporting, and it comes back after', async () => {
    const t = { ...terminal(), mouse: true };
    await externalEditor(script('exit 0'), t, process.env)('x');
    expect(t.steps).toEqual([
      'raw false',
      mouseOffSequence + leaveSequence,
      enterSequence + mouseOnSequence,
      'raw true',
      'redraw',
    ]);
  });
});
