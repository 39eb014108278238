import { describe, expect, it } from 'vitest';
import { sketchQuantile } from '../../src/metrics/quantile-sketch.js';
import { seriesRate } from '../../src/metrics/series.js';
import { createModel } from '../../src/store/create-model.js';
import type { ModelConfig } from '../../src/store/model.js';
import { reduceTasks } from '../../src/store/reduce-tasks.js';
import { eventsAction, fixtureEvents, taskEvent } from './task-fixtures.js';

const t0 = 1_795_524_200; // epoch s, the fixtures' capture time
const at0 = t0 * 1000;

function model(config: Partial<ModelConfig> = {}) {
  return createModel(at0, config);
}

describe('reduceTasks: events', () => {
  it('follows a real failed task through received, started and failed (fixtures)', () => {
    const m = model();
    const [received] = fixtureEvents('event-task-received.json');
    const [started] = fixtureEvents('event-task-started.json');
    const [failed] = fixtureEvents('event-task-failed.json');
    expect(reduceTasks(m, eventsAction(at0, received!, started!, failed!))).toBe(true);
    const task = m.tasks.get('c6f4ddf6-1dce-4a3f-b19a-91b9ae195cd5')!;
    expect(task.state).toBe('FAILURE');
    expect(task.name).toBe('app.boom');
    expect(task.argsRepr).toBe("('kaboom',)");
    expect(task.worker).toBe('w1@vm');
    expect(task.exception).toBe("ValueError('kaboom')");
    expect(task.traceback).toContain('ValueError: kaboom');
    expect(task.finishedAt).toBe(failed!.timestamp);
    expect(task.runtime).toBeCloseTo(failed!.timestamp - started!.timestamp, 9);
    expect(task.timeline.map((e) => e.type)).toEqual(['task-received', 'task-started', 'task-failed']);
    expect(task.origins).toEqual(['event']);
    const stats = m.taskNames.get('app.boom')!;
    expect([stats.received, stats.started, stats.failed, stats.succeeded]).toEqual([1, 1, 1, 0]);
    expect(stats.runtime.count).toBe(1);
    expect(stats.wait.count).toBe(1);
    expect(sketchQuantile(stats.wait, 0.5)).toBeCloseTo(started!.timestamp - received!.timestamp, 5);
    expect(seriesRate(stats.failedRate, at0 + 1000, 60_000).count).toBe(1);
  });

  it('keeps STARTED when a received arrives late, but merges its name and args', () => {
    const m = model();
    reduceTasks(m, eventsAction(at0, taskEvent('task-started', 'a', t0 + 2, { hostname: 'w2@vm' })));
    reduceTasks(
      m,
      eventsAction(
        at0 + 10,
        taskEvent('task-received', 'a', t0 + 1, { name: 'app.add', args: '(1, 2)', kwargs: '{}' }),
      ),
    );
    const task = m.tasks.get('a')!;
    expect(task.state).toBe('STARTED');
    expect(task.stateAt).toBe(t0 + 2);
    expect(task.name).toBe('app.add');
    expect(task.argsRepr).toBe('(1, 2)');
    // hostname is not in Celery's RECEIVED merge rule: the worker stays the one that started it.
    expect(task.worker).toBe('w2@vm');
    expect(task.receivedAt).toBe(t0 + 1);
    expect(task.timeline.map((e) => e.type)).toEqual(['task-received', 'task-started']);
    expect(sketchQuantile(m.taskNames.get('app.add')!.wait, 0.5)).toBeCloseTo(1, 2);
  });

  it('never moves SUCCESS back, whatever arrives after it', () => {
    const m = model();
    reduceTasks(
      m,
      eventsAction(at0, taskEvent('task-succeeded', 'a', t0 + 3, { result: '5', runtime: 0.5 })),
    );
    reduceTasks(
      m,
      eventsAction(
        at0 + 1,
        taskEvent('task-started', 'a', t0 + 2),
        taskEvent('task-received', 'a', t0 + 1, { name: 'app.add' }),
        taskEvent('task-sent', 'a', t0, { name: 'app.add', queue: 'celery' }),
        taskEvent('task-failed', 'a', t0 + 4, { exception: "ValueError('x')" }),
      ),
    );
    const task = m.tasks.get('a')!;
    expect(task.state).toBe('SUCCESS');
    expect(task.stateAt).toBe(t0 + 3);
    expect(task.finishedAt).toBe(t0 + 3);
    expect(task.result).toBe('5');
    expect(task.queue).toBe('celery');
    expect(m.taskNames.get('app.add')!.failed).toBe(0);
  });

  it('moves on from RETRY to RECEIVED and counts each retry once', () => {
    const m = model();
    const named = { name: 'app.flaky' };
    reduceTasks(
      m,
      eventsAction(
        at0,
        taskEvent('task-received', 'r', t0, named),
        taskEvent('task-started', 'r', t0 + 1),
        taskEvent('task-retried', 'r', t0 + 2, { exception: "RuntimeError('try 0')" }),
      ),
    );
    expect(m.tasks.get('r')!.state).toBe('RETRY');
    reduceTasks(
      m,
      eventsAction(at0 + 1000, taskEvent('task-received', 'r', t0 + 3, { ...named, retries: 1 })),
    );
    expect(m.tasks.get('r')!.state).toBe('RECEIVED');
    expect(m.tasks.get('r')!.retries).toBe(1);
    reduceTasks(
      m,
      eventsAction(
        at0 + 2000,
        taskEvent('task-started', 'r', t0 + 4),
        taskEvent('task-succeeded', 'r', t0 + 5, { runtime: 1 }),
      ),
    );
    const stats = m.taskNames.get('app.flaky')!;
    expect(m.tasks.get('r')!.state).toBe('SUCCESS');
    expect([stats.received, stats.started, stats.retried, stats.succeeded]).toEqual([2, 2, 1, 1]);
  });

  it('measures the wait only from a received of the same run', () => {
    const m = model();
    reduceTasks(
      m,
      eventsAction(
        at0,
        taskEvent('task-received', 'w', t0, { name: 'app.flaky' }),
        taskEvent('task-started', 'w', t0 + 1),
        taskEvent('task-retried', 'w', t0 + 2),
        // The second run's task-received was lost: its start must not pair with the first receive.
        taskEvent('task-started', 'w', t0 + 30),
      ),
    );
    const stats = m.taskNames.get('app.flaky')!;
    expect(stats.wait.count).toBe(1);
    expect(stats.wait.max).toBe(1);
  });

  it('does not take the worker from task-sent (its hostname is the producer)', () => {
    const m = model();
    reduceTasks(m, eventsAction(at0, ...fixtureEvents('event-task-sent.json')));
    const task = m.tasks.get('1fd839f2-3886-4ad6-a78f-8a3d4baca96d')!;
    expect(task.state).toBe('PENDING');
    expect(task.worker).toBeNull();
    expect(task.queue).toBe('celery');
    expect(task.sentAt).toBeCloseTo(1795524218.3318384, 6);
  });

  it('keeps revoke details and the rejected state machine of Celery', () => {
    const m = model();
    reduceTasks(m, eventsAction(at0, ...fixtureEvents('event-task-revoked-terminated.json')));
    const revoked = m.tasks.get('237fd565-7814-456c-90f7-8abe635a14a2')!;
    expect([revoked.state, revoked.terminated, revoked.signum, revoked.expired]).toEqual([
      'REVOKED',
      true,
      15,
      false,
    ]);
    reduceTasks(
      m,
      eventsAction(at0, taskEvent('task-started', 'j', t0), taskEvent('task-rejected', 'j', t0 + 1)),
    );
    // REJECTED sits above STARTED in PRECEDENCE, so Celery's monitor keeps STARTED.
    expect(m.tasks.get('j')!.state).toBe('STARTED');
  });

  it('orders the timeline by timestamp and keeps the newest maxTimeline entries', () => {
    const m = model({ maxTimeline: 3 });
    reduceTasks(
      m,
      eventsAction(
        at0,
        taskEvent('task-started', 'a', t0 + 2),
        taskEvent('task-sent', 'a', t0),
        taskEvent('task-succeeded', 'a', t0 + 3, { runtime: 1 }),
        taskEvent('task-received', 'a', t0 + 1),
      ),
    );
    expect(m.tasks.get('a')!.timeline.map((e) => e.timestamp)).toEqual([t0 + 1, t0 + 2, t0 + 3]);
  });

  it('takes p50 of runtimes from task-succeeded events', () => {
    const m = model();
    const events = [4, 1, 5, 2, 3].map((runtime, i) =>
      taskEvent('task-succeeded', `s${i}`, t0 + i, { runtime, name: 'app.add' }),
    );
    reduceTasks(m, eventsAction(at0, ...events));
    const stats = m.taskNames.get('app.add')!;
    expect(stats.succeeded).toBe(5);
    expect(sketchQuantile(stats.runtime, 0.5)).toBeCloseTo(3, 1);
    expect(stats.runtime.max).toBe(5);
  });
});

