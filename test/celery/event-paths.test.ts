import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeEventMessage } from '../../src/celery/events.js';
import { envelopeText, expectFail, expectOk } from './fixture-files.js';

// decodeEventMessage reads a worker's usual envelope on a fast path and everything else through
// the general envelope decoder: both must give the same events, and the general one its reasons.
const received = {
  hostname: 'w1@vm',
  utcoffset: 0,
  pid: 7,
  clock: 12,
  uuid: 'u1',
  name: 'app.add',
  args: '(2, 3)',
  kwargs: '{}',
  root_id: 'u1',
  parent_id: null,
  retries: 0,
  eta: null,
  expires: null,
  timestamp: 1795524233.5,
  type: 'task-received',
};
const heartbeat = {
  hostname: 'w1@vm',
  utcoffset: 0,
  pid: 7,
  clock: 13,
  freq: 2,
  active: 1,
  processed: 4,
  loadavg: [0.1, 0.2, 0.3],
  sw_ident: 'py-celery',
  sw_ver: '5.2.6',
  sw_sys: 'Linux',
  timestamp: 1795524234,
  type: 'worker-heartbeat',
};
const batch = [received, heartbeat];
const fast = expectOk(
  decodeEventMessage(envelopeText({ body: batch as never, headers: { hostname: 'w1@vm' } })),
);

describe('event decode paths', () => {
  it('the usual envelope decodes both events', () => {
    expect(fast.malformed).toEqual([]);
    expect(fast.events.map((e) => e.type)).toEqual(['task-received', 'worker-heartbeat']);
    expect(fast.events[0]).toMatchObject({ uuid: 'u1', name: 'app.add', rootId: 'u1', parentId: null });
  });

  it('a utf-8 body, a charset in content-type and a compressed body give the same events', () => {
    const text = JSON.stringify(batch);
    const variants = [
      envelopeText({ body: batch as never, bodyEncoding: 'utf-8' }),
      envelopeText({ body: batch as never, contentType: 'application/json; charset=utf-8' }),
      envelopeText({
        body: deflateSync(Buffer.from(text, 'utf8')),
        headers: { hostname: 'w1@vm', compression: 'application/x-gzip' },
      }),
    ];
    for (const raw of variants) expect(expectOk(decodeEventMessage(raw)), raw).toEqual(fast);
  });

  it("Python's NaN in a body is read by the lenient fallback, not lost", () => {
    const text = JSON.stringify([received]).replace('"retries":0', '"retries":NaN');
    expect(text).toContain('NaN');
    const decoded = expectOk(decodeEventMessage(envelopeText({ body: Buffer.from(text, 'utf8') })));
    expect(decoded.events).toHaveLength(1);
    expect(decoded.events[0]).toMatchObject({ uuid: 'u1', name: 'app.add', retries: undefined });
  });

  it('failures keep the general decoder reasons', () => {
    expect(expectFail(decodeEventMessage(envelopeText({ rawBody: 'QUJ-' })))).toBe('invalid base64 body');
    expect(expectFail(decodeEventMessage(envelopeText({ body: Buffer.from([0xff, 0xfe]) })))).toBe(
      'invalid UTF-8 body',
    );
    expect(expectFail(decodeEventMessage('{"body": '))).toMatch(/^not JSON: /);
    expect(
      expectFail(
        decodeEventMessage(
          envelopeText({ body: [received] as never, contentType: 'application/x-python-serialize' }),
        ),
      ),
    ).toBe('pickle payload, not decoded');
  });
});
