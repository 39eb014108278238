import { describe, expect, it } from 'vitest';
import { stringifyExact } from '../../src/celery/json-exact.js';
import {
  callText,
  lineDiff,
  parseArgsText,
  parseCallText,
  parseKwargsText,
  sameCall,
} from '../../src/control/call-edit.js';

describe('call editing', () => {
  it('round-trips a call exactly: big ints and NaN as written', () => {
    const parsed = parseCallText('{"args": [12345678901234567890, NaN, 1.0], "kwargs": {"a": -Infinity}}');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(stringifyExact(parsed.value)).toBe(
      '{"args":[12345678901234567890,NaN,1],"kwargs":{"a":-Infinity}}',
    );
    expect(parseCallText(callText(parsed.value))).toEqual(parsed);
  });

  it('checks the shape', () => {
    expect(parseCallText('[]')).toMatchObject({ ok: false, error: expect.stringContaining('JSON object') });
    expect(parseCallText('{"args": {}}')).toMatchObject({ ok: false, error: 'args must be a JSON array' });
    expect(parseCallText('{"kwargs": []}')).toMatchObject({
      ok: false,
      error: 'kwargs must be a JSON object',
    });
    expect(parseCallText('{"kwargs": 7}')).toMatchObject({
      ok: false,
      error: 'kwargs must be a JSON object',
    });
    expect(parseCallText('{}')).toEqual({ ok: true, value: { args: [], kwargs: {} } });
    expect(parseArgsText('{"a": 1}')).toMatchObject({
      ok: false,
      error: expect.stringContaining('--args must be a JSON array'),
    });
    expect(parseKwargsText('[1]')).toMatchObject({
      ok: false,
      error: expect.stringContaining('--kwargs must be a JSON object'),
    });
    expect(parseKwargsText('NaN')).toMatchObject({ ok: false });
    expect(parseArgsText('[1,')).toMatchObject({
      ok: false,
      error: expect.stringContaining('--args is not JSON'),
    });
  });

  it('compares calls as written', () => {
    const a = parseCallText('{"args": [12345678901234567890]}');
    const b = parseCallText('{"args": [12345678901234567891]}');
    if (!a.ok || !b.ok) throw new Error('parse');
    expect(sameCall(a.value, a.value)).toBe(true);
    expect(sameCall(a.value, b.value)).toBe(false);
  });

  it('diffs line by line with context', () => {
    const before = 'a\nb\nc\nd\ne\nf\n';
    const after = 'a\nb\nC\nd\ne\nf\ng\n';
    expect(lineDiff(before, after)).toEqual(['  …', '  b', '- c', '+ C', '  d', '  …', '  f', '+ g']);
    expect(lineDiff('x\n', 'x\n')).toEqual([]);
  });
});
