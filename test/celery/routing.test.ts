import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeBinding } from '../../src/celery/bindings.js';
import { wireOptions } from '../../src/celery/options.js';
import {
  type ExchangeType,
  inferExchangeType,
  parseExchangeTypes,
  restoreDeliveryInfo,
  routeMessage,
  topicKeyToPattern,
} from '../../src/celery/routing.js';
import { detectSep, messagePriority, priorityListKey, stepsOfLists } from '../../src/celery/routing-sep.js';
import type { Binding } from '../../src/celery/types.js';

/**
 * Table-driven against real kombu: test/fixtures/routing/kombu-{5.2,5.6}.json were written by
 * capture_routing.py, which declared the exchanges with kombu and asked kombu's own `_lookup`.
 */
interface Capture {
  kombu: string;
  options: string;
  exchanges: Record<string, { type: ExchangeType; members: string[] }>;
  lookups: { exchange: string; routingKey: string; declared: string[]; undeclared: string[] }[];
  priority: Record<string, string>;
}

const dir = fileURLToPath(new URL('../fixtures/routing/', import.meta.url));
const captures: Capture[] = ['kombu-5.2.json', 'kombu-5.6.json'].flatMap(
  (f) => JSON.parse(fs.readFileSync(`${dir}${f}`, 'utf8')) as Capture[],
);

function table(members: string[], sep: string): Binding[] {
  return members.map((m) => {
    const d = decodeBinding(m, sep);
    if (!d.ok) throw new Error(d.reason);
    return d.value;
  });
}

const sepOf = (c: Capture) => (c.options.startsWith("sep=':'") ? ':' : '\x06\x16');

describe.each(captures.map((c) => [`kombu ${c.kombu} ${c.options}`, c] as const))('%s', (_label, capture) => {
  const sep = sepOf(capture);
  const tables = Object.fromEntries(
    Object.entries(capture.exchanges).map(([ex, t]) => [ex, table(t.members, sep)]),
  ) as Record<string, Binding[]>;

  it('every topic pattern kombu stored is key_to_pattern of its routing key', () => {
    const topic = tables.tx!;
    expect(topic.length).toBeGreaterThan(5);
    for (const b of topic) expect(topicKeyToPattern(b.routingKey)).toBe(b.pattern);
  });

  it('the type inferred from the table is the declared one, except fanout (needs an override)', () => {
    expect(inferExchangeType('tx', tables.tx!).type).toBe('topic');
    expect(inferExchangeType('dx', tables.dx!).type).toBe('direct');
    expect(inferExchangeType('fx', tables.fx!)).toEqual({ type: 'direct', source: 'default' });
    expect(inferExchangeType('fx', tables.fx!, 'fanout')).toEqual({ type: 'fanout', source: 'override' });
  });

  it.each(
    capture.lookups.map((l) => [l.exchange || "''", l.routingKey, l] as const),
  )('exchange %s, routing key %j: the queues kombu looked up', (_ex, _rk, lookup) => {
    const t = tables[lookup.exchange] ?? [];
    const declaredType = lookup.exchange ? capture.exchanges[lookup.exchange]!.type : undefined;
    const asDeclared = routeMessage(lookup.exchange, lookup.routingKey, t, { override: declaredType });
    const asUndeclared = routeMessage(lookup.exchange, lookup.routingKey, t, { override: 'direct' });
    const queues = (r: typeof asDeclared) => (r.ok ? r.queues : []);
    expect(queues(asDeclared)).toEqual(lookup.declared);
    if (lookup.exchange) expect(queues(asUndeclared)).toEqual(lookup.undeclared);
    if (lookup.declared.length === 0) expect(asDeclared.ok).toBe(false);
    if (declaredType === 'fanout' && asDeclared.ok) expect(asDeclared.delivery).toBe('pubsub');
  });

  it.each(Object.entries(capture.priority))('priority %s goes to the list kombu chose', (repr, list) => {
    const opts =
      sep === ':' ? wireOptions({ sep: ':', prioritySteps: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] }) : wireOptions();
    const raw = repr === 'None' ? undefined : repr.startsWith("'") ? repr.slice(1, -1) : Number(repr);
    expect(priorityListKey(opts, 'celery', raw)).toBe(list);
  });

  it('the sep is detected from the members kombu wrote', () => {
    const members = Object.values(capture.exchanges).flatMap((e) => e.members);
    expect(detectSep(sep, members)).toMatchObject({ detected: sep, mismatch: null });
    const other = sep === ':' ? '\x06\x16' : ':';
    const wrong = detectSep(other, members);
    expect(wrong.detected).toBe(sep);
    expect(wrong.mismatch).toContain('start qtop with --sep');
  });
});

