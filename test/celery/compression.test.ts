import { brotliCompressSync, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compressionMethod, decompressBody } from '../../src/celery/compression.js';
import { decodeTaskMessage } from '../../src/celery/task-message.js';

/** A protocol 2 task message as kombu's Redis transport stores it, with a compressed body. */
function message(body: Buffer, compression: string | null): string {
  const headers: Record<string, unknown> = {
    lang: 'py',
    task: 'app.add',
    id: 'c-1',
    argsrepr: '(2, 3)',
    kwargsrepr: '{}',
    retries: 0,
  };
  if (compression) headers.compression = compression;
  return JSON.stringify({
    body: body.toString('base64'),
    'content-encoding': 'utf-8',
    'content-type': 'application/json',
    headers,
    properties: {
      body_encoding: 'base64',
      delivery_info: { exchange: '', routing_key: 'celery' },
      priority: 0,
    },
  });
}

const call = Buffer.from('[[2, 3], {}, {"callbacks": null, "errbacks": null, "chain": null, "chord": null}]');

describe('compressed task messages', () => {
  it.each([
    ['application/x-gzip', deflateSync(call)],
    ['zlib', deflateSync(call)],
    ['application/x-brotli', brotliCompressSync(call)],
  ])('%s: id and name from the headers, args decoded, a note keeps writers off the bytes', (header, bytes) => {
    const m = decodeTaskMessage(message(bytes, header));
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    expect(m.value).toMatchObject({
      id: 'c-1',
      name: 'app.add',
      argsRepr: '(2, 3)',
      args: [2, 3],
      kwargs: {},
    });
    expect(m.value.payloadNote).toMatch(/^(zlib|brotli)-compressed body, decoded for display$/);
    expect(m.value.envelope.compression).toBe(header);
  });

  it.each([
    ['application/x-bz2', 'bzip2'],
    ['application/x-lzma', 'lzma'],
    ['application/zstd', 'zstd'],
  ])('%s: named, not decoded, but id/name/reprs still shown', (header, method) => {
    const m = decodeTaskMessage(message(Buffer.from('opaque bytes'), header));
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    expect(m.value).toMatchObject({ id: 'c-1', name: 'app.add', argsRepr: '(2, 3)', args: null });
    expect(m.value.payloadNote).toBe(`compressed with ${method}, not decoded`);
  });

  it('a corrupt zlib body says so instead of failing the message', () => {
    const m = decodeTaskMessage(message(Buffer.from('not zlib'), 'application/x-gzip'));
    expect(m.ok && m.value.payloadNote).toMatch(/^compressed with zlib, corrupt: /);
  });

  it('a zip bomb stops at the cap', () => {
    const r = decompressBody(deflateSync(Buffer.alloc(20 * 1024 * 1024)), 'zlib');
    expect(r).toEqual({ ok: false, reason: expect.stringContaining('larger than') });
  });

  it('maps kombu content types and aliases', () => {
    expect(
      ['application/x-gzip', 'gzip', 'xz', 'application/x-bz2', 'zstandard', 'weird'].map(compressionMethod),
    ).toEqual(['zlib', 'zlib', 'lzma', 'bzip2', 'zstd', 'weird']);
  });

  it('uncompressed messages are unchanged: no note', () => {
    const m = decodeTaskMessage(message(call, null));
    expect(m.ok && m.value.payloadNote).toBeNull();
  });
});
