import { describe, expect, it } from 'vitest';
import { decodeTaskMessage } from '../../src/celery/task-message.js';
import { decodeUnackedEntry } from '../../src/celery/unacked.js';
import { envelopeText, expectFail, expectOk, fixture } from './fixture-files.js';

const embed = { callbacks: null, errbacks: null, chain: null, chord: null };

describe('decodeTaskMessage on captured messages', () => {
  it('task-message.json: a plain protocol 2 call of app.add(2, 3)', () => {
    const task = expectOk(decodeTaskMessage(fixture('task-message.json')));
    const id = '1fd839f2-3886-4ad6-a78f-8a3d4baca96d';
    expect(task).toMatchObject({
      protocol: 2,
      id,
      name: 'app.add',
      args: [2, 3],
      kwargs: {},
      embed,
      argsRepr: '(2, 3)',
      kwargsRepr: '{}',
      eta: null,
      expires: null,
      retries: 0,
      rootId: id,
      parentId: null,
      groupId: null,
      origin: 'gen20496@vm',
      shadow: null,
      timeLimit: [null, null],
      ignoreResult: false,
      routingKey: 'celery',
      exchange: '',
      priority: 0,
      deliveryTag: 'b3e97a0c-bc10-4d78-9b03-2ae3b0eac6cf',
      redelivered: false,
      payloadNote: null,
    });
    expect(task.envelope.rawBytes).toBe(fixture('task-message.json').length);
    expect(task.envelope.properties.correlation_id).toBe(id);
  });

  it('task-message-priority7.json keeps the raw priority and real JSON args', () => {
    const task = expectOk(decodeTaskMessage(fixture('task-message-priority7.json')));
    expect(task.priority).toBe(7);
    expect(task.name).toBe('app.echo');
    expect(task.args).toEqual([1, 'two', { three: 3 }]);
    expect(task.kwargs).toEqual({ k: [1, 2] });
    expect(task.kwargsRepr).toBe("{'k': [1, 2]}");
  });

  it('task-message-eta-expires.json: naive eta kept as written, aware expires, parked queue', () => {
    const task = expectOk(decodeTaskMessage(fixture('task-message-eta-expires.json')));
    expect(task.eta).toBe('2026-11-24T12:43:44.500414');
    expect(task.expires).toBe('2026-11-24T13:43:44.500457+00:00');
    expect(task.routingKey).toBe('parked');
    expect(task.args).toEqual([5, 5]);
    expect(task.envelope.properties.expiration).toBe('3600000');
  });

  it('task-message-self-retry.json: same id, retries 1, parent is itself', () => {
    const task = expectOk(decodeTaskMessage(fixture('task-message-self-retry.json')));
    expect(task).toMatchObject({
      name: 'app.flaky',
      id: 'a8d48ac9-99da-4e44-9145-e7478ba2cc1c',
      parentId: 'a8d48ac9-99da-4e44-9145-e7478ba2cc1c',
      retries: 1,
      eta: '2026-11-24T12:43:39.348288+00:00',
      args: [7],
    });
    expect(task.envelope.properties.replaced_task_nesting).toBe(0);
  });

  it('task-message-from-node.json: compact JSON from Node decodes the same way', () => {
    const task = expectOk(decodeTaskMessage(fixture('task-message-from-node.json')));
    expect(task).toMatchObject({ name: 'app.add', args: [21, 21], origin: 'qtop@vm', routingKey: 'celery' });
  });
});

describe('decodeUnackedEntry', () => {
  it('unacked-hash-value.json: [envelope, exchange, routing_key]', () => {
    const entry = expectOk(decodeUnackedEntry(fixture('unacked-hash-value.json')));
    expect(entry.exchange).toBe('');
    expect(entry.routingKey).toBe('celery');
    expect(entry.message).toMatchObject({
      name: 'app.add',
      args: [2, 3],
      deliveryTag: 'b3e97a0c-bc10-4d78-9b03-2ae3b0eac6cf',
    });
  });

  it('rejects other shapes', () => {
    const envelope = JSON.parse(fixture('task-message.json'));
    expect(expectFail(decodeUnackedEntry(JSON.stringify([envelope, ''])))).toBe(
      'unacked entry has 2 items, expected 3',
    );
    expect(expectFail(decodeUnackedEntry(JSON.stringify(envelope)))).toBe(
      'unacked entry is not an array (object)',
    );
    expect(expectFail(decodeUnackedEntry(JSON.stringify([envelope, 1, 'celery'])))).toMatch(
      /exchange is not a string/,
    );
    expect(expectFail(decodeUnackedEntry(JSON.stringify(['x', '', 'celery'])))).toBe(
      'envelope is not a JSON object (string)',
    );
  });
});