describe('reduceTasks: queue flows', () => {
  it('counts task-sent into the in-rate and task-received into the out-rate of the known queue', () => {
    const m = model();
    reduceTasks(m, eventsAction(at0, taskEvent('task-sent', 'a', t0, { name: 'app.add', queue: 'other' })));
    reduceTasks(
      m,
      eventsAction(
        at0 + 100,
        taskEvent('task-received', 'a', t0 + 1, { name: 'app.add' }),
        taskEvent('task-started', 'a', t0 + 1.5),
      ),
    );
    const other = m.queues.get('other')!;
    expect(seriesRate(other.inRate, at0 + 1000, 60_000).count).toBe(1);
    expect(seriesRate(other.outRate, at0 + 1000, 60_000).count).toBe(1);
    expect(sketchQuantile(other.wait, 0.5)).toBeCloseTo(0.5, 2);
  });

  it('does not attribute a received task whose queue is unknown', () => {
    const m = model();
    reduceTasks(m, eventsAction(at0, taskEvent('task-received', 'b', t0, { name: 'app.add' })));
    expect(m.queues.size).toBe(0);
    expect(m.tasks.get('b')!.queue).toBeNull();
  });

  it('uses the routing key when task-sent has no queue field', () => {
    const m = model();
    reduceTasks(m, eventsAction(at0, taskEvent('task-sent', 'c', t0, { routingKey: 'rk' })));
    expect(m.tasks.get('c')!.queue).toBe('rk');
    expect(seriesRate(m.queues.get('rk')!.inRate, at0 + 1000, 60_000).count).toBe(1);
  });
});

