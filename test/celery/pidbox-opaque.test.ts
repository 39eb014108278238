import { describe, expect, it } from 'vitest';
import { decodeOpaquePidboxReply, decodePidboxReply } from '../../src/celery/pidbox.js';

// A Celery 5.2.6 worker with task_serializer='pickle' answering ping (captured with MONITOR): body is
// pickle of {'p2@vm': {'ok': 'pong'}}.
const pickleReply = JSON.stringify({
  body: 'gASVGwAAAAAAAAB9lIwFcDJAdm2UfZSMAm9rlIwEcG9uZ5Rzcy4=',
  'content-encoding': 'binary',
  'content-type': 'application/x-python-serialize',
  headers: { ticket: 'b76eebf1-4e39-4a59-a0af-0f227dfdbb5f', clock: 3 },
  properties: {
    delivery_mode: 1,
    delivery_info: { exchange: 'reply.celery.pidbox', routing_key: '03d235a4-4171-46ed-8816-0c23ce59cdea' },
    priority: 0,
    body_encoding: 'base64',
    delivery_tag: '4201d992-8f92-4521-891c-cd35ce1cc070',
  },
});

describe('decodeOpaquePidboxReply', () => {
  it('a pickle reply is not decoded as a reply, but is recognised with its ticket and node', () => {
    expect(decodePidboxReply(pickleReply).ok).toBe(false);
    expect(decodeOpaquePidboxReply(pickleReply, ['p1@vm', 'p2@vm'])).toEqual({
      ticket: 'b76eebf1-4e39-4a59-a0af-0f227dfdbb5f',
      node: 'p2@vm',
      serializer: 'pickle',
    });
  });

  it('names no node when no expected name is in the bytes, or when two unrelated ones are', () => {
    expect(decodeOpaquePidboxReply(pickleReply, ['other@vm'])?.node).toBeNull();
    expect(decodeOpaquePidboxReply(pickleReply, ['p2@vm', 'vm'])?.node).toBe('p2@vm');
    expect(decodeOpaquePidboxReply(pickleReply, [])?.node).toBeNull();
  });

  it('is null for JSON replies and broken envelopes', () => {
    const json = JSON.stringify({
      body: Buffer.from('{"w1@h": {"ok": "pong"}}').toString('base64'),
      'content-encoding': 'utf-8',
      'content-type': 'application/json',
      headers: { ticket: 't' },
      properties: { body_encoding: 'base64', delivery_tag: 'x' },
    });
    expect(decodeOpaquePidboxReply(json, ['w1@h'])).toBeNull();
    expect(decodeOpaquePidboxReply('not json', ['w1@h'])).toBeNull();
  });
});