describe('decodeTaskMessage edge cases', () => {
  it('protocol 1: no headers.task, everything in a body object', () => {
    const raw = envelopeText({
      headers: {},
      body: {
        task: 'app.add',
        id: 'p1',
        args: [1],
        kwargs: { a: 1 },
        retries: 2,
        eta: null,
        taskset: 'g1',
        timelimit: [10, 5],
      },
    });
    const task = expectOk(decodeTaskMessage(raw));
    expect(task).toMatchObject({
      protocol: 1,
      id: 'p1',
      name: 'app.add',
      args: [1],
      kwargs: { a: 1 },
      retries: 2,
      groupId: 'g1',
      timeLimit: [10, 5],
      routingKey: 'celery',
    });
  });

  it('protocol 2 body must have exactly three items', () => {
    expect(expectFail(decodeTaskMessage(envelopeText({ body: [[1], {}] })))).toBe(
      'protocol 2 body has 2 items, expected 3',
    );
    expect(expectFail(decodeTaskMessage(envelopeText({ body: [[1], {}, {}, {}] })))).toBe(
      'protocol 2 body has 4 items, expected 3',
    );
    expect(expectFail(decodeTaskMessage(envelopeText({ body: { task: 'x' } })))).toBe(
      'protocol 2 body is not an array (object)',
    );
  });

  it('embed may be {} or null, but not a scalar (wire doc 5.1)', () => {
    expect(expectOk(decodeTaskMessage(envelopeText({ body: [[], {}, {}] }))).embed).toEqual({});
    expect(expectOk(decodeTaskMessage(envelopeText({ body: [[], {}, null] }))).embed).toBeNull();
    expect(expectFail(decodeTaskMessage(envelopeText({ body: [[], {}, 5] })))).toBe(
      'embed is not an object (number)',
    );
  });

  it('args and kwargs must have the right types', () => {
    expect(expectFail(decodeTaskMessage(envelopeText({ body: [{}, {}, null] })))).toBe(
      'args is not an array (object)',
    );
    expect(expectFail(decodeTaskMessage(envelopeText({ body: [[], [], null] })))).toBe(
      'kwargs is not an object (array)',
    );
  });

  it('id and name come from the headers in protocol 2', () => {
    expect(expectFail(decodeTaskMessage(envelopeText({ headers: { task: 'app.add' } })))).toBe(
      'missing headers.id',
    );
    expect(expectFail(decodeTaskMessage(envelopeText({ headers: { task: 7, id: 'x' } })))).toBe(
      'missing headers.task',
    );
  });

  it('a pickle payload still gives the task from its headers, with a note and no args', () => {
    const raw = envelopeText({
      contentType: 'application/x-python-serialize',
      body: Buffer.from([0x80, 4, 0x95, 0xff]),
    });
    const task = expectOk(decodeTaskMessage(raw));
    expect(task).toMatchObject({ id: 'task-1', name: 'app.add', args: null, kwargs: null });
    expect(task.payloadNote).toBe('pickle payload, not decoded');
  });

  it('a pickle payload without headers.task cannot be read', () => {
    const raw = envelopeText({
      headers: {},
      contentType: 'application/x-python-serialize',
      body: Buffer.from([0x80]),
    });
    expect(expectFail(decodeTaskMessage(raw))).toMatch(/^pickle payload, not decoded/);
  });

  it('kombu 5.3 JSON markers in args pass through unchanged', () => {
    const marker = { __type__: 'datetime', __value__: '2024-01-01T00:00:00' };
    const task = expectOk(decodeTaskMessage(envelopeText({ body: [[marker], { when: marker }, null] })));
    expect(task.args).toEqual([marker]);
    expect(task.kwargs).toEqual({ when: marker });
  });

  it('a 20 MB argument decodes', () => {
    const big = 'x'.repeat(20_000_000);
    const task = expectOk(decodeTaskMessage(envelopeText({ body: [[big], {}, null] })));
    expect((task.args?.[0] as string).length).toBe(20_000_000);
  });

  it('redelivered comes from headers or delivery_info (wire doc 3.4)', () => {
    const fromHeaders = envelopeText({ headers: { task: 'a', id: 'b', redelivered: true } });
    expect(expectOk(decodeTaskMessage(fromHeaders)).redelivered).toBe(true);
    const fromInfo = envelopeText({
      properties: { delivery_info: { exchange: '', routing_key: 'q', redelivered: true } },
    });
    expect(expectOk(decodeTaskMessage(fromInfo)).redelivered).toBe(true);
  });
});
