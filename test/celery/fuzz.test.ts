import { describe, expect, it } from 'vitest';
import { decodeBinding } from '../../src/celery/bindings.js';
import { internalErrorPrefix } from '../../src/celery/decoded.js';
import { decodeEnvelope } from '../../src/celery/envelope.js';
import { decodeEventMessage } from '../../src/celery/events.js';
import { describeMarker, isJsonMarker } from '../../src/celery/json-markers.js';
import { defaultWireOptions } from '../../src/celery/options.js';
import { decodePidboxReply, decodePidboxRequest } from '../../src/celery/pidbox.js';
import { decodeChordJoinMember, decodeGroupMeta, decodeResultMeta } from '../../src/celery/result-meta.js';
import { decodeTaskMessage } from '../../src/celery/task-message.js';
import type { Decoded } from '../../src/celery/types.js';
import { decodeUnackedEntry } from '../../src/celery/unacked.js';
import { fixture, fixtureFiles } from './fixture-files.js';

/** mulberry32: a tiny seeded PRNG, so a failing case can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const int = (rng: Rng, n: number) => Math.floor(rng() * n);

const decoders: Record<string, (raw: string) => Decoded<unknown>> = {
  decodeEnvelope,
  decodeTaskMessage,
  decodeUnackedEntry,
  decodeEventMessage,
  decodePidboxRequest,
  decodePidboxReply,
  decodeResultMeta,
  decodeGroupMeta: (raw) => decodeGroupMeta(raw, '2529b1e8-9b97-4f33-a97f-fe2f808b938f'),
  decodeChordJoinMember,
  decodeBinding: (raw) => decodeBinding(raw, defaultWireOptions.sep),
};

const junk = [
  '"',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '\\',
  '=',
  '\u0000',
  '\ud800',
  'é',
  'null',
  '-1e999',
  '\x06\x16',
];
const values = [
  null,
  true,
  0,
  -1,
  1e308,
  '',
  'x',
  '=',
  [],
  {},
  [1, 2, 3],
  { __type__: 'uuid', __value__: 5 },
];

/** Text-level damage: flip, insert, delete, truncate or duplicate. */
function mutateText(rng: Rng, text: string): string {
  let out = text;
  for (let n = 1 + int(rng, 3); n > 0; n--) {
    const at = int(rng, out.length + 1);
    switch (int(rng, 5)) {
      case 0:
        out = out.slice(0, at) + String.fromCharCode(int(rng, 0x10000)) + out.slice(at + 1);
        break;
      case 1:
        out = out.slice(0, at) + pick(rng, junk) + out.slice(at);
        break;
      case 2:
        out = out.slice(0, at) + out.slice(at + 1 + int(rng, 20));
        break;
      case 3:
        out = out.slice(0, at);
        break;
      default:
        out = out.slice(0, at) + out.slice(int(rng, out.length), at) + out.slice(at);
    }
  }
  return out;
}

/** Structure-level damage: replace one random node of the JSON tree with a value of another type. */
function mutateJson(rng: Rng, value: unknown): unknown {
  if (rng() < 0.25 || value === null || typeof value !== 'object') return structuredClone(pick(rng, values));
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...value };
  const keys = Object.keys(copy);
  if (keys.length === 0) return structuredClone(pick(rng, values));
  const key = pick(rng, keys);
  const record = copy as Record<string, unknown>;
  if (rng() < 0.15) delete record[key];
  else record[key] = mutateJson(rng, record[key]);
  return copy;
}

/** Decode an envelope's Base64 body, damage it as text or JSON, and encode it again. */
function mutateBody(rng: Rng, text: string): string {
  const envelope = JSON.parse(text);
  const inner = Buffer.from(envelope.body, 'base64').toString('utf8');
  const damaged =
    rng() < 0.5 ? mutateText(rng, inner) : (JSON.stringify(mutateJson(rng, JSON.parse(inner))) ?? '');
  envelope.body = Buffer.from(damaged, 'utf8').toString('base64');
  return JSON.stringify(envelope);
}

function mutate(rng: Rng, text: string): string {
  const mode = int(rng, 3);
  if (mode === 0) return mutateText(rng, text);
  if (mode === 1) return JSON.stringify(mutateJson(rng, JSON.parse(text))) ?? 'undefined';
  const isEnvelope = text.startsWith('{"body"');
  return isEnvelope ? mutateBody(rng, text) : mutateText(rng, text);
}

describe('fuzz: damaged fixtures never make a decoder throw', () => {
  const sources = fixtureFiles().map(fixture);

  it.each([1, 2, 3])('seed %i: 1000 mutations through every decoder', (seed) => {
    const rng = prng(seed);
    let failures = 0;
    let successes = 0;
    for (let i = 0; i < 1000; i++) {
      const input = mutate(rng, pick(rng, sources));
      for (const [name, decode] of Object.entries(decoders)) {
        let result: Decoded<unknown>;
        try {
          result = decode(input);
        } catch (error) {
          throw new Error(
            `${name} threw on seed ${seed} case ${i}: ${String(error)}\n${input.slice(0, 500)}`,
          );
        }
        expect(typeof result.ok).toBe('boolean');
        if (result.ok) successes++;
        else {
          failures++;
          expect(result.reason.length).toBeGreaterThan(0);
          expect(result.reason.length).toBeLessThanOrEqual(200);
          expect(result.reason).not.toMatch(/\n/);
          // A caught exception means a decoder bug that `guarded` hid; checked rules never say this.
          expect(result.reason.startsWith(internalErrorPrefix), `${name}: ${result.reason}`).toBe(false);
        }
      }
    }
    // The mutations must reach both outcomes, or the fuzzer tests nothing.
    expect(failures).toBeGreaterThan(100);
    expect(successes).toBeGreaterThan(100);
  });

  it('marker helpers accept anything', () => {
    const rng = prng(7);
    for (let i = 0; i < 500; i++) {
      const value = mutateJson(rng, {
        __type__: pick(rng, ['uuid', 'bytes', 'base64', 'datetime']),
        __value__: 'x',
      });
      expect(typeof isJsonMarker(value)).toBe('boolean');
      expect(typeof describeMarker(value)).toBe('string');
    }
  });

  it('non-string inputs fail cleanly everywhere', () => {
    for (const input of [undefined, null, 0, true, {}, [], Buffer.from('{}'), Symbol('x'), () => 1, 10n]) {
      for (const decode of Object.values(decoders)) {
        const result = decode(input as unknown as string);
        expect(result.ok ? 'ok' : result.reason).toMatch(
          /^input is not a string|^binding member is not a string/,
        );
      }
    }
  });

  it('short hostile strings fail cleanly everywhere', () => {
    for (const input of ['', 'null', '[]', '{}', '"x"', '0', '{', '[1, 2', 'NaN', '\ufeff{}', '\u0000']) {
      for (const [name, decode] of Object.entries(decoders)) {
        const result = decode(input);
        expect(result.ok, `${name}(${JSON.stringify(input)})`).toBe(false);
      }
    }
  });
});
