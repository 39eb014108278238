import { describe, expect, it } from 'vitest';
import { decodeEventMessage } from '../../src/celery/events.js';
import { decodePidboxReply, decodePidboxRequest } from '../../src/celery/pidbox.js';
import { decodeChordJoinMember, decodeGroupMeta, decodeResultMeta } from '../../src/celery/result-meta.js';
import { decodeTaskMessage } from '../../src/celery/task-message.js';
import type { Decoded } from '../../src/celery/types.js';
import { decodeUnackedEntry } from '../../src/celery/unacked.js';
import { fixture, fixtureFiles, loadManifest, type ManifestEntry } from './fixture-files.js';

// Every captured message must decode with the decoder its key or channel calls for
// (key and channel names: wire doc section 1).
function decoderFor(entry: ManifestEntry): ((raw: string) => Decoded<unknown>) | null {
  const key = entry.key_or_channel;
  if (entry.redis_command === 'PUBLISH' && /^\/\d+\.celeryev\//.test(key)) return decodeEventMessage;
  if (entry.redis_command === 'PUBLISH' && /^\/\d+\.celery\.pidbox$/.test(key)) return decodePidboxRequest;
  if (entry.redis_command === 'LPUSH' && key.endsWith('.reply.celery.pidbox')) return decodePidboxReply;
  if (entry.redis_command === 'HSET' && key === 'unacked') return decodeUnackedEntry;
  if (entry.redis_command === 'SETEX' && key.startsWith('celery-task-meta-')) return decodeResultMeta;
  if (entry.redis_command === 'ZADD' && /^celery-taskset-meta-.+\.j$/.test(key)) return decodeChordJoinMember;
  if (entry.redis_command === 'SETEX' && key.startsWith('celery-taskset-meta-')) {
    const groupId = key.slice('celery-taskset-meta-'.length);
    return (raw) => decodeGroupMeta(raw, groupId);
  }
  // Anything else LPUSHed is a queue list (with a priority suffix, maybe): a task message.
  if (entry.redis_command === 'LPUSH') return decodeTaskMessage;
  return null;
}

const manifest = loadManifest();

describe('captured Celery 5.2 fixtures', () => {
  it('the manifest lists every fixture file exactly once', () => {
    expect(manifest.map((entry) => entry.file).sort()).toEqual(fixtureFiles());
  });

  it('fixture files are exact values, with no trailing newline', () => {
    for (const file of fixtureFiles()) expect(fixture(file).endsWith('\n'), file).toBe(false);
  });

  it.each(manifest.map((entry) => [entry.file, entry] as const))('decodes %s', (_file, entry) => {
    const decode = decoderFor(entry);
    if (!decode)
      throw new Error(`no decoder matches ${entry.redis_command} ${JSON.stringify(entry.key_or_channel)}`);
    const decoded = decode(fixture(entry.file));
    expect(decoded.ok ? 'ok' : decoded.reason).toBe('ok');
  });

  it('event fixtures decode without malformed items', () => {
    for (const entry of manifest.filter((e) => e.file.startsWith('event-'))) {
      const decoded = decodeEventMessage(fixture(entry.file));
      expect(decoded.ok && decoded.value.malformed, entry.file).toEqual([]);
      expect(decoded.ok && decoded.value.events.length, entry.file).toBeGreaterThan(0);
    }
  });
});
