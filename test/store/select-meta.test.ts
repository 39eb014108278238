import { describe, expect, it } from 'vitest';
import { seriesAdd } from '../../src/metrics/series.js';
import { createModel, ensureTaskName } from '../../src/store/create-model.js';
import type { Model, TaskRecord } from '../../src/store/model.js';
import {
  selectCounters,
  selectEventsStatus,
  selectLoad,
  selectSources,
  selectTotals,
} from '../../src/store/select-meta.js';
import { apply, received, T0, taskEvents, workerEvent } from './fixture-events.js';

const beat = (hostname: string, active = 0) =>
  workerEvent('event-worker-heartbeat.json', { hostname, active });

function listening(): Model {
  const model = createModel(T0);
  apply(model, { type: 'source/recovered', at: T0, source: 'events' });
  return model;
}

describe('selectSources, selectCounters, selectLoad', () => {
  it('lists every source in name order with ages and the open gap', () => {
    const model = createModel(T0);
    apply(model, { type: 'source/recovered', at: T0, source: 'queues' });
    apply(model, { type: 'source/failed', at: T0 + 2000, source: 'queues', reason: 'ECONNRESET' });
    const rows = selectSources(model, T0 + 5000);
    expect(rows.map((row) => row.source)).toEqual([
      'beat',
      'events',
      'inspect',
      'queues',
      'results',
      'unacked',
    ]);
    expect(rows[3]).toEqual({
      source: 'queues',
      ok: false,
      lastOkAt: T0,
      lastOkAgeSec: 5,
      lastError: 'ECONNRESET',
      lastErrorAt: T0 + 2000,
      openGapSec: 3,
      gaps: [{ from: T0 + 2000, to: null, reason: 'ECONNRESET' }],
    });
    expect(rows[0]).toMatchObject({ ok: false, lastOkAgeSec: null, openGapSec: null, gaps: [] });
    rows[3]!.gaps[0]!.to = 1;
    expect(model.sources.queues.gaps[0]!.to).toBeNull();
  });

  it('copies counters with event types in name order, and the load', () => {
    const model = createModel(T0);
    apply(model, received(T0, [...taskEvents('event-task-multi-batch.json'), beat('w1@vm')]));
    const counters = selectCounters(model);
    expect(Object.keys(counters.eventsByType)).toEqual(['task-received', 'task-started', 'worker-heartbeat']);
    expect(counters).toMatchObject({ eventMessages: 1, events: 4 });
    expect(selectLoad(model)).toBeNull();
    apply(model, { type: 'load/measured', at: T0, commands: 10, bytesIn: 0, bytesOut: 0, windowMs: 1000 });
    expect(selectLoad(model)?.commandsPerSec).toBe(10);
  });
});

describe('selectTotals', () => {
  it('adds up workers by state, ready and reserved messages, and running tasks', () => {
    const model = listening();
    apply(model, received(T0, [beat('up1@vm', 2), beat('up2@vm', 1), beat('lost@vm', 5)]));
    apply(model, received(T0, [{ ...workerEvent('event-worker-offline.json'), hostname: 'gone@vm' }]));
    apply(model, { type: 'pidbox/sampled', at: T0, nodes: ['up1@vm', 'quiet@vm'] });
    model.workers.get('lost@vm')!.heartbeatReceivedAt = T0 - 10_000;
    apply(model, {
      type: 'queues/sampled',
      at: T0,
      undecodableBindings: 0,
      queues: [
        { name: 'a', exchanges: [], lengths: { 0: 3, 9: 1 }, peek: [] },
        { name: 'b', exchanges: [], lengths: { 0: 5 }, peek: [] },
      ],
    });
    apply(model, { type: 'unacked/sampled', at: T0, total: 6, entries: [] });
    expect(selectTotals(model, T0 + 1000)).toEqual({
      workersUp: 3,
      workersLost: 1,
      workersOffline: 1,
      ready: 9,
      reserved: 6,
      active: 3,
      failedLastMinute: null,
    });
  });

  it('counts failures of the last minute from the task-name rate series', () => {
    const model = listening();
    seriesAdd(ensureTaskName(model, 'app.boom', T0).failedRate, T0 + 10_000, 3);
    seriesAdd(ensureTaskName(model, 'app.add', T0).failedRate, T0 + 70_000, 1);
    ensureTaskName(model, 'app.ok', T0);
    expect(selectTotals(model, T0 + 80_000).failedLastMinute).toBe(1);
    expect(selectTotals(model, T0 + 71_000).failedLastMinute).toBe(4);
  });

  it('has no failure count while events are unknown', () => {
    const model = createModel(T0);
    seriesAdd(ensureTaskName(model, 'app.boom', T0).failedRate, T0 + 1000, 3);
    expect(selectTotals(model, T0 + 5000).failedLastMinute).toBeNull();
  });
});

describe('selectEventsStatus', () => {
  function finishedTask(id: string, finishedAt: number, origins: TaskRecord['origins']): TaskRecord {
    return { id, finishedAt, startedAt: null, origins } as unknown as TaskRecord;
  }
  // Held as the reducer holds it: in the task map and, when no event told of it, in the index.
  function hold(model: Model, task: TaskRecord): void {
    model.tasks.set(task.id, task);
    if (!task.origins.includes('event')) model.tasksWithoutEvents.add(task.id);
  }

  it('cannot tell while no task has been seen', () => {
    const model = listening();
    apply(model, received(T0, [beat('w1@vm')]));
    expect(selectEventsStatus(model, T0 + 1000)).toEqual({
      workersWithTaskEvents: [],
      tasksMissedByEvents: 0,
      taskEvents: null,
    });
  });

  it('says on when workers send task events', () => {
    const model = listening();
    apply(model, received(T0, [beat('w1@vm')]));
    apply(model, received(T0 + 500, taskEvents('event-task-multi-batch.json')));
    expect(selectEventsStatus(model, T0 + 1000)).toMatchObject({
      workersWithTaskEvents: ['w1@vm'],
      taskEvents: true,
    });
  });

  it('says off when a task finished while qtop listened and no event told of it', () => {
    const model = listening();
    apply(model, received(T0, [beat('w1@vm')]));
    hold(model, finishedTask('r', T0 / 1000 + 20, ['result']));
    hold(model, finishedTask('old', T0 / 1000 - 600, ['result']));
    hold(model, finishedTask('e', T0 / 1000 + 20, ['event', 'result']));
    expect(selectEventsStatus(model, T0 + 30_000)).toMatchObject({
      tasksMissedByEvents: 1,
      taskEvents: false,
    });
  });

  it('does not blame workers for tasks that finished while qtop was not subscribed', () => {
    const model = listening();
    apply(model, { type: 'source/failed', at: T0 + 10_000, source: 'events', reason: 'x' });
    apply(model, { type: 'source/recovered', at: T0 + 30_000, source: 'events' });
    hold(model, finishedTask('r', T0 / 1000 + 20, ['result']));
    expect(selectEventsStatus(model, T0 + 40_000)).toMatchObject({
      tasksMissedByEvents: 0,
      taskEvents: null,
    });
  });
});
