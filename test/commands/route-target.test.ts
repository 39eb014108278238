import { describe, expect, it } from 'vitest';
import { exchangeTypesFromReplies, mergeExchangeTypes } from '../../commands/control/exchange-types.js';
import { originalWhere, retryMessage } from '../../commands/control/retry.js';
import type { RecoveredCall } from '../../commands/control/retry-sources.js';
import {
  needsWorkerTypes,
  planByExchange,
  planByRoutingKey,
  planToQueue,
  type RoutingState,
  settleExchangeType,
  withDeliveryInfo,
} from '../../commands/control/route-target.js';
import { declaredExchanges } from '../../src/celery/active-queues.js';
import { wireOptions } from '../../src/celery/options.js';
import { topicKeyToPattern } from '../../src/celery/routing.js';
import { decodeTaskMessage } from '../../src/celery/task-message.js';
import type { Binding, Json } from '../../src/celery/types.js';
import type { BindingTable } from '../../src/sources/binding-table.js';

const SEP = '\x06\x16';

function exchange(name: string, bindings: Binding[]): BindingTable {
  return {
    exchange: name,
    table: bindings,
    undecodable: 0,
    members: bindings.map((b) => [b.routingKey, b.pattern, b.queue].join(SEP)),
  };
}

const topic = (routingKey: string, queue: string): Binding => ({
  routingKey,
  pattern: topicKeyToPattern(routingKey),
  queue,
});
const direct = (routingKey: string, queue: string): Binding => ({ routingKey, pattern: '', queue });

/** The app of the interop test: topic `tasks` (high: task.#, low: *.low), direct `dx`, and celery. */
function state(
  overrides: RoutingState['types'] = {},
  wire = wireOptions(),
  workers: RoutingState['workers'] = { types: {}, workers: 1 },
): RoutingState {
  // Sorted by exchange, as readTaskBindingTables returns them.
  const tables = [
    exchange('bcast', [direct('', 'b1'), direct('', 'b2')]),
    exchange('both', [direct('task.x', 'other')]),
    exchange('celery', [direct('celery', 'celery')]),
    exchange('dx', [direct('d', 'dq')]),
    exchange('tasks', [topic('task.#', 'high'), topic('*.low', 'low')]),
  ];
  const queues = new Set(tables.flatMap((t) => t.table.map((b) => b.queue)));
  return { wire, tables, queues, types: overrides, workers };
}

describe('planByExchange', () => {
  it('a topic route: the queue list for the priority, delivery_info for a restore into it', () => {
    const plan = planByExchange(state(), 'tasks', 'task.x', 7);
    expect(plan).toEqual({
      ok: true,
      targets: [{ queue: 'high', key: `high${SEP}6`, exchange: '', routingKey: 'high' }],
      via: 'topic exchange "tasks" routes "task.x" to "high"',
    });
  });

  it('keeps the original pair when both readings route it to exactly that queue', () => {
    const plan = planByExchange(state(), 'dx', 'd', 0);
    expect(plan).toMatchObject({
      ok: true,
      targets: [{ queue: 'dq', key: 'dq', exchange: 'dx', routingKey: 'd' }],
    });
  });

  it('no queue matches: refused with the reason, under an override too', () => {
    expect(planByExchange(state(), 'tasks', 'nothing', 0)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('refuse: no queue matches: routing key "nothing" on topic exchange'),
    });
    expect(planByExchange(state({ tasks: 'direct' }), 'tasks', 'task.x', 0)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('type from --exchange-type'),
    });
  });

  it('fanout is refused (kombu PUBLISHes it into no list); anon needs a declared queue', () => {
    expect(planByExchange(state({ bcast: 'fanout' }), 'bcast', 'x', 0)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('is fanout'),
    });
    expect(planByExchange(state(), '', 'task.high', 0)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('no _kombu.binding.* set names queue "task.high"'),
    });
    expect(planByExchange(state(), '', 'celery', 3)).toMatchObject({
      ok: true,
      targets: [{ queue: 'celery', key: `celery${SEP}3`, exchange: '', routingKey: 'celery' }],
    });
  });

  it('a topic key reaching two queues gives one copy per queue, each restoring into its own', () => {
    const plan = planByExchange(state(), 'tasks', 'task.low', 0);
    expect(plan).toMatchObject({
      ok: true,
      targets: [
        { queue: 'high', key: 'high', exchange: '', routingKey: 'high' },
        { queue: 'low', key: 'low', exchange: '', routingKey: 'low' },
      ],
    });
  });

  it('uses the configured sep and priority steps for the list name', () => {
    const wire = wireOptions({ sep: ':', prioritySteps: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
    const plan = planByExchange(state({}, wire), 'dx', 'd', 5);
    expect(plan).toMatchObject({ ok: true, targets: [{ key: 'dq:5' }] });
  });
});

