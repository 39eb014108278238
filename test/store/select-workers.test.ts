import { describe, expect, it } from 'vitest';
import type { Action } from '../../src/store/actions.js';
import { createModel } from '../../src/store/create-model.js';
import { reduce } from '../../src/store/reducer.js';
import { selectWorker, selectWorkers } from '../../src/store/select-workers.js';
import { apply, inspected, inspectReplies, received, T0, taskEvents, workerEvent } from './fixture-events.js';

const beat = (hostname: string, patch = {}) =>
  workerEvent('event-worker-heartbeat.json', { hostname, ...patch });

function state(model: ReturnType<typeof createModel>, hostname: string, now: number) {
  return selectWorker(model, hostname, now)?.state;
}

describe('selectWorkers: liveness', () => {
  it('declares a worker lost once freq × 2 s pass after the heartbeat was received', () => {
    const model = createModel(T0);
    apply(model, received(T0, [beat('w1@vm')]));
    expect(state(model, 'w1@vm', T0 + 3900)).toBe('online');
    expect(state(model, 'w1@vm', T0 + 4000)).toBe('online');
    expect(state(model, 'w1@vm', T0 + 4100)).toBe('lost');
    expect(selectWorker(model, 'w1@vm', T0 + 4100)?.heartbeatAgeSec).toBeCloseTo(4.1, 10);
  });

  it('judges liveness on the receipt time, not the sender clock', () => {
    const model = createModel(T0);
    // The sender's clock is an hour behind; receipt time is what counts.
    apply(model, received(T0, [beat('w1@vm', { timestamp: T0 / 1000 - 3600 })]));
    expect(state(model, 'w1@vm', T0 + 1000)).toBe('online');
  });

  it('uses the default freq of 2 s when the heartbeat lacked one', () => {
    const model = createModel(T0);
    apply(model, received(T0, [beat('w1@vm', { freq: null })]));
    expect(state(model, 'w1@vm', T0 + 3900)).toBe('online');
    expect(state(model, 'w1@vm', T0 + 4100)).toBe('lost');
  });

  it('shows offline after worker-offline, and online again after a new heartbeat', () => {
    const model = createModel(T0);
    apply(model, received(T0, [workerEvent('event-worker-online.json')]));
    apply(model, received(T0 + 1000, [workerEvent('event-worker-offline.json')]));
    expect(state(model, 'w2@vm', T0 + 1500)).toBe('offline');
    expect(state(model, 'w2@vm', T0 + 60_000)).toBe('offline');
    apply(model, received(T0 + 70_000, [workerEvent('event-worker-heartbeat.json')]));
    expect(state(model, 'w2@vm', T0 + 70_500)).toBe('online');
  });

  it('shows pidbox-only for a listed worker not heard from, lost after 3 missed rounds, online once it answers', () => {
    const model = createModel(T0);
    apply(model, { type: 'pidbox/sampled', at: T0, nodes: ['w3@vm'] });
    expect(state(model, 'w3@vm', T0 + 60_000)).toBe('pidbox-only');
    for (let i = 1; i <= 3; i += 1) apply(model, inspected(T0 + i * 1000, 'ping', [], ['w3@vm']));
    expect(state(model, 'w3@vm', T0 + 4000)).toBe('lost');
    apply(model, inspected(T0 + 5000, 'ping', [{ node: 'w3@vm', value: { ok: 'pong' }, error: null }]));
    // an answer is a sign of life even without heartbeats (qtop --json ends before the first one)
    expect(state(model, 'w3@vm', T0 + 5000)).toBe('online');
    apply(model, inspected(T0 + 6000, 'ping', [], ['w3@vm']));
    expect(state(model, 'w3@vm', T0 + 6000)).toBe('pidbox-only');
  });

  it('does not declare workers lost while qtop cannot hear events, if they still answer', () => {
    const model = createModel(T0);
    apply(model, received(T0, [beat('w1@vm'), beat('w2@vm')]));
    apply(model, inspected(T0 + 500, 'ping', [{ node: 'w1@vm', value: { ok: 'pong' }, error: null }]));
    apply(model, { type: 'source/failed', at: T0 + 1000, source: 'events', reason: 'connection reset' });
    apply(
      model,
      inspected(T0 + 9000, 'ping', [{ node: 'w1@vm', value: { ok: 'pong' }, error: null }], ['w2@vm']),
    );
    apply(
      model,
      inspected(T0 + 10_000, 'ping', [{ node: 'w1@vm', value: { ok: 'pong' }, error: null }], ['w2@vm']),
    );
    apply(
      model,
      inspected(T0 + 11_000, 'ping', [{ node: 'w1@vm', value: { ok: 'pong' }, error: null }], ['w2@vm']),
    );
    expect(state(model, 'w1@vm', T0 + 12_000)).toBe('online');
    expect(state(model, 'w2@vm', T0 + 12_000)).toBe('lost');
  });
});

