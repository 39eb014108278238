import { describe, expect, it } from 'vitest';
import { clean, sanitize } from '../../src/output/sanitize.js';
import { hostile } from './cluster-fixture.js';

// Every character a terminal may act on: C0 (but LF, kept on request), DEL, C1, bidi controls.
const actionable = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('sanitize', () => {
  it.each(Object.entries(hostile))('makes %s visible and inert', (_name, sequence) => {
    const out = sanitize(`before ${sequence} after`);
    expect(out).not.toMatch(actionable);
    expect(out).not.toContain('\n');
    expect(out.startsWith('before ')).toBe(true);
    expect(out.endsWith(' after')).toBe(true);
  });

  it('shows the escapes so an operator can read what was sent', () => {
    expect(sanitize(hostile.clear)).toBe('\\x1b[2J');
    expect(sanitize(hostile.osc52)).toBe('\\x1b]52;c;cm0gLXJmIH4=\\x07');
    expect(sanitize(hostile.c1)).toBe('\\x9b31m');
    expect(sanitize(hostile.bidi)).toBe('\\u202egnp.exe');
    expect(sanitize('\u2066x\u2069\u200f\u061c')).toBe('\\u2066x\\u2069\\u200f\\u061c');
    expect(sanitize('a\u007fb\u0000c')).toBe('a\\x7fb\\x00c');
  });

  it('keeps newlines only when asked, and turns CRLF into LF', () => {
    expect(sanitize('a\nb\r\nc')).toBe('a\\nb\\r\\nc');
    expect(sanitize('a\nb\r\nc\rd', { newlines: true })).toBe('a\nb\nc\\x0dd');
  });

  it('turns a tab into one space and leaves ordinary text alone', () => {
    expect(sanitize('a\tb')).toBe('a b');
    const text = "app.add ValueError('ü 漢字 🙂') → ok";
    expect(sanitize(text)).toBe(text);
  });

  it('clean() gives a placeholder for missing values', () => {
    expect(clean(null)).toBe('-');
    expect(clean('', '?')).toBe('?');
    expect(clean('\u001b')).toBe('\\x1b');
  });
});
