import { describe, expect, it } from 'vitest';
import { mouseWanted } from '../../views/render.js';
import {
  enterSequence,
  leaveSequence,
  mouseOffSequence,
  mouseOnSequence,
  openTerminal,
} from '../../views/screen/terminal-session.js';
import { FakeTty } from './fake-tty.js';

function terminal() {
  const out = new FakeTty();
  const modes: boolean[] = [];
  const stdin = { isTTY: true, setRawMode: (m: boolean) => modes.push(m) };
  return { out, modes, stdin };
}

describe('mouse reporting and the terminal', () => {
  it('is turned on with the screen and off before the main screen comes back, once', () => {
    const { out, stdin } = terminal();
    const session = openTerminal(out, stdin, { mouse: true });
    expect(out.text()).toBe(enterSequence + mouseOnSequence);
    session.restore();
    session.restore();
    expect(out.text()).toBe(enterSequence + mouseOnSequence + mouseOffSequence + leaveSequence);
  });

  it('is off while the job is stopped and on again when it continues', () => {
    const { out, modes, stdin } = terminal();
    const session = openTerminal(out, stdin, { mouse: true });
    const from = out.written.length;
    session.suspend();
    expect(out.since(from)).toBe(mouseOffSequence + leaveSequence);
    expect(modes).toEqual([false]);
    const back = out.written.length;
    session.resume();
    expect(out.since(back)).toBe(enterSequence + mouseOnSequence);
    expect(modes).toEqual([false, true]);
    session.restore();
    expect(out.text().endsWith(mouseOffSequence + leaveSequence)).toBe(true);
  });

  it('a restore while stopped writes nothing more (the terminal is already back)', () => {
    const { out, stdin } = terminal();
    const session = openTerminal(out, stdin, { mouse: true });
    session.suspend();
    const from = out.written.length;
    session.restore();
    session.resume();
    expect(out.since(from)).toBe('');
  });

  it('is never turned on without the mouse option', () => {
    const { out, stdin } = terminal();
    openTerminal(out, stdin).restore();
    expect(out.text()).not.toContain('1000h');
  });

  it('is wanted on a terminal unless --no-mouse or TERM=dumb', () => {
    const tty = { isTTY: true };
    expect(mouseWanted({ env: { TERM: 'xterm-256color' } }, tty)).toBe(true);
    expect(mouseWanted({ env: { TERM: 'screen' }, mouse: true }, tty)).toBe(true);
    expect(mouseWanted({ env: { TERM: 'xterm' }, mouse: false }, tty)).toBe(false);
    expect(mouseWanted({ env: { TERM: 'dumb' } }, tty)).toBe(false);
    expect(mouseWanted({ env: { TERM: 'xterm' } }, { isTTY: false })).toBe(false);
  });
});
