import { describe, expect, it } from 'vitest';
import { parseJson } from '../../src/celery/decoded.js';
import {
  cloneJson,
  containsExactNumber,
  ExactNumber,
  isExactNumber,
  mayHoldUnsafeInteger,
  parseJsonExact,
  prettyJsonText,
  stringifyExact,
} from '../../src/celery/json-exact.js';
import { jsonValueText } from '../../src/celery/json-span.js';
import { decodeResultMeta } from '../../src/celery/result-meta.js';
import { jsonLine } from '../../src/output/json-line.js';

describe('lenient JSON: Python json.dumps NaN and Infinity', () => {
  it('JSON.parse rejects it, parseJson reads it as ExactNumber', () => {
    const text = '[NaN, Infinity, -Infinity, 1.5, "NaN"]';
    expect(() => JSON.parse(text)).toThrow();
    const parsed = parseJson(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const [nan, inf, minus, plain, str] = parsed.value as unknown[];
    expect(isExactNumber(nan) && Number.isNaN(nan.value)).toBe(true);
    expect(isExactNumber(inf) && inf.value).toBe(Number.POSITIVE_INFINITY);
    expect(isExactNumber(minus) && minus.text).toBe('-Infinity');
    expect(plain).toBe(1.5);
    expect(str).toBe('NaN');
  });

  it('written back exactly for a Python reader, as strings for strict JSON', () => {
    const value = parseJsonExact('{"a": NaN, "b": [-Infinity]}');
    expect(stringifyExact(value)).toBe('{"a":NaN,"b":[-Infinity]}');
    expect(stringifyExact(value, { nonFinite: 'string' })).toBe('{"a":"NaN","b":["-Infinity"]}');
  });

  it('a result meta holding NaN is readable (it failed as a whole before)', () => {
    const meta = decodeResultMeta('{"status": "SUCCESS", "result": NaN, "task_id": "t1", "traceback": null}');
    expect(meta.ok).toBe(true);
    if (meta.ok) expect(stringifyExact(meta.value.result)).toBe('NaN');
  });

  it('still rejects text that is not JSON, with JSON.parse own message', () => {
    const r = parseJson('[NaN, nope]');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/^not JSON: /);
    expect(() => parseJsonExact('[NaN,]')).toThrow(SyntaxError);
    expect(() => parseJsonExact('-NaN')).toThrow(SyntaxError);
  });

  it('the raw-span reader passes NaN through, so a retry can copy the text', () => {
    expect(jsonValueText('{"args": [NaN, -Infinity], "k": 1}', ['args'])).toBe('[NaN, -Infinity]');
  });
});

describe('integers past 2^53', () => {
  const big = '123456789012345678901';

  it('kept as their digits, safe ones stay numbers', () => {
    const parsed = parseJson(`{"a": ${big}, "b": 9007199254740991, "c": -9007199254740993, "d": 1e400}`);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const v = parsed.value as Record<string, unknown>;
    expect(v.a).toEqual(new ExactNumber(big));
    expect(v.b).toBe(9007199254740991);
    expect((v.c as ExactNumber).text).toBe('-9007199254740993');
    expect((v.d as ExactNumber).text).toBe('1e400');
    expect(stringifyExact(parsed.value)).toBe(
      `{"a":${big},"b":9007199254740991,"c":-9007199254740993,"d":1e400}`,
    );
  });

  it('digits in strings and big floats keep their plain values', () => {
    expect(parseJson('{"id": "1234567890123456789", "n": 1}')).toEqual({
      ok: true,
      value: { id: '1234567890123456789', n: 1 },
    });
    expect(parseJson('[1e20, 2.5e300]')).toEqual({ ok: true, value: [1e20, 2.5e300] });
    expect(mayHoldUnsafeInteger(JSON.parse('{"a": [9007199254740992]}'))).toBe(true);
    expect(mayHoldUnsafeInteger(JSON.parse('{"a": [9007199254740991, -9007199254740991]}'))).toBe(false);
  });

  it('exact in --json lines and not forgeable by a string that looks like a placeholder', () => {
    const args = parseJsonExact(`[${big}, NaN, "\\u0000abc:5"]`);
    const line = jsonLine({ args }, ['1']);
    expect(line).toBe(`{"args":[${big},"NaN","\\u0000abc:5"]}`);
    expect(JSON.parse(line).args.slice(1)).toEqual(['NaN', '\u0000abc:5']);
  });

  it('a plain JSON.stringify (recorder, old encoders) rounds, which inexact checks then flag', () => {
    const value = parseJsonExact(`[${big}, NaN]`);
    expect(JSON.stringify(value)).toBe('[123456789012345680000,"NaN"]');
    expect(containsExactNumber(value)).toBe(true);
    expect(containsExactNumber([1, { a: 'x' }])).toBe(false);
  });

  it('cloneJson keeps ExactNumber (structuredClone would not); pretty text keeps digits', () => {
    const value = parseJsonExact(`{"a": [${big}]}`);
    const copy = cloneJson(value);
    expect(copy).not.toBe(value);
    expect(stringifyExact(copy)).toBe(`{"a":[${big}]}`);
    expect(prettyJsonText(`{"a": ${big}}`)).toBe(`{\n  "a": ${big}\n}`);
    expect(prettyJsonText('NaN')).toBe('NaN');
    expect(prettyJsonText('not json')).toBe('not json');
  });

  it('a __proto__ key stays data', () => {
    const value = parseJsonExact('{"__proto__": {"x": NaN}}') as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
