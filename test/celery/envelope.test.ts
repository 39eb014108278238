import { describe, expect, it } from 'vitest';
import { decodeEnvelope, decodeEnvelopeObject } from '../../src/celery/envelope.js';
import { envelopeText, expectFail, expectOk, fixture } from './fixture-files.js';

const pickleBytes = Buffer.from([0x80, 0x04, 0x95, 0x1f, 0x00, 0xff, 0xfe, 0x2e]);

describe('decodeEnvelope on a captured message', () => {
  it('task-message.json: every envelope field', () => {
    const raw = fixture('task-message.json');
    const env = expectOk(decodeEnvelope(raw));
    expect(env).toMatchObject({
      contentType: 'application/json',
      contentEncoding: 'utf-8',
      deliveryTag: 'b3e97a0c-bc10-4d78-9b03-2ae3b0eac6cf',
      deliveryInfo: { exchange: '', routingKey: 'celery' },
      priority: 0,
      redelivered: false,
      rawBytes: raw.length,
    });
    expect(env.payload).toEqual({
      kind: 'json',
      value: [[2, 3], {}, { callbacks: null, errbacks: null, chain: null, chord: null }],
    });
    expect(env.headers.task).toBe('app.add');
  });
});

describe('decodeEnvelope: body_encoding (wire doc 4.1)', () => {
  it('absent or utf-8: the body is the JSON text itself', () => {
    expect(expectOk(decodeEnvelope(envelopeText({ bodyEncoding: undefined, body: [1] }))).payload).toEqual({
      kind: 'json',
      value: [1],
    });
    expect(
      expectOk(decodeEnvelope(envelopeText({ bodyEncoding: 'utf-8', body: { a: 'héllo' } }))).payload,
    ).toEqual({
      kind: 'json',
      value: { a: 'héllo' },
    });
  });

  it('invalid base64 is rejected, not skipped over', () => {
    for (const body of ['not base64!!', 'QUJD=', 'QU=J', 'QUJD\n', 'QUJ', '====', 'QUJD===']) {
      expect(expectFail(decodeEnvelope(envelopeText({ rawBody: body }))), body).toBe('invalid base64 body');
    }
  });

  it('invalid UTF-8 inside base64', () => {
    const raw = envelopeText({ body: Buffer.from([0xff, 0xfe]) });
    expect(expectFail(decodeEnvelope(raw))).toBe('invalid UTF-8 body');
  });

  it('other encodings are unsupported', () => {
    expect(expectFail(decodeEnvelope(envelopeText({ bodyEncoding: 'gzip' })))).toBe(
      'unsupported body_encoding: "gzip"',
    );
    expect(expectFail(decodeEnvelope(envelopeText({ bodyEncoding: 64 })))).toBe(
      'unsupported body_encoding: 64',
    );
  });

  it('truncated JSON inside the body', () => {
    const raw = envelopeText({ body: Buffer.from('[[2, 3], {}') });
    expect(expectFail(decodeEnvelope(raw))).toMatch(/^not JSON: /);
  });
});

describe('decodeEnvelope: content-type', () => {
  it('pickle is reported, never decoded', () => {
    const env = expectOk(
      decodeEnvelope(envelopeText({ contentType: 'application/x-python-serialize', body: pickleBytes })),
    );
    expect(env.payload).toEqual({
      kind: 'opaque',
      contentType: 'application/x-python-serialize',
      reason: 'pickle payload, not decoded',
      bytes: pickleBytes.length,
    });
  });

  it('a pickle content-type is opaque even when the bytes happen to be JSON', () => {
    const env = expectOk(
      decodeEnvelope(envelopeText({ contentType: 'application/x-python-serialize', body: [1, 2] })),
    );
    expect(env.payload.kind).toBe('opaque');
  });

  it('msgpack, yaml and unknown types', () => {
    const reason = (contentType: string) => {
      const payload = expectOk(
        decodeEnvelope(envelopeText({ contentType, body: Buffer.from([1, 2, 3]) })),
      ).payload;
      return payload.kind === 'opaque' ? `${payload.reason} (${payload.bytes})` : 'json';
    };
    expect(reason('application/x-msgpack')).toBe('msgpack payload, not decoded (3)');
    expect(reason('application/x-yaml')).toBe('yaml payload, not decoded (3)');
    expect(reason('application/data')).toBe('application/data payload, not decoded (3)');
  });

  it('JSON with parameters and odd case is still JSON', () => {
    const env = expectOk(
      decodeEnvelope(envelopeText({ contentType: 'Application/JSON; charset=utf-8', body: [1] })),
    );
    expect(env.payload).toEqual({ kind: 'json', value: [1] });
  });

  it('missing content-type: JSON is tried, and the failure says so', () => {
    const env = expectOk(decodeEnvelope(envelopeText({ contentType: undefined, body: [1] })));
    expect(env.contentType).toBeNull();
    expect(env.payload).toEqual({ kind: 'json', value: [1] });
    const bad = envelopeText({ contentType: undefined, body: Buffer.from('\x80abc') });
    expect(expectFail(decodeEnvelope(bad))).toMatch(/^no content-type; not JSON: /);
  });
});

