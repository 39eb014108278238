import { describe, expect, it } from 'vitest';
import { seriesRate } from '../../src/metrics/series.js';
import type { Action, InspectMethod, InspectReply, UnackedSample } from '../../src/store/actions.js';
import { createModel } from '../../src/store/create-model.js';
import { reduceTasks } from '../../src/store/reduce-tasks.js';
import { eventsAction, fixtureReplies, peeked, taskEvent } from './task-fixtures.js';

const t0 = 1_795_524_200;
const at0 = t0 * 1000;

function queuesAction(at: number, queue: string, ...peek: ReturnType<typeof peeked>[]): Action {
  return {
    type: 'queues/sampled',
    at,
    queues: [{ name: queue, exchanges: [''], lengths: { 0: peek.length }, peek }],
    undecodableBindings: 0,
  };
}

function unackedAction(at: number, ...entries: UnackedSample[]): Action {
  return { type: 'unacked/sampled', at, total: entries.length, entries };
}

function inspectAction(at: number, method: InspectMethod, replies: InspectReply[]): Action {
  return { type: 'inspect/replied', at, method, replies, silent: [] };
}

describe('reduceTasks: queue peeks', () => {
  it('records a queued message as PENDING with its exact call, once on the timeline', () => {
    const m = createModel(at0);
    reduceTasks(m, queuesAction(at0, 'other', peeked('q1', { eta: '2026-11-24T12:52:56+00:00' })));
    reduceTasks(m, queuesAction(at0 + 2000, 'other', peeked('q1')));
    const task = m.tasks.get('q1')!;
    expect([task.state, task.name, task.queue, task.argsRepr]).toEqual([
      'PENDING',
      'app.add',
      'other',
      '(2, 3)',
    ]);
    expect(task.args).toEqual([2, 3]);
    expect(task.eta).toBe('2026-11-24T12:52:56+00:00');
    expect(task.stateAt).toBe(t0);
    expect(task.origins).toEqual(['queue']);
    expect(task.timeline.map((e) => e.type)).toEqual(['seen-in-queue']);
  });

  it('never moves a started task back to PENDING, but fills in its exact args', () => {
    const m = createModel(at0);
    reduceTasks(m, eventsAction(at0, taskEvent('task-started', 'q2', t0)));
    reduceTasks(m, queuesAction(at0 + 1, 'celery', peeked('q2', { args: [7], kwargs: { k: 1 } })));
    const task = m.tasks.get('q2')!;
    expect(task.state).toBe('STARTED');
    expect(task.args).toEqual([7]);
    expect(task.kwargs).toEqual({ k: 1 });
    expect(task.queue).toBe('celery');
  });

  it('skips messages without an id and keeps the sampler note', () => {
    const m = createModel(at0);
    const changed = reduceTasks(
      m,
      queuesAction(
        at0,
        'celery',
        peeked('x', { args: null, kwargs: null, note: 'pickle payload, not decoded' }),
        {
          ...peeked('y'),
          id: null,
        },
      ),
    );
    expect(changed).toBe(true);
    expect([...m.tasks.keys()]).toEqual(['x']);
    expect(m.tasks.get('x')!.note).toBe('pickle payload, not decoded');
  });

  it('attributes a later task-received to the peeked queue', () => {
    const m = createModel(at0);
    reduceTasks(m, queuesAction(at0, 'other', peeked('q3')));
    reduceTasks(m, eventsAction(at0 + 500, taskEvent('task-received', 'q3', t0 + 0.5, { name: 'app.add' })));
    expect(m.tasks.get('q3')!.state).toBe('RECEIVED');
    expect(seriesRate(m.queues.get('other')!.outRate, at0 + 1000, 60_000).count).toBe(1);
  });
});

describe('reduceTasks: unacked', () => {
  const entry = (id: string): UnackedSample => ({
    deliveryTag: `tag-${id}`,
    deliveredAt: t0 - 5,
    queue: 'celery',
    message: peeked(id),
    note: null,
  });

  it('treats a message in unacked as RECEIVED, delivered at its index score', () => {
    const m = createModel(at0);
    reduceTasks(m, unackedAction(at0, entry('u1'), { ...entry('u2'), message: null }));
    const task = m.tasks.get('u1')!;
    expect([task.state, task.queue, task.receivedAt, task.stateAt]).toEqual([
      'RECEIVED',
      'celery',
      t0 - 5,
      t0 - 5,
    ]);
    expect(task.origins).toEqual(['unacked']);
    expect(m.tasks.size).toBe(1);
  });

  it('keeps a better state already known (acks_late tasks stay in unacked while running)', () => {
    const m = createModel(at0);
    reduceTasks(m, eventsAction(at0, taskEvent('task-started', 'u3', t0)));
    reduceTasks(m, unackedAction(at0 + 1, entry('u3')));
    expect(m.tasks.get('u3')!.state).toBe('STARTED');
    expect(m.tasks.get('u3')!.origins).toEqual(['event', 'unacked']);
  });
});