describe('routeMessage refusals', () => {
  const SEP = '\x06\x16';
  const direct = table([`high${SEP}${SEP}hq`], SEP);

  it('no binding set: names the exchange', () => {
    const r = routeMessage('tasks', 'x', []);
    expect(r).toEqual({
      ok: false,
      reason: expect.stringContaining('_kombu.binding.tasks is empty or missing'),
    });
  });

  it('no queue matches: says the type and where it came from', () => {
    const r = routeMessage('tasks', 'low', direct);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.reason).toMatch(
        /^refuse: no queue matches: routing key "low" on direct exchange "tasks" \(type kombu's default/,
      );
  });

  it('members kombu cannot split make the whole exchange unroutable', () => {
    const r = routeMessage('tasks', 'high', direct, { undecodable: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('check --sep');
  });

  it('default exchange with an empty routing key goes nowhere (no dead-letter queue on Redis)', () => {
    expect(routeMessage('', '', []).ok).toBe(false);
    expect(routeMessage('', 'celery', [])).toMatchObject({ ok: true, queues: ['celery'], type: 'anon' });
  });

  it('a topic pattern that is not kombu key_to_pattern is not guessed', () => {
    const custom = table([`a.*${SEP}^a\\..+$${SEP}q`], SEP);
    const r = routeMessage('tx', 'a.b', custom);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('does not guess');
  });

  it("topic matching follows Python's `.` and `$`: a newline in the key", () => {
    const t = table(
      [`a.*${SEP}${topicKeyToPattern('a.*')}${SEP}q`, `b${SEP}${topicKeyToPattern('b')}${SEP}r`],
      SEP,
    );
    // `[^\.]` matches a newline; `$` matches before one final newline; `.` never matches a newline.
    expect(routeMessage('tx', 'a.\n', t)).toMatchObject({ ok: true, queues: ['q'] });
    expect(routeMessage('tx', 'b\n', t)).toMatchObject({ ok: true, queues: ['r'] });
    // Values checked with Python's re.match on kombu's patterns.
    expect(routeMessage('tx', 'a.\nx', t).ok).toBe(false);
    expect(routeMessage('tx', 'a.x\n\n', t).ok).toBe(true);
    expect(routeMessage('tx', 'a.\n\n', t).ok).toBe(true);
  });

  it('escapes non-alphanumerics as kombu escape_regex does (NUL as \\000)', () => {
    expect(topicKeyToPattern('a-b.*.c\0')).toBe('^a\\-b\\..*?[^\\.]\\.c\\000$');
    const t = table([`a+b${SEP}${topicKeyToPattern('a+b')}${SEP}q`], SEP);
    expect(routeMessage('tx', 'a+b', t).ok).toBe(true);
    expect(routeMessage('tx', 'aab', t).ok).toBe(false);
  });
});

describe('restoreDeliveryInfo', () => {
  const SEP = '\x06\x16';
  const topic = table(
    [`task.#${SEP}${topicKeyToPattern('task.#')}${SEP}high`, `low${SEP}${topicKeyToPattern('low')}${SEP}low`],
    SEP,
  );
  const direct = table([`high${SEP}${SEP}hq`, `low${SEP}${SEP}lq`], SEP);

  it('keeps a direct exchange whose routing key resolves to exactly the queue', () => {
    expect(restoreDeliveryInfo('lq', { exchange: 'dx', routingKey: 'low' }, direct)).toMatchObject({
      exchange: 'dx',
      routingKey: 'low',
      kept: true,
    });
  });

  it('a message moved from high to low: the default exchange, routing key = the queue (issue 14 case 1)', () => {
    expect(restoreDeliveryInfo('lq', { exchange: 'dx', routingKey: 'high' }, direct)).toMatchObject({
      exchange: '',
      routingKey: 'lq',
      kept: false,
    });
  });

  it('topic: kept only when the direct reading (an undeclaring process) agrees', () => {
    // `low` routes to low as topic and as direct (its routing key is the binding key): kept.
    expect(restoreDeliveryInfo('low', { exchange: 'tx', routingKey: 'low' }, topic).kept).toBe(true);
    // `task.high` reaches high as topic, but a process that never declared tx reads it as direct: lost.
    expect(restoreDeliveryInfo('high', { exchange: 'tx', routingKey: 'task.high' }, topic)).toMatchObject({
      exchange: '',
      routingKey: 'high',
    });
  });

  it('no original delivery_info: the default exchange', () => {
    expect(restoreDeliveryInfo('q', null, [])).toMatchObject({ exchange: '', routingKey: 'q', kept: false });
  });
});

describe('sep and priority lists', () => {
  it('detects sep from Celery direct bindings whose queue names contain another candidate', () => {
    const members = ['a:b\x06\x16\x06\x16a:b'];
    expect(detectSep(':', members)).toMatchObject({ detected: '\x06\x16' });
    expect(detectSep(':', members).mismatch).toContain('--sep "\\x06\\x16"');
  });

  it('says when no single sep splits every member', () => {
    const r = detectSep('\x06\x16', ['a::a', 'b\x06\x16\x06\x16b']);
    expect(r.detected).toBeNull();
    expect(r.mismatch).toContain('cannot tell');
  });

  it('falls back to priority list names next to known queues', () => {
    const r = detectSep('\x06\x16', [], { queues: ['celery', 'a.b'], keys: ['celery', 'a.b:3', 'celery:9'] });
    expect(r).toMatchObject({ detected: ':' });
    expect(detectSep('\x06\x16', []).mismatch).toBeNull();
  });

  it('steps of a queue from its lists', () => {
    expect(stepsOfLists('celery', ':', ['celery', 'celery:3', 'celery:10', 'celeryx:2', 'celery:x'])).toEqual(
      [0, 3, 10],
    );
  });

  it('message priority as Python int(): truncated, clamped, strings and booleans', () => {
    expect([5.9, -3, 42, '7', ' 2 ', 'x', true, null, Number.NaN].map(messagePriority)).toEqual([
      5, 0, 9, 7, 2, 0, 1, 0, 0,
    ]);
  });

  it('list key carries the global keyprefix', () => {
    expect(priorityListKey(wireOptions({ globalKeyprefix: 'app1:' }), 'q', 6)).toBe('app1:q\x06\x166');
  });
});

describe('parseExchangeTypes', () => {
  it('NAME=TYPE, the last = splits (exchange names may hold =)', () => {
    const r = parseExchangeTypes(['tasks=topic', 'a=b=fanout']);
    expect(r.ok && [...r.types]).toEqual([
      ['tasks', 'topic'],
      ['a=b', 'fanout'],
    ]);
  });

  it('names the bad value', () => {
    expect(parseExchangeTypes(['tasks=headers'])).toEqual({
      ok: false,
      reason: '--exchange-type takes NAME=direct|topic|fanout, got "tasks=headers"',
    });
    expect(parseExchangeTypes(['=topic']).ok).toBe(false);
  });
});