describe('decodeEnvelope: hostile shapes', () => {
  it('non-string and non-object input', () => {
    expect(expectFail(decodeEnvelope(undefined as unknown as string))).toBe(
      'input is not a string (undefined)',
    );
    expect(expectFail(decodeEnvelope(42 as unknown as string))).toBe('input is not a string (number)');
    expect(expectFail(decodeEnvelope(Buffer.from('{}') as unknown as string))).toBe(
      'input is not a string (object)',
    );
    expect(expectFail(decodeEnvelope(''))).toMatch(/^not JSON: /);
    expect(expectFail(decodeEnvelope('null'))).toBe('envelope is not a JSON object (null)');
    expect(expectFail(decodeEnvelope('[]'))).toBe('envelope is not a JSON object (array)');
    expect(expectFail(decodeEnvelope('"x"'))).toBe('envelope is not a JSON object (string)');
  });

  it('truncated envelope', () => {
    const raw = fixture('task-message.json');
    expect(expectFail(decodeEnvelope(raw.slice(0, raw.length - 1)))).toMatch(/^not JSON: /);
  });

  it('wrong types in the fixed fields fail with the field name', () => {
    expect(expectFail(decodeEnvelope(envelopeText({ headers: 'x' })))).toBe(
      'headers is not an object (string)',
    );
    expect(expectFail(decodeEnvelope(envelopeText({ rawBody: 5 })))).toBe('body is not a string (number)');
    expect(expectFail(decodeEnvelope('{"headers": {}}'))).toBe('envelope has no body');
    expect(expectFail(decodeEnvelope(envelopeText({ rawBody: { a: 1 } })))).toBe(
      'body is not a string (object)',
    );
    expect(expectFail(decodeEnvelope(envelopeText({ contentType: 7 })))).toBe(
      'content-type is not a string (number)',
    );
    const properties = JSON.stringify({ ...JSON.parse(envelopeText()), properties: [1] });
    expect(expectFail(decodeEnvelope(properties))).toBe('properties is not an object (array)');
  });

  it('wrong types in optional properties become null', () => {
    const raw = envelopeText({ properties: { delivery_tag: 5, priority: '9', delivery_info: 'celery' } });
    const env = expectOk(decodeEnvelope(raw));
    expect(env).toMatchObject({ deliveryTag: null, priority: null, deliveryInfo: null });
    const partial = envelopeText({ properties: { delivery_info: { routing_key: 'celery' } } });
    expect(expectOk(decodeEnvelope(partial)).deliveryInfo).toBeNull();
  });

  it('missing headers and properties read as empty', () => {
    const env = expectOk(decodeEnvelope(JSON.stringify({ body: '[1]', 'content-type': 'application/json' })));
    expect(env).toMatchObject({
      headers: {},
      properties: {},
      deliveryTag: null,
      deliveryInfo: null,
      priority: null,
    });
  });

  it('a __proto__ key stays plain data', () => {
    const raw = envelopeText({ headers: JSON.parse('{"__proto__": {"task": "app.add", "id": "x"}}') });
    const env = expectOk(decodeEnvelope(raw));
    expect(env.headers.task).toBeUndefined();
    expect(Object.getPrototypeOf(env.headers)).toBe(Object.prototype);
  });

  it('decodeEnvelopeObject takes a parsed value', () => {
    const parsed = JSON.parse(fixture('task-message.json'));
    expect(expectOk(decodeEnvelopeObject(parsed, 123)).rawBytes).toBe(123);
    expect(expectFail(decodeEnvelopeObject([parsed], 1))).toBe('envelope is not a JSON object (array)');
  });

  it('deeply nested JSON fails instead of overflowing the stack', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const decoded = decodeEnvelope(envelopeText({ bodyEncoding: 'utf-8', rawBody: deep }));
    expect(typeof decoded.ok).toBe('boolean');
  });
});
