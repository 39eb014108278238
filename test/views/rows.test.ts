import { describe, expect, it } from 'vitest';
import type { CommandLogEntry } from '../../src/control/controls.js';
import { selectFailureGroups } from '../../src/store/select-failures.js';
import { selectQueues } from '../../src/store/select-queues.js';
import { selectTaskNames } from '../../src/store/select-task-names.js';
import { selectTasks } from '../../src/store/select-tasks.js';
import { selectWorkers } from '../../src/store/select-workers.js';
import { logCells, priorityCell, queueCells, workerCells } from '../../views/present/table-rows.js';
import { failureCells, runtimeCells, taskCells } from '../../views/present/task-rows.js';
import { createFakeClock } from '../helpers/fake-clock.js';
import { clusterStore, hostile, ids } from './cluster-fixture.js';

const theme = { color: false, ascii: false };
const clock = createFakeClock();
const store = clusterStore(clock);
const model = store.getModel();
const now = clock.now();

describe('row presenters', () => {
  it('queues: ready, per-priority, consumers, and a stranded backlog flagged', () => {
    const [celery, parked] = selectQueues(model, now).map((q) => queueCells(q, theme));
    expect(celery!.cells).toMatchObject({
      name: 'celery',
      ready: '2',
      consumers: '1w/2',
      in: '-',
      oldest: '≥0s',
    });
    expect(parked!.cells).toMatchObject({ name: 'parked', ready: '6', prio: '0:5 9:1', consumers: '0w/?' });
    expect(parked!.tones?.consumers).toBe('bad');
    expect(priorityCell({ 0: 0, 9: 0 })).toBe('-');
  });

  it('workers: state as symbol and word, pool busy/size, inspect counts, load', () => {
    const [w1] = selectWorkers(model, now).map((w) => workerCells(w, theme));
    expect(w1!.cells).toMatchObject({ hostname: 'w1@vm', state: '● online', busy: '1/2', prefetch: '8' });
    expect(w1!.cells.load).toBe('0.50 0.25 0.10');
    expect(workerCells(selectWorkers(model, now)[0]!, { color: false, ascii: true }).cells.state).toBe(
      '+ online',
    );
  });

  it('tasks: failures show the exception, others the args; hidden args stay hidden', () => {
    const rows = selectTasks(model, now).rows;
    const failed = taskCells(rows.find((r) => r.id === ids.failure)!, theme, false);
    expect(failed.cells).toMatchObject({
      state: '✗ FAILURE',
      name: 'app.boom',
      info: "ValueError('kaboom')",
    });
    const ok = taskCells(rows.find((r) => r.id === ids.success)!, theme, false);
    expect(ok.cells).toMatchObject({ state: '✓ SUCCESS', info: '(2, 3)', runtime: '12ms', age: '10s' });
    expect(taskCells(rows.find((r) => r.id === ids.success)!, theme, true).cells.info).toBe('(hidden)');
  });

  it('tasks: no raw control character survives into a cell', () => {
    const row = selectTasks(model, now).rows.find((r) => r.id === ids.hostile)!;
    const cells = Object.values(taskCells(row, theme, false).cells).join(' ');
    expect(cells).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(cells).toContain('app.echo\\x1b[2J');
  });

  it('runtimes: counts, failure rate and percentiles per task name', () => {
    const add = selectTaskNames(model, now).find((r) => r.name === 'app.add')!;
    expect(runtimeCells(add, theme).cells).toMatchObject({
      name: 'app.add',
      count: '1',
      failed: '0',
      p50: '12ms',
    });
    const boom = selectTaskNames(model, now).find((r) => r.name === 'app.boom')!;
    expect(runtimeCells(boom, theme).cells).toMatchObject({ failed: '1', failureRate: '100%' });
  });

  it('failures: one group per name and exception type, retrying apart', () => {
    const cells = selectFailureGroups(model, now).map((g) => failureCells(g, now).cells);
    expect(cells).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          count: '1',
          name: 'app.boom',
          excType: 'ValueError',
          kind: 'failed',
          last: '7s',
        }),
        expect.objectContaining({ name: 'app.flaky', kind: 'retrying' }),
      ]),
    );
  });

  it('command log: time, result word, and the outcome sanitized', () => {
    const entry: CommandLogEntry = {
      at: now,
      command: 'revoke',
      target: `task ${ids.success}`,
      outcome: { ok: false, summary: `refused ${hostile.clear}`, replies: [] },
    };
    expect(logCells(entry, 0, theme).cells).toMatchObject({
      time: '12:00:00.000',
      status: '✗ fail',
      summary: 'refused \\x1b[2J',
    });
  });
});