describe('reduceTasks: inspect replies (real Celery 5.2 fixtures)', () => {
  it('marks active tasks STARTED on their worker with time_start', () => {
    const m = createModel(at0);
    expect(reduceTasks(m, inspectAction(at0, 'active', fixtureReplies('pidbox-reply-active.json')))).toBe(
      true,
    );
    const task = m.tasks.get('8f49e99e-9a54-4e23-a98a-4d3d9d7d8718')!;
    expect([task.state, task.worker, task.name, task.queue]).toEqual([
      'STARTED',
      'w1@vm',
      'app.sleepy',
      'celery',
    ]);
    expect(task.startedAt).toBe(1795524233.8375359);
    expect(task.stateAt).toBe(1795524233.8375359);
    expect(task.args).toEqual([30]);
    expect(task.origins).toEqual(['inspect']);
    expect(task.timeline.map((e) => e.type)).toEqual(['seen-active']);
    expect(m.tasks.has('15a90245-5a76-4621-97c3-61a761b64aac')).toBe(true);
  });

  it('marks reserved tasks RECEIVED', () => {
    const m = createModel(at0);
    reduceTasks(m, inspectAction(at0, 'reserved', fixtureReplies('pidbox-reply-reserved.json')));
    const task = m.tasks.get('f7e9f011-c373-4977-8d0e-4706041b4670')!;
    expect([task.state, task.worker, task.startedAt, task.stateAt]).toEqual(['RECEIVED', 'w1@vm', null, t0]);
  });

  it('marks scheduled tasks RECEIVED with their ETA and queue', () => {
    const m = createModel(at0);
    reduceTasks(m, inspectAction(at0, 'scheduled', fixtureReplies('pidbox-reply-scheduled.json')));
    const task = m.tasks.get('47e20b7e-935c-4613-8197-b39b739e6e74')!;
    expect([task.state, task.worker, task.queue, task.name]).toEqual([
      'RECEIVED',
      'w2@vm',
      'other',
      'app.add',
    ]);
    expect(task.eta).toBe('2026-11-24T12:52:56.000099+00:00');
    expect(task.args).toEqual([1, 1]);
  });

  it('keeps repr strings of safe mode as reprs', () => {
    const m = createModel(at0);
    const info = {
      id: 's1',
      name: 'app.add',
      args: '(1, 2)',
      kwargs: '{}',
      time_start: null,
      delivery_info: {},
    };
    reduceTasks(m, inspectAction(at0, 'reserved', [{ node: 'w1@vm', value: [info], error: null }]));
    const task = m.tasks.get('s1')!;
    expect([task.argsRepr, task.kwargsRepr, task.args, task.queue]).toEqual(['(1, 2)', '{}', null, null]);
  });

  it('does not move a finished task back, and ignores errors and other methods', () => {
    const m = createModel(at0);
    const id = '8f49e99e-9a54-4e23-a98a-4d3d9d7d8718';
    reduceTasks(m, eventsAction(at0, taskEvent('task-succeeded', id, t0, { runtime: 1, hostname: 'w3@vm' })));
    reduceTasks(m, inspectAction(at0 + 1, 'active', fixtureReplies('pidbox-reply-active.json')));
    // A lagging reply fills in what is missing but overwrites nothing of a better state.
    expect(m.tasks.get(id)!.state).toBe('SUCCESS');
    expect(m.tasks.get(id)!.worker).toBe('w3@vm');
    expect(m.tasks.get(id)!.queue).toBe('celery');
    const size = m.tasks.size;
    const error = { node: 'w2@vm', value: null, error: "KeyError('x')" };
    expect(reduceTasks(m, inspectAction(at0 + 2, 'active', [error]))).toBe(false);
    expect(
      reduceTasks(m, inspectAction(at0 + 2, 'registered', fixtureReplies('pidbox-reply-active.json'))),
    ).toBe(false);
    expect(m.tasks.size).toBe(size);
  });
});
