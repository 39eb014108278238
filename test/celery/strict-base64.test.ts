import { describe, expect, it } from 'vitest';
import { strictBase64 } from '../../src/celery/envelope.js';

// The rule strictBase64 replaces: Python's b64encode output, standard alphabet, padded.
const pattern = /^[A-Za-z0-9+/]*={0,2}$/;
const byRule = (s: string): boolean => s.length % 4 === 0 && pattern.test(s);

/** A deterministic generator (no Math.random: a failure must reproduce). */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

describe('strictBase64', () => {
  it('decodes what Python writes, padded or not, to the same bytes', () => {
    const next = lcg(7);
    for (let n = 0; n < 200; n++) {
      const bytes = Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256)));
      const text = bytes.toString('base64');
      expect(strictBase64(text)?.equals(bytes), text).toBe(true);
    }
  });

  it('rejects what the alphabet rule rejects', () => {
    for (const body of ['not base64!!', 'QUJD=', 'QU=J', 'QUJD\n', 'QUJ', '====', 'QUJD===', 'QQ==QUJD']) {
      expect(strictBase64(body), body).toBeNull();
    }
    // Buffer.from takes base64url's letters and skips spaces and non-ASCII: strictBase64 does not.
    for (const body of ['QU-D', 'QU_D', 'QU D', 'QUJé', 'Q===', 'QUJD=A==', 'QUJDA===']) {
      expect(strictBase64(body), body).toBeNull();
    }
  });

  it('agrees with the alphabet rule on mutated Base64 (20,000 cases)', () => {
    const next = lcg(42);
    const odd = ['=', '-', '_', ' ', '\n', '.', '!', 'é', '\u0000', 'A', '/', '+'];
    let accepted = 0;
    let rejected = 0;
    for (let i = 0; i < 20_000; i++) {
      const bytes = Buffer.from(
        Array.from({ length: Math.floor(next() * 12) }, () => Math.floor(next() * 256)),
      );
      const chars = [...bytes.toString('base64')];
      const edits = Math.floor(next() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(next() * (chars.length + 1));
        const c = odd[Math.floor(next() * odd.length)]!;
        const how = next();
        if (how < 0.4) chars.splice(at, 0, c);
        else if (how < 0.8) chars.splice(at, 1, c);
        else chars.splice(at, 1);
      }
      const text = chars.join('');
      const expected = byRule(text);
      expect(strictBase64(text) !== null, JSON.stringify(text)).toBe(expected);
      if (expected) accepted++;
      else rejected++;
    }
    // Both sides of the rule were exercised.
    expect(accepted).toBeGreaterThan(1_000);
    expect(rejected).toBeGreaterThan(1_000);
  });
});
