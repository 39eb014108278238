import { describe, expect, it } from 'vitest';
import { decodePidboxReply, decodePidboxRequest } from '../../src/celery/pidbox.js';
import { envelopeText, expectFail, expectOk, fixture } from './fixture-files.js';

const reply = (body: unknown) =>
  envelopeText({
    body: body as never,
    headers: { ticket: 't-1', clock: 3 },
    properties: { delivery_mode: 1 },
  });

describe('decodePidboxRequest', () => {
  it('pidbox-broadcast-ping.json: a broadcast that wants replies', () => {
    expect(expectOk(decodePidboxRequest(fixture('pidbox-broadcast-ping.json')))).toEqual({
      method: 'ping',
      arguments: {},
      destination: null,
      pattern: null,
      matcher: null,
      ticket: 'e4ae3057-8f48-405f-838b-72121bad241d',
      replyTo: { exchange: 'reply.celery.pidbox', routingKey: '1a14e7f1-7357-3a8b-a533-7a5edfefd5c6' },
    });
  });

  it('pidbox-broadcast-heartbeat-noreply.json: a cast has no ticket and no reply_to', () => {
    const request = expectOk(decodePidboxRequest(fixture('pidbox-broadcast-heartbeat-noreply.json')));
    expect(request).toMatchObject({ method: 'heartbeat', ticket: null, replyTo: null });
  });

  it('destination and arguments', () => {
    const grow = expectOk(decodePidboxRequest(fixture('pidbox-broadcast-pool-grow-destination.json')));
    expect(grow).toMatchObject({ method: 'pool_grow', arguments: { n: 1 }, destination: ['w1@vm'] });
    const terminate = expectOk(decodePidboxRequest(fixture('pidbox-broadcast-terminate.json')));
    expect(terminate.arguments).toEqual({
      signal: 'TERM',
      task_id: ['8f49e99e-9a54-4e23-a98a-4d3d9d7d8718'],
    });
  });

  it('rejects a request without a method or with a bad destination', () => {
    expect(expectFail(decodePidboxRequest(reply({ arguments: {} })))).toBe('pidbox request has no method');
    expect(expectFail(decodePidboxRequest(reply({ method: 'ping', destination: 'w1@vm' })))).toBe(
      'pidbox destination is not a list of names',
    );
    expect(expectFail(decodePidboxRequest(reply({ method: 'ping', arguments: [] })))).toBe(
      'pidbox arguments is not an object (array)',
    );
  });
});

describe('decodePidboxReply', () => {
  it('pidbox-reply-stats.json: node, ticket and pool max-concurrency', () => {
    const stats = expectOk(decodePidboxReply(fixture('pidbox-reply-stats.json')));
    expect(stats.node).toBe('w1@vm');
    expect(stats.ticket).toBe('81fdd8bc-78fe-4370-b5d3-2d7091660fe0');
    expect(stats.error).toBeNull();
    expect(stats.value).toMatchObject({
      pool: { 'max-concurrency': 2, processes: [20442, 20444] },
      prefetch_count: 8,
    });
  });

  it('error replies set error and keep the value', () => {
    const autoscale = expectOk(decodePidboxReply(fixture('pidbox-reply-error-autoscale.json')));
    expect(autoscale.error).toBe("ValueError('Autoscale not enabled')");
    expect(autoscale.value).toEqual({ error: "ValueError('Autoscale not enabled')" });
    const unknown = expectOk(decodePidboxReply(fixture('pidbox-reply-error-unknown-command.json')));
    expect(unknown.error).toBe("KeyError('no_such_command')");
  });

  it('pidbox-reply-heartbeat.json: a null value is a valid reply', () => {
    expect(expectOk(decodePidboxReply(fixture('pidbox-reply-heartbeat.json')))).toEqual({
      ticket: 'f35c8cf4-9178-4742-a9f9-284b4e342fe9',
      node: 'w1@vm',
      value: null,
      error: null,
    });
  });

  it('list replies and ok replies', () => {
    expect(expectOk(decodePidboxReply(fixture('pidbox-reply-ping.json'))).value).toEqual({ ok: 'pong' });
    const registered = expectOk(decodePidboxReply(fixture('pidbox-reply-registered.json')));
    expect(registered.value).toEqual(['app.add', 'app.boom', 'app.echo', 'app.flaky', 'app.sleepy']);
  });

  it('exactly one node per reply', () => {
    expect(expectFail(decodePidboxReply(reply({ a: 1, b: 2 })))).toBe('pidbox reply has 2 keys, expected 1');
    expect(expectFail(decodePidboxReply(reply({})))).toBe('pidbox reply has 0 keys, expected 1');
    expect(expectFail(decodePidboxReply(reply(['w1@vm'])))).toBe(
      'pidbox reply body is not an object (array)',
    );
  });

  it('a non-string error field is not an error', () => {
    expect(expectOk(decodePidboxReply(reply({ w: { error: 5 } }))).error).toBeNull();
  });
});
