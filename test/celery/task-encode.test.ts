import { describe, expect, it } from 'vitest';
import { wireOptions } from '../../src/celery/options.js';
import { parsePythonLiteral } from '../../src/celery/py-literal.js';
import {
  encodeTaskMessage,
  expectedPriorityListKey,
  TASK_HEADER_ORDER,
  type TaskSpec,
} from '../../src/celery/task-encode.js';
import { decodeTaskMessage } from '../../src/celery/task-message.js';
import type { Json, JsonObject } from '../../src/celery/types.js';
import { expectFail, expectOk, fixture, loadManifest } from './fixture-files.js';

const SEP = '\x06\x16';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const defaults = wireOptions();

type Envelope = {
  body: string;
  headers: JsonObject;
  properties: JsonObject & { delivery_info: JsonObject };
} & JsonObject;

function open(raw: string): { envelope: Envelope; body: Json[] } {
  const envelope = JSON.parse(raw) as Envelope;
  return { envelope, body: JSON.parse(Buffer.from(envelope.body, 'base64').toString('utf8')) as Json[] };
}

/** Key order at every level, so shapes compare independent of values. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).map(([k, v]) => [k, k === 'body' ? 'string' : shape(v)]);
  }
  return typeof value;
}

const add: TaskSpec = { name: 'app.add', args: [21, 21], kwargs: {}, queue: 'celery', origin: 'qtop@vm' };

describe('encodeTaskMessage', () => {
  it('writes the message the Node check published (task-message-from-node.json), byte for byte', () => {
    const captured = fixture('task-message-from-node.json');
    const { envelope } = open(captured);
    const encoded = expectOk(
      encodeTaskMessage(
        {
          ...add,
          id: envelope.headers.id as string,
          deliveryTag: envelope.properties.delivery_tag as string,
        },
        defaults,
      ),
    );
    expect(encoded.raw).toBe(captured);
    const entry = loadManifest().find((e) => e.file === 'task-message-from-node.json')!;
    expect(encoded.listKey).toBe(entry.key_or_channel);
  });

  it('has the key order and shape of a message written by Celery itself (task-message.json)', () => {
    const python = open(fixture('task-message.json')).envelope;
    const ours = open(expectOk(encodeTaskMessage(add, defaults)).raw).envelope;
    expect(shape(ours)).toEqual(shape(python));
    expect(Object.keys(ours.headers)).toEqual([...TASK_HEADER_ORDER]);
    expect(Object.keys(python.headers)).toEqual([...TASK_HEADER_ORDER]);
    expect(Object.keys(ours)).toEqual(['body', 'content-encoding', 'content-type', 'headers', 'properties']);
  });

  it('fills every required field and default (wire doc 5.2)', () => {
    const encoded = expectOk(
      encodeTaskMessage({ name: 'app.add', args: [2, 3], kwargs: {}, queue: 'celery' }, defaults),
    );
    const { envelope, body } = open(encoded.raw);
    expect(encoded.id).toMatch(UUID);
    expect(encoded.deliveryTag).toMatch(UUID);
    expect(encoded.id).not.toBe(encoded.deliveryTag);
    expect(envelope['content-type']).toBe('application/json');
    expect(envelope['content-encoding']).toBe('utf-8');
    expect(envelope.headers).toEqual({
      lang: 'py',
      task: 'app.add',
      id: encoded.id,
      shadow: null,
      eta: null,
      expires: null,
      group: null,
      group_index: null,
      retries: 0,
      timelimit: [null, null],
      root_id: encoded.id,
      parent_id: null,
      argsrepr: '(2, 3)',
      kwargsrepr: '{}',
      origin: 'qtop',
      ignore_result: false,
    });
    expect(envelope.properties).toEqual({
      correlation_id: encoded.id,
      reply_to: '',
      delivery_mode: 2,
      delivery_info: { exchange: '', routing_key: 'celery' },
      priority: 0,
      body_encoding: 'base64',
      delivery_tag: encoded.deliveryTag,
    });
    expect(body).toEqual([[2, 3], {}, { callbacks: null, errbacks: null, chain: null, chord: null }]);
    expect(encoded.listKey).toBe('celery');
    expect(encoded.bindingKey).toBe('_kombu.binding.celery');
    expect(encoded.bindingMember).toBe(`celery${SEP}${SEP}celery`);
  });

  it('passes every optional field through, and decodes back with the shared decoder', () => {
    const spec: TaskSpec = {
      name: 'app.echo',
      args: [1, 'two', { three: 3 }, 'héllo'],
      kwargs: { k: [1, 2], when: { __type__: 'datetime', __value__: '2026-11-24T12:43:39' } },
      queue: 'other',
      priority: 5,
      id: 'id-1',
      eta: '2026-11-24T12:43:39.348288+00:00',
      expires: '2026-11-24T13:43:44.500457',
      retries: 2,
      rootId: 'root-1',
      parentId: 'parent-1',
      groupId: 'group-1',
      groupIndex: 4,
      timeLimit: [60, 30.5],
      ignoreResult: true,
      shadow: 'shadowed',
      origin: 'qtop@host',
      deliveryTag: 'tag-1',
      embed: { callbacks: [{ task: 'app.cb' }], errbacks: null, chain: null, chord: null },
    };
    const encoded = expectOk(encodeTaskMessage(spec, defaults));
    const message = expectOk(decodeTaskMessage(encoded.raw));
    expect(message).toMatchObject({
      protocol: 2,
      id: 'id-1',
      name: 'app.echo',
      args: spec.args,
      kwargs: spec.kwargs,
      embed: spec.embed,
      eta: spec.eta,
      expires: spec.expires,
      retries: 2,
      rootId: 'root-1',
      parentId: 'parent-1',
      groupId: 'group-1',
      origin: 'qtop@host',
      shadow: 'shadowed',
      timeLimit: [60, 30.5],
      ignoreResult: true,
      routingKey: 'other',
      exchange: '',
      priority: 5,
      deliveryTag: 'tag-1',
      redelivered: false,
    });
    const { envelope } = open(encoded.raw);
    expect(envelope.headers.group_index).toBe(4);
    expect(Object.keys(envelope.headers)).toEqual([...TASK_HEADER_ORDER]);
    expect(encoded.listKey).toBe(`other${SEP}3`);
    expect(encoded.bindingMember).toBe(`other${SEP}${SEP}other`);
  });

  it("writes Celery's saferepr as argsrepr/kwargsrepr, which parse back to the args", () => {
    const spec: TaskSpec = { ...add, args: ["it's", 'C:\\new', [1, null]], kwargs: { k: [1, 2], ok: true } };
    const { envelope } = open(expectOk(encodeTaskMessage(spec, defaults)).raw);
    expect(envelope.headers.argsrepr).toBe("('it\\'s', 'C:\\new', [1, None])");
    expect(envelope.headers.kwargsrepr).toBe("{'k': [1, 2], 'ok': True}");
    expect(expectOk(parsePythonLiteral(envelope.headers.argsrepr as string))).toEqual(spec.args);
    expect(expectOk(parsePythonLiteral(envelope.headers.kwargsrepr as string))).toEqual(spec.kwargs);
    const single = open(expectOk(encodeTaskMessage({ ...add, args: [7] }, defaults)).raw).envelope;
    expect(single.headers.argsrepr).toBe('(7,)');
  });

  it('cuts argsrepr at 1024 characters like Celery and keeps the full args in the body', () => {
    const args = [Array.from({ length: 1000 }, (_, i) => i)];
    const { envelope, body } = open(expectOk(encodeTaskMessage({ ...add, args }, defaults)).raw);
    expect((envelope.headers.argsrepr as string).length).toBeLessThan(1100);
    expect((envelope.headers.argsrepr as string).endsWith(', ...],)')).toBe(true);
    expect(body[0]).toEqual(args);
  });

  it('keeps given reprs (apps hide secrets in them) and unknown extra headers, after the documented ones', () => {
    const encoded = expectOk(
      encodeTaskMessage(
        {
          ...add,
          argsRepr: '(***)',
          kwargsRepr: '{***}',
          extraHeaders: { stamps: {}, stamped_headers: null, task: 'evil.override', __proto__x: 1 },
        },
        defaults,
      ),
    );
    const { envelope } = open(encoded.raw);
    expect(envelope.headers.argsrepr).toBe('(***)');
    expect(envelope.headers.kwargsrepr).toBe('{***}');
    expect(envelope.headers.task).toBe('app.add');
    expect(Object.keys(envelope.headers)).toEqual([
      ...TASK_HEADER_ORDER,
      'stamps',
      'stamped_headers',
      '__proto__x',
    ]);
  });

  it('keeps a __proto__ extra header as data', () => {
    const extra = JSON.parse('{"__proto__": {"x": 1}}') as JsonObject;
    const { envelope } = open(expectOk(encodeTaskMessage({ ...add, extraHeaders: extra }, defaults)).raw);
    expect(Object.keys(envelope.headers).at(-1)).toBe('__proto__');
  });

  it('routes by priority like kombu: 7 -> SEP6, 255 -> SEP9 while properties keep the raw number', () => {
    const captured = open(fixture('task-message-priority7.json')).envelope;
    const entry = loadManifest().find((e) => e.file === 'task-message-priority7.json')!;
    const encoded = expectOk(encodeTaskMessage({ ...add, priority: 7 }, defaults));
    expect(encoded.listKey).toBe(entry.key_or_channel);
    expect(open(encoded.raw).envelope.properties.priority).toBe(captured.properties.priority);
    const high = expectOk(encodeTaskMessage({ ...add, priority: 255 }, defaults));
    expect(high.listKey).toBe(`celery${SEP}9`);
    expect(open(high.raw).envelope.properties.priority).toBe(255);
  });

  it('honours the wire options in key names but never in the message', () => {
    const opts = wireOptions({
      globalKeyprefix: 'pfx:',
      sep: ':',
      prioritySteps: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    });
    const encoded = expectOk(encodeTaskMessage({ ...add, queue: 'septest', priority: 5 }, opts));
    expect(encoded.listKey).toBe('pfx:septest:5');
    expect(encoded.bindingKey).toBe('pfx:_kombu.binding.septest');
    expect(encoded.bindingMember).toBe('septest::septest');
    expect(open(encoded.raw).envelope.properties.delivery_info).toEqual({
      exchange: '',
      routing_key: 'septest',
    });
  });

  it('accepts embed null and {} (both ran on 5.2, wire doc 5.1)', () => {
    expect(open(expectOk(encodeTaskMessage({ ...add, embed: null }, defaults)).raw).body[2]).toEqual({
      callbacks: null,
      errbacks: null,
      chain: null,
      chord: null,
    });
    expect(open(expectOk(encodeTaskMessage({ ...add, embed: {} }, defaults)).raw).body[2]).toEqual({});
  });

  it('makes fresh ids on every call', () => {
    const ids = new Set(Array.from({ length: 50 }, () => expectOk(encodeTaskMessage(add, defaults)).id));
    expect(ids.size).toBe(50);
  });

  it.each<[string, Partial<TaskSpec> | Record<string, unknown>, RegExp]>([
    ['empty name', { name: '' }, /task name/],
    ['args not an array', { args: { 0: 1 } }, /args must be an array/],
    ['kwargs an array', { kwargs: [] }, /kwargs must be a plain object/],
    ['kwargs null', { kwargs: null }, /kwargs must be a plain object/],
    ['kwargs a Map', { kwargs: new Map() }, /kwargs must be a plain object/],
    ['empty queue', { queue: '' }, /queue must be/],
    ['queue with the separator', { queue: `a${SEP}b` }, /separator/],
    ['fractional priority', { priority: 1.5 }, /priority/],
    ['priority 256', { priority: 256 }, /priority/],
    ['negative priority', { priority: -1 }, /priority/],
    ['empty id', { id: '' }, /id must be/],
    ['numeric origin', { origin: 5 }, /origin must be/],
    ['eta with Z', { eta: '2026-11-24T12:43:39Z' }, /eta must be ISO 8601/],
    ['eta as a date only', { eta: '2026-11-24' }, /eta must be ISO 8601/],
    ['eta in month 13', { eta: '2026-13-24T12:43:39' }, /eta must be ISO 8601/],
    ['expires garbage', { expires: 'tomorrow' }, /expires must be ISO 8601/],
    ['negative retries', { retries: -1 }, /retries/],
    ['fractional group index', { groupIndex: 0.5 }, /groupIndex/],
    ['time limit of one value', { timeLimit: [1] }, /timeLimit/],
    ['negative time limit', { timeLimit: [null, -1] }, /timeLimit/],
    ['ignoreResult not boolean', { ignoreResult: 'yes' }, /ignoreResult/],
    ['embed an array', { embed: [] }, /embed/],
    ['NaN in args', { args: [Number.NaN] }, /args\[0\] is NaN/],
    ['Infinity in kwargs', { kwargs: { a: [1, Number.POSITIVE_INFINITY] } }, /kwargs\.a\[1\] is Infinity/],
    ['undefined in args', { args: [undefined] }, /args\[0\] is undefined/],
    ['sparse args', { args: new Array(3) }, /args\[0\] is undefined/],
    ['a Date in kwargs', { kwargs: { when: new Date(0) } }, /kwargs\.when is object, not JSON/],
    ['a function in args', { args: [() => 1] }, /args\[0\] is function/],
    ['a bigint in args', { args: [1n] }, /args\[0\] is bigint/],
  ])('refuses %s', (_label, patch, reason) => {
    expect(expectFail(encodeTaskMessage({ ...add, ...patch } as TaskSpec, defaults))).toMatch(reason);
  });

  it('refuses cyclic args instead of overflowing', () => {
    const cyclic: Json[] = [];
    cyclic.push(cyclic);
    expect(expectFail(encodeTaskMessage({ ...add, args: cyclic }, defaults))).toMatch(/too deeply/);
  });
});

describe('expectedPriorityListKey', () => {
  it('maps priorities to lists', () => {
    expect(expectedPriorityListKey(defaults, 'celery', 0)).toBe('celery');
    expect(expectedPriorityListKey(defaults, 'celery', 2)).toBe('celery');
    expect(expectedPriorityListKey(defaults, 'celery', 3)).toBe(`celery${SEP}3`);
    expect(expectedPriorityListKey(defaults, 'celery', 9)).toBe(`celery${SEP}9`);
    expect(expectedPriorityListKey(wireOptions({ globalKeyprefix: 'p:' }), 'q', 6)).toBe(`p:q${SEP}6`);
  });
});
