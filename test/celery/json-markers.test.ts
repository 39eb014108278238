import { describe, expect, it } from 'vitest';
import { describeMarker, isJsonMarker } from '../../src/celery/json-markers.js';

describe('isJsonMarker', () => {
  it('an object with exactly __type__ and __value__', () => {
    expect(isJsonMarker({ __type__: 'datetime', __value__: '2024-05-01T10:00:00+00:00' })).toBe(true);
    expect(isJsonMarker({ __value__: { hex: 'ab' }, __type__: 'uuid' })).toBe(true);
    expect(isJsonMarker({ __type__: 'my.Type', __value__: null })).toBe(true);
  });

  it('anything else', () => {
    expect(isJsonMarker({ __type__: 'datetime', __value__: 'x', extra: 1 })).toBe(false);
    expect(isJsonMarker({ __type__: 'datetime' })).toBe(false);
    expect(isJsonMarker({ __type__: 5, __value__: 'x' })).toBe(false);
    expect(isJsonMarker([['__type__', 'x']])).toBe(false);
    expect(isJsonMarker(null)).toBe(false);
    expect(isJsonMarker('datetime')).toBe(false);
  });
});

describe('describeMarker', () => {
  it('the kombu 5.3 types', () => {
    expect(describeMarker({ __type__: 'datetime', __value__: '2024-05-01T10:00:00+00:00' })).toBe(
      '2024-05-01T10:00:00+00:00',
    );
    expect(describeMarker({ __type__: 'date', __value__: '2024-05-01' })).toBe('2024-05-01');
    expect(describeMarker({ __type__: 'time', __value__: '10:00:00' })).toBe('10:00:00');
    expect(describeMarker({ __type__: 'decimal', __value__: '3.14' })).toBe('3.14');
    expect(
      describeMarker({
        __type__: 'uuid',
        __value__: { hex: '1FD839F238864AD6A78F8A3D4BACA96D', version: 4 },
      }),
    ).toBe('1fd839f2-3886-4ad6-a78f-8a3d4baca96d');
    expect(describeMarker({ __type__: 'bytes', __value__: 'héllo' })).toBe('b"héllo"');
    expect(describeMarker({ __type__: 'base64', __value__: '//4=' })).toBe('<2 bytes>');
  });

  it('unknown types, odd values and non-markers', () => {
    expect(describeMarker({ __type__: 'my.Type', __value__: [1] })).toBe('my.Type: [1]');
    expect(describeMarker({ __type__: 'datetime', __value__: 5 })).toBe('datetime: 5');
    expect(describeMarker({ a: 1 })).toBe('{"a":1}');
    expect(describeMarker(undefined)).toBe('undefined');
    expect(describeMarker({ __type__: 'bytes', __value__: 'x'.repeat(1000) }).length).toBeLessThanOrEqual(
      200,
    );
  });
});
