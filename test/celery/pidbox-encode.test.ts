import { describe, expect, it } from 'vitest';
import { wireOptions } from '../../src/celery/options.js';
import { decodePidboxRequest } from '../../src/celery/pidbox.js';
import { encodePidboxRequest, type PidboxRequestSpec } from '../../src/celery/pidbox-encode.js';
import type { JsonObject } from '../../src/celery/types.js';
import { expectOk, fixture, fixtureFiles, loadManifest } from './fixture-files.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const defaults = wireOptions();

type Envelope = { body: string; headers: JsonObject; properties: JsonObject } & JsonObject;

function open(raw: string): { envelope: Envelope; body: JsonObject } {
  const envelope = JSON.parse(raw) as Envelope;
  return { envelope, body: JSON.parse(Buffer.from(envelope.body, 'base64').toString('utf8')) as JsonObject };
}

/** The spec that would produce a captured request: its body fields, read back. */
function specOf(body: JsonObject): PidboxRequestSpec {
  const replyTo = body.reply_to as JsonObject | undefined;
  return {
    method: body.method as string,
    arguments: body.arguments as JsonObject,
    destination: body.destination as string[] | null,
    pattern: body.pattern as string | null,
    matcher: body.matcher as string | null,
    reply: replyTo ? { oid: replyTo.routing_key as string, ticket: body.ticket as string } : null,
  };
}

const broadcasts = fixtureFiles().filter((file) => file.startsWith('pidbox-broadcast-'));