describe('planByRoutingKey (extended meta: a routing key, no exchange)', () => {
  it('a declared queue of that name takes it by the default exchange', () => {
    expect(planByRoutingKey(state(), 'celery', 0)).toMatchObject({
      ok: true,
      targets: [{ queue: 'celery' }],
    });
  });

  it('else the one exchange that routes it', () => {
    expect(planByRoutingKey(state(), 'task.c', 0)).toMatchObject({ ok: true, targets: [{ queue: 'high' }] });
  });

  it('refuses when none or several exchanges route it', () => {
    expect(planByRoutingKey(state(), 'zzz', 0)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('no queue matches'),
    });
    expect(planByRoutingKey(state(), 'task.x', 0)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('several exchanges ("both", "tasks")'),
    });
  });
});

describe('planToQueue (move, --queue)', () => {
  it('an undeclared target is refused: qtop adds no binding', () => {
    expect(planToQueue(state(), 'nowhere', null, 0)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('no queue matches'),
    });
  });

  it('moving a topic-routed message from high to low writes the default exchange', () => {
    expect(planToQueue(state(), 'low', { exchange: 'tasks', routingKey: 'task.x' }, 9)).toMatchObject({
      ok: true,
      targets: [{ queue: 'low', key: `low${SEP}9`, exchange: '', routingKey: 'low' }],
    });
  });
});

describe('withDeliveryInfo', () => {
  it('replaces exchange and routing key, every other byte kept', () => {
    const raw =
      '{"body": "e30=", "properties": {"priority": 1.0, "delivery_info": {"exchange": "tasks", "routing_key": "task.x"}}}';
    expect(withDeliveryInfo(raw, '', 'low')).toBe(
      '{"body": "e30=", "properties": {"priority": 1.0, "delivery_info": {"exchange": "", "routing_key": "low"}}}',
    );
    expect(withDeliveryInfo('{"properties": {}}', '', 'low')).toBeNull();
  });
});

describe('retryMessage', () => {
  const original = decodeTaskMessage(
    JSON.stringify({
      body: Buffer.from(
        '[[1], {}, {"callbacks": null, "errbacks": null, "chain": null, "chord": null}]',
      ).toString('base64'),
      'content-encoding': 'utf-8',
      'content-type': 'application/json',
      headers: {
        lang: 'py',
        task: 'app.count',
        id: 'old-id',
        argsrepr: '(1,)',
        kwargsrepr: '{}',
        stamped_headers: ['mark'],
        stamps: { mark: 'm1' },
        mark: 'm1',
      },
      properties: {
        correlation_id: 'old-id',
        delivery_info: { exchange: 'tasks', routing_key: 'task.x' },
        priority: 5,
        body_encoding: 'base64',
        delivery_tag: 't1',
      },
    }),
  );
  if (!original.ok) throw new Error(original.reason);
  const call: RecoveredCall = {
    source: 'queued-message',
    name: 'app.count',
    queue: 'task.x',
    exchange: 'tasks',
    found: null,
    extraHeaders: null,
    priority: 5,
    bodyText: '[[1.0], {}, {"callbacks": null, "errbacks": null, "chain": null, "chord": null}]',
    args: [1],
    kwargs: {},
    message: original.value,
    argsRepr: '(1,)',
    kwargsRepr: '{}',
  };

  it('keeps stamps, priority and the exact body; sets the new id and the target delivery_info', () => {
    const target = { queue: 'high', key: `high${SEP}3`, exchange: '', routingKey: 'high' };
    const built = retryMessage(call, target, { taskId: 'new-id', origin: 'qtop@h' }, wireOptions());
    if (!built.ok) throw new Error(built.reason);
    const m = JSON.parse(built.raw);
    expect(m.headers).toMatchObject({
      id: 'new-id',
      stamped_headers: ['mark'],
      stamps: { mark: 'm1' },
      mark: 'm1',
    });
    expect(m.properties).toMatchObject({ priority: 5, delivery_info: { exchange: '', routing_key: 'high' } });
    expect(Buffer.from(m.body, 'base64').toString('utf8')).toBe(call.bodyText);
    expect(m.properties.delivery_tag).not.toBe('t1');
  });

  it('carries stamps recovered from extended meta', () => {
    const fromMeta: RecoveredCall = {
      ...call,
      message: null,
      extraHeaders: { stamped_headers: ['mark'], stamps: { mark: 'm2' } },
    };
    const target = { queue: 'high', key: 'high', exchange: 'tasks', routingKey: 'task.x' };
    const built = retryMessage(fromMeta, target, { taskId: 'n', origin: 'o' }, wireOptions());
    if (!built.ok) throw new Error(built.reason);
    const m = JSON.parse(built.raw);
    expect(m.headers).toMatchObject({ stamped_headers: ['mark'], stamps: { mark: 'm2' } });
    expect(m.properties.delivery_info).toEqual({ exchange: 'tasks', routing_key: 'task.x' });
  });
});

