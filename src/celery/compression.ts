/**
 * kombu's message compression (kombu/compression.py): the producer compresses the serialized body
 * and names the method in the `compression` header (a content type such as `application/x-gzip`;
 * aliases resolved). The headers (id, task, argsrepr, kwargsrepr) are never compressed, so a
 * compressed task always shows its id and name; the body is decoded where Node can: kombu's
 * `zlib`/`gzip` are both Python's `zlib.compress` (zlib format: inflate), `brotli` is Node's
 * brotli. bzip2, lzma/xz and zstd are named, not decoded.
 */
import { brotliDecompressSync, inflateSync } from 'node:zlib';

/** Decompressed size cap: a small compressed body can expand enormously (a zip bomb). */
export const MAX_DECOMPRESSED_BYTES = 16 * 1024 * 1024;

/** kombu's registered compression content types and aliases -> a short method name. */
const methods: Record<string, string> = {
  'application/x-gzip': 'zlib',
  gzip: 'zlib',
  zlib: 'zlib',
  'application/x-bz2': 'bzip2',
  bzip2: 'bzip2',
  bzip: 'bzip2',
  'application/x-brotli': 'brotli',
  brotli: 'brotli',
  'application/x-lzma': 'lzma',
  lzma: 'lzma',
  xz: 'lzma',
  'application/zstd': 'zstd',
  zstd: 'zstd',
  zstandard: 'zstd',
};

/** The method name for a `compression` header value (`zlib` for `application/x-gzip`), or the value. */
export function compressionMethod(header: string): string {
  return methods[header.trim().toLowerCase()] ?? header;
}

/** The decompressed bytes, or why not (`compressed with bzip2, not decoded`). Never throws. */
export function decompressBody(
  bytes: Buffer,
  header: string,
): { ok: true; bytes: Buffer; method: string } | { ok: false; reason: string } {
  const method = compressionMethod(header);
  try {
    if (method === 'zlib')
      return { ok: true, bytes: inflateSync(bytes, { maxOutputLength: MAX_DECOMPRESSED_BYTES }), method };
    if (method === 'brotli') {
      return {
        ok: true,
        bytes: brotliDecompressSync(bytes, { maxOutputLength: MAX_DECOMPRESSED_BYTES }),
        method,
      };
    }
  } catch (error) {
    const tooLarge =
      error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
    return {
      ok: false,
      reason: tooLarge
        ? `compressed with ${method}, larger than ${MAX_DECOMPRESSED_BYTES} bytes decompressed, not decoded`
        : `compressed with ${method}, corrupt: ${(error as Error).message}`,
    };
  }
  return { ok: false, reason: `compressed with ${method.slice(0, 60)}, not decoded` };
}