describe('encodePidboxRequest', () => {
  it('finds the captured broadcasts', () => {
    expect(broadcasts).toContain('pidbox-broadcast-ping.json');
    expect(broadcasts).toContain('pidbox-broadcast-revoke.json');
    expect(broadcasts).toContain('pidbox-broadcast-heartbeat-noreply.json');
    expect(broadcasts.length).toBeGreaterThanOrEqual(8);
  });

  it.each(broadcasts)('matches %s field for field', (file) => {
    const captured = open(fixture(file));
    const { clock, expires } = captured.envelope.headers as { clock: number; expires: number };
    const encoded = encodePidboxRequest(specOf(captured.body), defaults, clock, expires);
    const ours = open(encoded.raw);
    // Same keys in the same order at every level; only the delivery tag (a fresh UUID) and the
    // body's JSON spacing differ (Python writes ', ' and ': ').
    expect(JSON.stringify(ours.body)).toBe(JSON.stringify(captured.body));
    const { body: _a, ...ourRest } = ours.envelope;
    const { body: _b, ...theirRest } = captured.envelope;
    expect(ours.envelope.properties.delivery_tag).toMatch(UUID);
    const tag = theirRest.properties.delivery_tag;
    expect(JSON.stringify({ ...ourRest, properties: { ...ourRest.properties, delivery_tag: tag } })).toBe(
      JSON.stringify(theirRest),
    );
    expect(Object.keys(ours.envelope)).toEqual(Object.keys(captured.envelope));
    const entry = loadManifest().find((e) => e.file === file)!;
    expect(encoded.channel).toBe(entry.key_or_channel);
    expect(encoded.ticket).toBe((captured.body.ticket as string | undefined) ?? null);
  });

  it('writes a ping with a reply exactly like pidbox-broadcast-ping.json', () => {
    const encoded = encodePidboxRequest(
      { method: 'ping', reply: { oid: 'oid-1' } },
      defaults,
      3,
      1795524249.7849076,
    );
    const { envelope, body } = open(encoded.raw);
    expect(encoded.ticket).toMatch(UUID);
    expect(body).toEqual({
      method: 'ping',
      arguments: {},
      destination: null,
      pattern: null,
      matcher: null,
      ticket: encoded.ticket,
      reply_to: { exchange: 'reply.celery.pidbox', routing_key: 'oid-1' },
    });
    expect(envelope.headers).toEqual({ clock: 3, expires: 1795524249.7849076 });
    expect(envelope['content-type']).toBe('application/json');
    expect(envelope['content-encoding']).toBe('utf-8');
    expect(envelope.properties).toMatchObject({
      delivery_mode: 2,
      delivery_info: { exchange: 'celery.pidbox', routing_key: '' },
      priority: 0,
      body_encoding: 'base64',
    });
    expect(encoded.channel).toBe('/0.celery.pidbox');
  });

  it('omits ticket and reply_to for a cast (wire doc 7.1)', () => {
    const encoded = encodePidboxRequest({ method: 'heartbeat' }, defaults);
    const { envelope, body } = open(encoded.raw);
    expect(encoded.ticket).toBeNull();
    expect(Object.keys(body)).toEqual(['method', 'arguments', 'destination', 'pattern', 'matcher']);
    expect(envelope.headers).toEqual({ clock: 1, expires: 0 });
  });

  it('decodes back with the shared decoder', () => {
    const spec: PidboxRequestSpec = {
      method: 'revoke',
      arguments: { task_id: ['t-1', 't-2'], terminate: true, signal: 'SIGTERM' },
      destination: ['w1@vm', 'w2@vm'],
      pattern: 'w*@vm',
      matcher: 'glob',
      reply: { oid: 'oid-2', ticket: 'ticket-2' },
    };
    const decoded = expectOk(decodePidboxRequest(encodePidboxRequest(spec, defaults, 5, 10.5).raw));
    expect(decoded).toEqual({
      method: 'revoke',
      arguments: spec.arguments,
      destination: ['w1@vm', 'w2@vm'],
      pattern: 'w*@vm',
      matcher: 'glob',
      ticket: 'ticket-2',
      replyTo: { exchange: 'reply.celery.pidbox', routingKey: 'oid-2' },
    });
  });

  it('follows control_exchange, global_keyprefix and fanout options', () => {
    const opts = wireOptions({ db: 5, globalKeyprefix: 'pfx:', controlExchange: 'ctl' });
    const encoded = encodePidboxRequest({ method: 'ping', reply: { oid: 'o' } }, opts);
    const { envelope, body } = open(encoded.raw);
    expect(encoded.channel).toBe('pfx:/5.ctl.pidbox');
    expect(envelope.properties.delivery_info).toEqual({ exchange: 'ctl.pidbox', routing_key: '' });
    expect(body.reply_to).toEqual({ exchange: 'reply.ctl.pidbox', routing_key: 'o' });
    expect(encodePidboxRequest({ method: 'ping' }, wireOptions({ fanoutPrefix: false })).channel).toBe(
      'celery.pidbox',
    );
    // The pidbox routing key is empty, so fanout_patterns appends nothing.
    expect(encodePidboxRequest({ method: 'ping' }, wireOptions({ fanoutPatterns: false })).channel).toBe(
      '/0.celery.pidbox',
    );
  });

  it('keeps non-ASCII arguments intact', () => {
    const { body } = open(encodePidboxRequest({ method: 'x', arguments: { msg: 'héllo 😀' } }, defaults).raw);
    expect(body.arguments).toEqual({ msg: 'héllo 😀' });
  });

  it('gives each request a fresh delivery tag', () => {
    const tags = new Set(
      Array.from(
        { length: 20 },
        () => open(encodePidboxRequest({ method: 'ping' }, defaults).raw).envelope.properties.delivery_tag,
      ),
    );
    expect(tags.size).toBe(20);
  });

  it.each<[string, PidboxRequestSpec, RegExp]>([
    ['an empty method', { method: '' }, /method/],
    ['a pattern without a matcher', { method: 'ping', pattern: 'w*' }, /pattern and matcher/],
    ['a matcher without a pattern', { method: 'ping', matcher: 'glob' }, /pattern and matcher/],
    ['an empty destination name', { method: 'ping', destination: [''] }, /destination/],
    ['an empty oid', { method: 'ping', reply: { oid: '' } }, /oid/],
  ])('throws on %s', (_label, spec, message) => {
    expect(() => encodePidboxRequest(spec, defaults)).toThrow(message);
  });

  it('throws on a non-finite clock or expiry', () => {
    expect(() => encodePidboxRequest({ method: 'ping' }, defaults, Number.NaN)).toThrow(TypeError);
    expect(() => encodePidboxRequest({ method: 'ping' }, defaults, 1, Number.POSITIVE_INFINITY)).toThrow(
      TypeError,
    );
  });
});
