import { describe, expect, it } from 'vitest';
import { decodeUnackedEntry } from '../../src/celery/unacked.js';
import { MAX_DECODE_CHARS, peekedFromTask, toPeekedMessage } from '../../src/sources/peeked-message.js';
import { envelopeText, expectOk, fixture } from '../celery/fixture-files.js';

describe('toPeekedMessage on captured Celery 5.2 messages', () => {
  it('shows app.add(2, 3) with real JSON args, its reprs and its size in bytes', () => {
    const raw = fixture('task-message.json');
    const peeked = toPeekedMessage(raw, 4, 0, 1000);
    expect(peeked).toEqual({
      position: 4,
      priorityStep: 0,
      id: '1fd839f2-3886-4ad6-a78f-8a3d4baca96d',
      name: 'app.add',
      args: [2, 3],
      kwargs: {},
      argsRepr: '(2, 3)',
      kwargsRepr: '{}',
      eta: null,
      expires: null,
      retries: 0,
      redelivered: false,
      bytes: Buffer.byteLength(raw, 'utf8'),
      note: null,
      // Workflow links from the headers: a task sent on its own is its own root.
      rootId: '1fd839f2-3886-4ad6-a78f-8a3d4baca96d',
      parentId: null,
      groupId: null,
      chordId: null,
    });
  });

  it('keeps eta and expires as written (naive eta means UTC)', () => {
    const peeked = toPeekedMessage(fixture('task-message-eta-expires.json'), 0, 0, 1000);
    expect(peeked.eta).toBe('2026-11-24T12:43:44.500414');
    expect(peeked.expires).toBe('2026-11-24T13:43:44.500457+00:00');
    expect(peeked.args).toEqual([5, 5]);
  });

  it('shows the retry count of a message re-sent by self.retry()', () => {
    const peeked = toPeekedMessage(fixture('task-message-self-retry.json'), 0, 0, 1000);
    expect(peeked).toMatchObject({ name: 'app.flaky', retries: 1, args: [7] });
  });

  it('keeps nested args and kwargs of app.echo and the step it was given', () => {
    const peeked = toPeekedMessage(fixture('task-message-priority7.json'), 1, 6, 1000);
    expect(peeked).toMatchObject({
      priorityStep: 6,
      position: 1,
      args: [1, 'two', { three: 3 }],
      kwargs: { k: [1, 2] },
      note: null,
    });
  });

  it('decodes the compact JSON a Node producer writes', () => {
    expect(toPeekedMessage(fixture('task-message-from-node.json'), 0, 0, 1000).args).toEqual([21, 21]);
  });
});

describe('toPeekedMessage bounds and failures', () => {
  it('drops args and kwargs over maxValueChars but keeps the reprs, with a note', () => {
    const raw = fixture('task-message-priority7.json');
    // [1,"two",{"three":3}] is 21 characters and {"k":[1,2]} 11: 32 in all.
    const fits = toPeekedMessage(raw, 0, 0, 32);
    expect(fits.args).not.toBeNull();
    const peeked = toPeekedMessage(raw, 0, 0, 31);
    expect(peeked.args).toBeNull();
    expect(peeked.kwargs).toBeNull();
    expect(peeked.argsRepr).toBe("[1, 'two', {'three': 3}]");
    expect(peeked.note).toBe('args too large to show (32 characters)');
    expect(peeked.id).toBe('f416a19e-e5c8-4f4a-bcb9-43ba1202047b');
  });

  it('clips hand-built reprs longer than maxValueChars', () => {
    const raw = envelopeText({ headers: { task: 'app.add', id: 't', argsrepr: 'x'.repeat(500) } });
    expect(toPeekedMessage(raw, 0, 0, 100).argsRepr).toBe(`${'x'.repeat(99)}…`);
  });

  it('reports a pickle payload by its headers, with a note instead of args', () => {
    const raw = envelopeText({ contentType: 'application/x-python-serialize', body: Buffer.from([0x80, 4]) });
    const peeked = toPeekedMessage(raw, 0, 0, 1000);
    expect(peeked).toMatchObject({ id: 'task-1', name: 'app.add', args: null, kwargs: null });
    expect(peeked.note).toBe('pickle payload, not decoded');
  });

  it('turns garbage into a message with no id and the decoder reason', () => {
    const peeked = toPeekedMessage('not json at all', 2, 3, 1000);
    expect(peeked).toMatchObject({ position: 2, priorityStep: 3, id: null, name: null, bytes: 15 });
    expect(peeked.note).toMatch(/^not JSON/);
  });

  it('reports a body of two items (a poison message for 5.2 workers) instead of guessing', () => {
    const peeked = toPeekedMessage(envelopeText({ body: [[1], {}] }), 0, 0, 1000);
    expect(peeked.id).toBeNull();
    expect(peeked.note).toBe('protocol 2 body has 2 items, expected 3');
  });

  it('does not parse messages beyond MAX_DECODE_CHARS', () => {
    const raw = envelopeText({ body: [['y'.repeat(MAX_DECODE_CHARS)], {}, null] });
    const peeked = toPeekedMessage(raw, 0, 0, 1000);
    expect(peeked.id).toBeNull();
    expect(peeked.note).toBe(`message too large to decode (${raw.length} bytes)`);
  });

  it('marks a restored message as redelivered (wire doc 3.4)', () => {
    const raw = envelopeText({ headers: { task: 'app.add', id: 'r', redelivered: true } });
    expect(toPeekedMessage(raw, 0, 0, 1000).redelivered).toBe(true);
  });

  it('never throws, even on a value that is not a string', () => {
    const peeked = toPeekedMessage(undefined as unknown as string, 0, 0, 10);
    expect(peeked.id).toBeNull();
    expect(peeked.note).toEqual(expect.any(String));
  });
});

describe('peekedFromTask', () => {
  it('converts the message inside an unacked hash value', () => {
    const entry = expectOk(decodeUnackedEntry(fixture('unacked-hash-value.json')));
    const peeked = peekedFromTask(entry.message, 0, 0, 1000, 123);
    expect(peeked).toMatchObject({ id: '1fd839f2-3886-4ad6-a78f-8a3d4baca96d', args: [2, 3], bytes: 123 });
    expect(peekedFromTask(entry.message, 0, 0, 1000).bytes).toBe(entry.message.envelope.rawBytes);
  });
});