describe('reduceTasks: bounds and eviction', () => {
  it('cuts long reprs with a note', () => {
    const m = model({ maxValueChars: 10 });
    reduceTasks(m, eventsAction(at0, taskEvent('task-succeeded', 'a', t0, { result: 'x'.repeat(25) })));
    const task = m.tasks.get('a')!;
    expect(task.result).toBe(`${'x'.repeat(10)}…`);
    // The task is also partial (no task-received or task-sent seen), which the note says after.
    expect(task.note?.split('; ')[0]).toBe('result cut to 10 of 25 characters');
  });

  it('evicts the least recently updated tasks past maxTasks, keeping name statistics', () => {
    const m = model({ maxTasks: 3 });
    // Whole tasks (received first): a partial record's eviction is not counted (task-records.ts).
    for (const [i, id] of ['a', 'b', 'c'].entries())
      reduceTasks(
        m,
        eventsAction(
          at0 + i,
          taskEvent('task-received', id, t0 + i, { name: 'app.add' }),
          taskEvent('task-succeeded', id, t0 + i, { name: 'app.add', runtime: 1 }),
        ),
      );
    // Touching `a` again makes `b` the least recently updated.
    reduceTasks(m, eventsAction(at0 + 10, taskEvent('task-started', 'a', t0 + 10)));
    reduceTasks(
      m,
      eventsAction(
        at0 + 11,
        taskEvent('task-received', 'd', t0 + 11),
        taskEvent('task-received', 'e', t0 + 12),
      ),
    );
    expect([...m.tasks.keys()]).toEqual(['a', 'd', 'e']);
    expect(m.counters.tasksEvicted).toBe(2);
    expect(m.taskNames.get('app.add')!.succeeded).toBe(3);
  });

  it('reports no change for actions outside the task domain', () => {
    const m = model();
    expect(reduceTasks(m, { type: 'pidbox/sampled', at: at0, nodes: ['w1@vm'] })).toBe(false);
    expect(reduceTasks(m, eventsAction(at0))).toBe(false);
  });

  it('links a retry both ways and creates the new task as PENDING', () => {
    const m = model();
    reduceTasks(m, eventsAction(at0, taskEvent('task-failed', 'old', t0, { name: 'app.boom' })));
    expect(reduceTasks(m, { type: 'task/retried-as', at: at0 + 5, oldId: 'old', newId: 'new' })).toBe(true);
    expect(m.tasks.get('old')!.retriedAs).toBe('new');
    const created = m.tasks.get('new')!;
    expect([created.state, created.retryOf, created.name]).toEqual(['PENDING', 'old', 'app.boom']);
    reduceTasks(m, { type: 'task/retried-as', at: at0 + 6, oldId: 'gone', newId: 'new2' });
    expect(m.tasks.get('new2')!.retryOf).toBe('gone');
    expect(m.tasks.has('gone')).toBe(false);
  });
});