describe('selectWorkers: load and inspect', () => {
  it('keeps busy from the last real heartbeat through a wake-up heartbeat', () => {
    const model = createModel(T0);
    apply(model, received(T0, [beat('w1@vm', { active: 2 })]));
    apply(model, received(T0 + 1000, [workerEvent('event-worker-heartbeat-wakeup.json')]));
    expect(selectWorker(model, 'w1@vm', T0 + 1500)).toMatchObject({ busy: 2, freq: 2, state: 'online' });
  });

  it('takes busy from an active reply newer than the heartbeat', () => {
    const model = createModel(T0);
    apply(model, received(T0, [beat('w1@vm', { active: 0 })]));
    apply(model, inspected(T0 + 500, 'active', inspectReplies('pidbox-reply-active.json')));
    expect(selectWorker(model, 'w1@vm', T0 + 600)?.busy).toBe(2);
    apply(model, received(T0 + 1000, [beat('w1@vm', { active: 1 })]));
    expect(selectWorker(model, 'w1@vm', T0 + 1100)?.busy).toBe(1);
  });

  it('reports inspect counts only once answered, and pool data from stats', () => {
    const model = createModel(T0);
    apply(model, received(T0, [beat('w1@vm')]));
    expect(selectWorker(model, 'w1@vm', T0)).toMatchObject({
      activeCount: null,
      reservedCount: null,
      poolMax: null,
    });
    apply(model, inspected(T0, 'reserved', inspectReplies('pidbox-reply-reserved.json')));
    apply(model, inspected(T0, 'scheduled', [{ node: 'w1@vm', value: [], error: null }]));
    apply(model, inspected(T0, 'stats', inspectReplies('pidbox-reply-stats.json')));
    expect(selectWorker(model, 'w1@vm', T0)).toMatchObject({
      activeCount: null,
      reservedCount: 1,
      scheduledCount: 0,
      poolMax: 2,
      prefetchCount: 8,
      uptime: 43,
      pid: 20436,
    });
  });

  it('says events are on after a recent task event, and unknown otherwise', () => {
    const model = createModel(T0);
    apply(model, received(T0, [beat('w1@vm'), beat('w2@vm')]));
    apply(model, received(T0 + 1000, taskEvents('event-task-multi-batch.json')));
    const rows = selectWorkers(model, T0 + 2000);
    expect(rows.map((row) => [row.hostname, row.eventsEnabled])).toEqual([
      ['w1@vm', true],
      ['w2@vm', null],
    ]);
    expect(selectWorker(model, 'w1@vm', T0 + 1000 + 5 * 60_000 + 1)?.eventsEnabled).toBeNull();
  });

  it('sorts by hostname and returns plain JSON data; detail adds ids and totals', () => {
    const model = createModel(T0);
    apply(model, received(T0, [beat('w2@vm'), beat('a@vm'), beat('w1@vm')]));
    apply(model, inspected(T0, 'stats', inspectReplies('pidbox-reply-stats.json')));
    apply(model, inspected(T0, 'active', inspectReplies('pidbox-reply-active.json')));
    const rows = selectWorkers(model, T0);
    expect(rows.map((row) => row.hostname)).toEqual(['a@vm', 'w1@vm', 'w2@vm']);
    expect(JSON.parse(JSON.stringify(rows))).toEqual(rows);
    const detail = selectWorker(model, 'w1@vm', T0)!;
    expect(detail.totals['app.sleepy']).toBe(2);
    expect(detail.activeIds).toHaveLength(2);
    expect(detail.history).toEqual([0]);
    detail.activeIds.push('mutated');
    expect(model.workers.get('w1@vm')!.activeIds).toHaveLength(2);
    expect(selectWorker(model, 'nobody@vm', T0)).toBeNull();
  });
});

describe('eventsEnabled per worker', () => {
  // the task domain is needed too: use the full reducer
  const all = (model: ReturnType<typeof createModel>, ...actions: Action[]) => {
    for (const action of actions) reduce(model, action);
  };
  const ran = (id: string, worker: string) => ({
    node: worker,
    value: [{ id, name: 'app.sleepy', args: [1], kwargs: {}, hostname: worker, time_start: T0 / 1000 + 1 }],
    error: null,
  });
  const done = (id: string) => ({
    type: 'results/read' as const,
    at: T0 + 3_000,
    via: 'pubsub' as const,
    malformed: 0,
    metas: [
      {
        taskId: id,
        status: 'SUCCESS',
        result: 1,
        exception: null,
        traceback: null,
        children: [],
        dateDone: new Date(T0 + 2_500).toISOString().replace('Z', ''),
        groupId: null,
        parentId: null,
        extended: null,
      },
    ],
  });

  it('is false for a worker that ran a task while qtop listened and no event told of it', () => {
    const model = createModel(T0);
    all(model, { type: 'source/recovered', at: T0, source: 'events' });
    all(model, inspected(T0 + 1_500, 'active', [ran('t-quiet', 'w2@vm')]), done('t-quiet'));
    expect(selectWorker(model, 'w2@vm', T0 + 4_000)?.eventsEnabled).toBe(false);
  });

  it('stays unknown when qtop was not listening for events', () => {
    const model = createModel(T0);
    all(model, inspected(T0 + 1_500, 'active', [ran('t-quiet', 'w2@vm')]), done('t-quiet'));
    expect(selectWorker(model, 'w2@vm', T0 + 4_000)?.eventsEnabled).toBeNull();
  });

  it('is true once the worker sends task events', () => {
    const model = createModel(T0);
    all(model, { type: 'source/recovered', at: T0, source: 'events' });
    all(model, received(T0 + 1_000, taskEvents('event-task-multi-batch.json')));
    expect(selectWorker(model, 'w1@vm', T0 + 2_000)?.eventsEnabled).toBe(true);
  });
});
