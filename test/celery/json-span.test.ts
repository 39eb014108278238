import { describe, expect, it } from 'vitest';
import {
  inexactJsonNumber,
  jsonValueSpan,
  jsonValueText,
  spliceJsonValue,
} from '../../src/celery/json-span.js';

const envelope =
  '{"body": "W1sxLjBdLCB7fSwge31d", "content-type": "application/json", "headers": {"id": "a", "x": [1, {"y": "}"}]},' +
  ' "properties": {"delivery_info": {"exchange": "", "routing_key": "celery"}, "priority": 0}}';

describe('jsonValueSpan / jsonValueText', () => {
  it('finds values by key and index, as their raw text', () => {
    expect(jsonValueText(envelope, ['body'])).toBe('"W1sxLjBdLCB7fSwge31d"');
    expect(jsonValueText(envelope, ['properties', 'delivery_info', 'routing_key'])).toBe('"celery"');
    expect(jsonValueText(envelope, ['headers', 'x', 1])).toBe('{"y": "}"}');
    expect(jsonValueText('[1.0, 12345678901234567890]', [1])).toBe('12345678901234567890');
    expect(jsonValueText(' [1.0] ', [])).toBe('[1.0]');
  });

  it('keeps the last of repeated keys, as JSON.parse and Python do', () => {
    expect(jsonValueText('{"a": 1, "a": {"b": 2}}', ['a', 'b'])).toBe('2');
    expect(jsonValueText('{"a": {"b": 2}, "a": 3}', ['a', 'b'])).toBeNull();
  });

  it('returns null for missing paths and for text that is not JSON', () => {
    expect(jsonValueSpan(envelope, ['nope'])).toBeNull();
    expect(jsonValueSpan(envelope, ['headers', 'x', 5])).toBeNull();
    expect(jsonValueSpan('{"a": 1', ['a'])).toBeNull();
    expect(jsonValueSpan('{"a": 1} x', ['a'])).toBeNull();
    expect(jsonValueSpan('{"a": "\\"}"}', ['a'])).toEqual({ start: 6, end: 11 });
  });
});

describe('spliceJsonValue', () => {
  it('replaces exactly one value and keeps every other character', () => {
    const moved = spliceJsonValue(envelope, ['properties', 'delivery_info', 'routing_key'], '"other"')!;
    expect(moved).toBe(envelope.replace('"routing_key": "celery"', '"routing_key": "other"'));
    expect(spliceJsonValue(envelope, ['missing'], '1')).toBeNull();
  });
});

describe('inexactJsonNumber', () => {
  it('flags whole floats and integers beyond 2^53, never numbers inside strings', () => {
    expect(inexactJsonNumber('[1.0, 2]')).toBe('1.0');
    expect(inexactJsonNumber('{"a": 2e3}')).toBe('2e3');
    expect(inexactJsonNumber('[12345678901234567890]')).toBe('12345678901234567890');
    expect(inexactJsonNumber('[1.5, -3, 9007199254740991, "1.0", "\\"2.0"]')).toBeNull();
  });
});
