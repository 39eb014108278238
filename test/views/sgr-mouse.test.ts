import { describe, expect, it } from 'vitest';
import { decodeReport, MouseStripper } from '../../views/input/sgr-mouse.js';

describe('SGR mouse stripper', () => {
  it('takes a click out of the input and decodes it (0-based cells)', () => {
    const s = new MouseStripper();
    expect(s.push('a\x1b[<0;10;5Mb\x1b[<0;10;5mc')).toEqual({
      text: 'abc',
      events: [
        { kind: 'press', button: 0, x: 9, y: 4 },
        { kind: 'release', button: 0, x: 9, y: 4 },
      ],
    });
  });

  it('holds a report split across reads at every position, and types nothing of it', () => {
    const whole = 'x\x1b[<65;120;40My';
    for (let cut = 1; cut < whole.length; cut++) {
      const s = new MouseStripper();
      const a = s.push(whole.slice(0, cut));
      const b = s.push(whole.slice(cut));
      expect(a.text + b.text).toBe('xy');
      expect([...a.events, ...b.events]).toEqual([{ kind: 'wheel-down', button: null, x: 119, y: 39 }]);
    }
  });

  it('passes other escape sequences through untouched (arrows, Esc, bracketed paste)', () => {
    const s = new MouseStripper();
    expect(s.push('\x1b[A\x1b[B\x1b')).toEqual({ text: '\x1b[A\x1b[B', events: [] });
    expect(s.flush()).toBe('\x1b');
    expect(s.push('\x1b[<abc')).toEqual({ text: '\x1b[<abc', events: [] });
    expect(s.push('\x1b[200~pasted\x1b[201~').text).toBe('\x1b[200~pasted\x1b[201~');
  });

  it('does not hold an overlong report forever', () => {
    const s = new MouseStripper();
    const text = `\x1b[<${'1'.repeat(30)}`;
    expect(s.push(text).text).toBe(text);
  });

  it('decodes wheel, drag and modifier bits', () => {
    expect(decodeReport(64, 1, 1, 'M')).toEqual({ kind: 'wheel-up', button: null, x: 0, y: 0 });
    expect(decodeReport(32, 3, 4, 'M')).toEqual({ kind: 'drag', button: 0, x: 2, y: 3 });
    expect(decodeReport(2 + 16, 1, 1, 'M')).toEqual({ kind: 'press', button: 2, x: 0, y: 0 });
    expect(decodeReport(35, 1, 1, 'M')).toEqual({ kind: 'drag', button: null, x: 0, y: 0 });
  });
});
