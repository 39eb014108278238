import { describe, expect, it } from 'vitest';
import type { Action, InspectReply, UnackedSample } from '../../src/store/actions.js';
import { createModel } from '../../src/store/create-model.js';
import { reduceTasks } from '../../src/store/reduce-tasks.js';
import { selectTasks } from '../../src/store/select-tasks.js';
import { eventsAction, peeked, taskEvent } from './task-fixtures.js';

// Polled sources report the same tasks every few seconds. A poll that says nothing new must
// not re-touch a task (move it to the recency end, bump updatedAt), or queued tasks would
// stay on top of the "updated" sort forever and eviction would follow the poll.
const t0 = 1_795_524_200;
const at0 = t0 * 1000;

function queuesAction(at: number, ...ids: string[]): Action {
  const peek = ids.map((id, position) => peeked(id, { position }));
  return {
    type: 'queues/sampled',
    at,
    queues: [{ name: 'celery', exchanges: ['celery'], lengths: { 0: peek.length }, peek }],
    undecodableBindings: 0,
  };
}

function unackedAction(at: number, id: string): Action {
  const entry: UnackedSample = {
    deliveryTag: `tag-${id}`,
    deliveredAt: t0 - 5,
    queue: 'celery',
    message: peeked(id),
    note: null,
  };
  return { type: 'unacked/sampled', at, total: 1, entries: [entry] };
}

function activeAction(at: number, id: string): Action {
  const info = { id, name: 'app.add', args: [2, 3], kwargs: {}, time_start: t0 - 1, delivery_info: {} };
  const replies: InspectReply[] = [{ node: 'w1@vm', value: [info], error: null }];
  return { type: 'inspect/replied', at, method: 'active', replies, silent: [] };
}

const order = (m: ReturnType<typeof createModel>) => [...m.tasks.keys()];
const updatedFirst = (m: ReturnType<typeof createModel>) =>
  selectTasks(m, at0 + 60_000, { sort: 'updated' }).rows.map((r) => r.id);

describe('polled sources touch a task only when something changed', () => {
  it('a queued task seen again by the next peek stays below a task that finished meanwhile', () => {
    const m = createModel(at0);
    reduceTasks(m, queuesAction(at0, 'queued'));
    reduceTasks(m, eventsAction(at0 + 500, taskEvent('task-succeeded', 'done', t0 + 0.5, { runtime: 1 })));
    reduceTasks(m, queuesAction(at0 + 1000, 'queued'));
    reduceTasks(m, queuesAction(at0 + 2000, 'queued'));
    expect(order(m)).toEqual(['queued', 'done']);
    expect(updatedFirst(m)).toEqual(['done', 'queued']);
    expect(m.tasks.get('queued')!.updatedAt).toBe(at0);
  });

  it('a repeated unacked entry or active reply leaves the record untouched', () => {
    const m = createModel(at0);
    reduceTasks(m, unackedAction(at0, 'reserved'));
    reduceTasks(m, activeAction(at0, 'running'));
    reduceTasks(m, eventsAction(at0 + 100, taskEvent('task-failed', 'failed', t0, { exception: 'E()' })));
    reduceTasks(m, unackedAction(at0 + 5000, 'reserved'));
    reduceTasks(m, activeAction(at0 + 5000, 'running'));
    expect(order(m)).toEqual(['reserved', 'running', 'failed']);
    expect(m.tasks.get('reserved')!.updatedAt).toBe(at0);
    expect(m.tasks.get('running')!.updatedAt).toBe(at0);
  });

  it('touches the task when the poll brings a new state or a new field', () => {
    const m = createModel(at0);
    reduceTasks(m, queuesAction(at0, 'a', 'b'));
    reduceTasks(m, eventsAction(at0 + 100, taskEvent('task-succeeded', 'c', t0, { runtime: 1 })));
    // 'a' was taken by a worker: a new state (RECEIVED) from another source.
    reduceTasks(m, unackedAction(at0 + 1000, 'a'));
    expect(order(m)).toEqual(['b', 'c', 'a']);
    expect(m.tasks.get('a')!.updatedAt).toBe(at0 + 1000);
    // 'b' is seen with an ETA it did not show before: a changed field.
    reduceTasks(m, {
      ...(queuesAction(at0 + 2000, 'b') as Extract<Action, { type: 'queues/sampled' }>),
      queues: [
        {
          name: 'celery',
          exchanges: ['celery'],
          lengths: { 0: 1 },
          peek: [peeked('b', { eta: '2026-11-24T12:52:56+00:00' })],
        },
      ],
    });
    expect(order(m)).toEqual(['c', 'a', 'b']);
    expect(m.tasks.get('b')!.updatedAt).toBe(at0 + 2000);
  });

  it('a new task is always recorded at the recency end', () => {
    const m = createModel(at0);
    reduceTasks(m, queuesAction(at0, 'old'));
    reduceTasks(m, queuesAction(at0 + 1000, 'old', 'new'));
    expect(order(m)).toEqual(['old', 'new']);
    expect(m.tasks.get('new')!.firstSeenAt).toBe(at0 + 1000);
  });
});