describe('originalWhere', () => {
  it('names the queue list or the unacked entry, or nothing', () => {
    expect(originalWhere(null)).toBeNull();
    const base = { raw: '', step: 0, message: null as never };
    expect(originalWhere({ ...base, queue: 'high', where: 'queue', key: `high${SEP}3` })).toContain(
      "still waits in queue 'high'",
    );
    expect(originalWhere({ ...base, queue: 'high', where: 'unacked', key: 'tag-1' })).toContain(
      'the "tag-1" entry of the unacked hash',
    );
  });
});

describe('the exchange type: --exchange-type, else the workers, else the bindings', () => {
  const none = { types: {}, workers: 0 };
  const fanoutWorkers = { types: { bcast: ['fanout' as const] }, workers: 1 };
  const unknownReason = 'refuse: exchange type unknown: give --exchange-type NAME=TYPE';

  it("the workers' fanout declaration refuses the retry, by exchange and by routing key", () => {
    const s = state({}, wireOptions(), fanoutWorkers);
    expect(planByExchange(s, 'bcast', 'x', 0)).toMatchObject({ ok: false, fanout: true });
    const byKey = planByRoutingKey(s, 'x', 0);
    expect(byKey).toMatchObject({ ok: false, reason: expect.stringContaining('"bcast" is fanout') });
  });

  it('no worker answered: a table without patterns is refused as unknown, not routed as direct', () => {
    const s = state({}, wireOptions(), none);
    expect(planByExchange(s, 'bcast', '', 0)).toEqual({
      ok: false,
      reason: expect.stringContaining(unknownReason),
    });
    expect(planByRoutingKey(s, 'x', 0)).toMatchObject({
      ok: false,
      reason: expect.stringContaining(unknownReason),
    });
  });

  it('settled types keep routing with no worker: default exchange, topic pattern, override', () => {
    const s = state({ dx: 'direct' }, wireOptions(), none);
    expect(planByExchange(s, '', 'celery', 0)).toMatchObject({ ok: true });
    expect(planByExchange(s, 'tasks', 'task.x', 0)).toMatchObject({ ok: true });
    expect(planByExchange(s, 'dx', 'd', 0)).toMatchObject({ ok: true, targets: [{ queue: 'dq' }] });
    expect(planByRoutingKey(s, 'task.y', 0)).toMatchObject({ ok: true, targets: [{ queue: 'high' }] });
  });

  it("workers that answered without declaring the exchange: kombu's default direct, as before", () => {
    expect(settleExchangeType('dx', [direct('d', 'dq')], undefined, { types: {}, workers: 2 })).toEqual({
      ok: true,
      type: undefined,
      source: 'default',
    });
  });

  it('the override wins over the workers; workers that disagree are refused', () => {
    expect(settleExchangeType('bcast', [direct('', 'b1')], 'direct', fanoutWorkers)).toMatchObject({
      ok: true,
      type: 'direct',
      source: 'override',
    });
    const split = { types: { bcast: ['direct' as const, 'fanout' as const] }, workers: 2 };
    expect(settleExchangeType('bcast', [direct('', 'b1')], undefined, split)).toMatchObject({
      ok: false,
      unknown: false,
      reason: expect.stringContaining('as direct and fanout'),
    });
  });

  it('asks the workers only when the bindings cannot settle the type, and only once', () => {
    const unasked = { ...state(), workers: undefined };
    expect(needsWorkerTypes(unasked, 'bcast', 'x')).toBe(true);
    expect(needsWorkerTypes(unasked, 'tasks', 'task.x')).toBe(false);
    expect(needsWorkerTypes(unasked, '', 'celery')).toBe(false);
    expect(needsWorkerTypes({ ...unasked, types: { bcast: 'fanout' } }, 'bcast', 'x')).toBe(false);
    expect(needsWorkerTypes(unasked, null, 'celery')).toBe(false);
    expect(needsWorkerTypes(unasked, null, 'fan')).toBe(true);
    expect(needsWorkerTypes(state(), 'bcast', 'x')).toBe(false);
  });

  it('reads the types from active_queues replies (5.2 and 5.6 shapes), merging workers', () => {
    const reply: Json = [
      { name: 'hi', exchange: { name: 'tasks.fanout', type: 'fanout', durable: true }, routing_key: 'fan' },
      { name: 'celery', exchange: { name: 'celery', type: 'direct' }, routing_key: 'celery' },
      { name: 'odd', exchange: { name: 'h', type: 'headers' } },
      { name: 'anon', exchange: { name: '', type: 'direct' } },
    ];
    expect(declaredExchanges(reply)).toEqual({ 'tasks.fanout': 'fanout', celery: 'direct' });
    expect(declaredExchanges({ ok: 'x' })).toBeNull();
    expect(
      exchangeTypesFromReplies([reply, 'pickled?', [{ exchange: { name: 'celery', type: 'topic' } }]]),
    ).toEqual({
      types: { 'tasks.fanout': ['fanout'], celery: ['direct', 'topic'] },
      workers: 2,
    });
    expect(mergeExchangeTypes([])).toEqual({ types: {}, workers: 0 });
  });
});
