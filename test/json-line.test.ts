import { describe, expect, it } from 'vitest';
import { jsonLine } from '../src/output/json-line.js';

const hostile =
  '\x1b]52;c;ZXZpbA==\x07\u009b31m\u0085\u202egnp.exe\u2066\u2069\u200f\u061c\u2028\u2029\u007f';

describe('jsonLine', () => {
  it('escapes everything a terminal could act on, and the value parses back unchanged', () => {
    const value = { name: hostile, args: [hostile, { [hostile]: 1 }], n: 1.5, ok: true, none: null };
    const line = jsonLine(value);
    expect(line).toMatch(/^[\x20-\x7e]*$/); // only printable ASCII left for this input
    expect(line).toContain('\\u009b');
    expect(line).toContain('\\u202e');
    expect(JSON.parse(line)).toEqual(value);
  });

  it('keeps other text as UTF-8', () => {
    expect(jsonLine({ s: 'héllo 日本 \uFFFD' })).toBe('{"s":"héllo 日本 \uFFFD"}');
  });

  it('masks secrets inside values and keys, and stays valid JSON even for a password like "1"', () => {
    const line = jsonLine({ total: 1, items: [11, '1 and 1'], 'key-1': 'x', url: 'redis://:1@h' }, ['1']);
    expect(JSON.parse(line)).toEqual({
      total: 1,
      items: [11, '*** and ***'],
      'key-***': 'x',
      url: 'redis://:***@h',
    });
  });

  it('masks URL passwords in any string, known or not, as maskSecrets does', () => {
    const parsed = JSON.parse(jsonLine({ arg: 'connect to redis://user:hunter2@db:6379/0 now' }));
    expect(parsed.arg).toBe('connect to redis://user:***@db:6379/0 now');
  });

  it('masks a percent-encoded secret too', () => {
    expect(JSON.parse(jsonLine({ u: 'redis://h/?password=p%40ss' }, ['p@ss'])).u).toBe(
      'redis://h/?password=***',
    );
  });
});
