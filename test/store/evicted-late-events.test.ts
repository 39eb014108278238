import { describe, expect, it } from 'vitest';
import { createModel } from '../../src/store/create-model.js';
import type { Model } from '../../src/store/model.js';
import { reduce } from '../../src/store/reducer.js';
import { selectEventsStatus } from '../../src/store/select-meta.js';
import { eventsAction, resultMeta, resultsAction, taskEvent } from './task-fixtures.js';

// Issue 15: after eviction a task's late events (its finish, long after it started) must not
// bring it back as a partial record; and the header's events evidence reads an index of the
// tasks no event told of, which the reducer keeps as records are made, told and evicted.

const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);
const ts = T0 / 1000;
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function started(model: Model, n: number, at: number) {
  reduce(
    model,
    eventsAction(
      at,
      taskEvent('task-received', id(n), at / 1000, { name: 'proj.slow' }),
      taskEvent('task-started', id(n), at / 1000),
    ),
  );
}

describe('late events of evicted tasks', () => {
  it('drops them and counts them, instead of a record with no name', () => {
    const model = createModel(T0, { maxTasks: 2 });
    for (let n = 1; n <= 3; n++) started(model, n, T0 + n);
    expect([...model.tasks.keys()]).toEqual([id(2), id(3)]);
    expect(model.counters.tasksEvicted).toBe(1);

    reduce(model, eventsAction(T0 + 10, taskEvent('task-succeeded', id(1), ts + 0.01, { runtime: 1 })));
    expect(model.tasks.has(id(1))).toBe(false);
    expect(model.counters.lateEventsDropped).toBe(1);
    expect(model.counters.tasksEvicted).toBe(1);
    // the event still counts as an event seen
    expect(model.counters.eventsByType['task-succeeded']).toBe(1);
  });

  it('never holds a record made only by a late event, however many tasks pass', () => {
    const model = createModel(T0, { maxTasks: 50 });
    for (let n = 1; n <= 500; n++) {
      started(model, n, T0 + n);
      // every task finishes 60 tasks later, after it was evicted
      if (n > 60) reduce(model, eventsAction(T0 + n, taskEvent('task-succeeded', id(n - 60), ts + n / 1000)));
    }
    for (const record of model.tasks.values()) expect(record.name).toBe('proj.slow');
    expect(model.counters.lateEventsDropped).toBe(440);
    expect(model.counters.tasksEvicted).toBe(450);
    expect(model.evictedTaskIds.size).toBe(50);
  });

  it('marks a record a late event makes past the memory of evicted ids, and never counts more evictions than tasks', () => {
    const model = createModel(T0, { maxTasks: 20 });
    const seen = new Set<string>();
    for (let n = 1; n <= 400; n++) {
      started(model, n, T0 + n);
      seen.add(id(n));
      // each task finishes 100 tasks later: evicted 80 tasks before, remembered for only 20
      if (n > 100)
        reduce(model, eventsAction(T0 + n, taskEvent('task-succeeded', id(n - 100), ts + n / 1000)));
    }
    let partial = 0;
    for (const record of model.tasks.values()) {
      if (record.name === 'proj.slow') continue;
      expect(record.note).toContain('partial:');
      expect(record.state).toBe('SUCCESS');
      partial += 1;
    }
    expect(partial).toBeGreaterThan(0);
    expect(model.counters.tasksEvicted).toBeLessThanOrEqual(seen.size);
    // every whole task but the 20 still held was evicted once; the partial records not again
    expect(model.counters.tasksEvicted).toBe(400 - [...model.tasks.values()].filter((r) => r.name).length);
  });

  it('lets a retry (task-received again) make the whole record anew', () => {
    const model = createModel(T0, { maxTasks: 1 });
    started(model, 1, T0 + 1);
    started(model, 2, T0 + 2);
    reduce(model, eventsAction(T0 + 3, taskEvent('task-received', id(1), ts + 0.003, { name: 'proj.slow' })));
    expect(model.tasks.get(id(1))?.name).toBe('proj.slow');
    expect(model.evictedTaskIds.has(id(1))).toBe(false);
    reduce(model, eventsAction(T0 + 4, taskEvent('task-started', id(1), ts + 0.004)));
    expect(model.tasks.get(id(1))?.state).toBe('STARTED');
    expect(model.counters.lateEventsDropped).toBe(0);
  });
});

describe('the index of tasks no event told of', () => {
  it('follows records made by results, told by events, and evicted', () => {
    const model = createModel(T0, { maxTasks: 3 });
    reduce(model, { type: 'source/recovered', at: T0, source: 'events' });
    const done = (n: number) => resultMeta(id(n), 'SUCCESS', { dateDone: new Date(T0 + 1000).toISOString() });
    reduce(model, resultsAction(T0 + 1000, 'pubsub', done(1), done(2)));
    expect([...model.tasksWithoutEvents].sort()).toEqual([id(1), id(2)]);

    reduce(model, eventsAction(T0 + 2000, taskEvent('task-succeeded', id(2), ts + 2)));
    expect([...model.tasksWithoutEvents]).toEqual([id(1)]);

    for (let n = 3; n <= 5; n++) started(model, n, T0 + 3000 + n);
    expect(model.tasks.has(id(1))).toBe(false);
    expect(model.tasksWithoutEvents.size).toBe(0);
  });

  it('gives the same evidence as a scan of every task', () => {
    const model = createModel(T0, { maxTasks: 1000 });
    reduce(model, { type: 'source/recovered', at: T0, source: 'events' });
    for (let n = 1; n <= 200; n++) {
      if (n % 3 === 0) started(model, n, T0 + n);
      else
        reduce(
          model,
          resultsAction(
            T0 + n,
            'pubsub',
            resultMeta(id(n), 'SUCCESS', { dateDone: new Date(T0 + n).toISOString() }),
          ),
        );
    }
    const scanned = [...model.tasks.values()].filter((t) => !t.origins.includes('event')).map((t) => t.id);
    expect([...model.tasksWithoutEvents].sort()).toEqual(scanned.sort());
    expect(selectEventsStatus(model, T0 + 1000).tasksMissedByEvents).toBeGreaterThan(0);
  });
});
