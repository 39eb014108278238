import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Decoded, Json } from '../../src/celery/types.js';

/**
 * Loads the captured Celery 5.2 wire messages in test/fixtures/celery-5.2. Each file holds
 * the exact bytes of one value (no trailing newline), so it is read as-is, never trimmed.
 */
export const fixtureDir = fileURLToPath(new URL('../fixtures/celery-5.2/', import.meta.url));

/** One manifest.json row: which Redis command wrote the file, and to which key or channel. */
export interface ManifestEntry {
  file: string;
  redis_command: string;
  key_or_channel: string;
  db: number;
  capture: string;
  note: string;
  hash_field?: string;
  score?: string;
}

export function loadManifest(): ManifestEntry[] {
  return JSON.parse(fs.readFileSync(`${fixtureDir}manifest.json`, 'utf8')) as ManifestEntry[];
}

/** The exact text of one fixture file. */
export function fixture(file: string): string {
  return fs.readFileSync(`${fixtureDir}${file}`, 'utf8');
}

/** Every fixture file except the manifest. */
export function fixtureFiles(): string[] {
  return fs
    .readdirSync(fixtureDir)
    .filter((name) => name.endsWith('.json') && name !== 'manifest.json')
    .sort();
}

/** The value of a decode, or a test failure that quotes the reason. */
export function expectOk<T>(decoded: Decoded<T>): T {
  if (!decoded.ok) throw new Error(`expected ok, got: ${decoded.reason}`);
  return decoded.value;
}

/** The reason of a failed decode, or a test failure. */
export function expectFail<T>(decoded: Decoded<T>): string {
  if (decoded.ok)
    throw new Error(`expected a failure, got ok: ${JSON.stringify(decoded.value).slice(0, 200)}`);
  return decoded.reason;
}

/** Options for a hand-built envelope; `body` is encoded as Base64 unless bodyEncoding says otherwise. */
export interface EnvelopeParts {
  body?: Json | Buffer;
  rawBody?: unknown;
  contentType?: unknown;
  headers?: unknown;
  properties?: Record<string, unknown>;
  bodyEncoding?: unknown;
}

/**
 * A kombu envelope as Celery writes it (wire doc 4), with any part replaceable, for hostile
 * and edge-case tests. `rawBody` puts a value into `body` untouched.
 */
export function envelopeText(parts: EnvelopeParts = {}): string {
  const bodyEncoding = 'bodyEncoding' in parts ? parts.bodyEncoding : 'base64';
  const payload = parts.body ?? [[2, 3], {}, { callbacks: null, errbacks: null, chain: null, chord: null }];
  const bytes = Buffer.isBuffer(payload) ? payload : Buffer.from(JSON.stringify(payload), 'utf8');
  const body =
    'rawBody' in parts
      ? parts.rawBody
      : bodyEncoding === 'base64'
        ? bytes.toString('base64')
        : bytes.toString('utf8');
  const envelope: Record<string, unknown> = {
    body,
    'content-encoding': 'utf-8',
    'content-type': 'contentType' in parts ? parts.contentType : 'application/json',
    headers: 'headers' in parts ? parts.headers : { lang: 'py', task: 'app.add', id: 'task-1', retries: 0 },
    properties: {
      delivery_mode: 2,
      delivery_info: { exchange: '', routing_key: 'celery' },
      priority: 0,
      body_encoding: bodyEncoding,
      delivery_tag: 'tag-1',
      ...parts.properties,
    },
  };
  if (bodyEncoding === undefined) delete (envelope.properties as Record<string, unknown>).body_encoding;
  if (parts.contentType === undefined && 'contentType' in parts) delete envelope['content-type'];
  return JSON.stringify(envelope);
}
