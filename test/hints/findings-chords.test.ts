import { describe, expect, it } from 'vitest';
import { chordBodyOrphanWaitSec, chordBodyWaitSec } from '../../src/hints/select/findings-chords.js';
import { selectHints } from '../../src/hints/select/select-hints.js';
import type { Model } from '../../src/store/model.js';
import { createTaskRecord } from '../../src/store/task-records.js';
import { addWorker, heartbeat, hintModel, message, sampleQueues, T0 } from './hint-model.js';

// chord-stuck: a case that finds it and near misses that must not.
const stuck = (model: Model, now: number) =>
  selectHints(model, now).findings.filter((f) => f.kind === 'chord-stuck');

/** Header h1, h2 of group G finished at T0; the body B (parent_id h2) waits in `queue`. */
function chordModel(queue: string, headerState = 'SUCCESS'): Model {
  const model = hintModel();
  addWorker(model, T0, 'w1@h', { poolMax: 2, queues: ['celery'] });
  for (const id of ['h1', 'h2'])
    model.tasks.set(
      id,
      Object.assign(createTaskRecord(id, T0), {
        state: id === 'h2' ? headerState : 'SUCCESS',
        groupId: 'G',
        name: 'app.add',
        finishedAt: T0 / 1000,
      }),
    );
  sampleQueues(
    model,
    T0,
    { celery: 0, [queue]: 1 },
    { [queue]: [message('B', { name: 'app.echo', parentId: 'h2' })] },
  );
  return model;
}

describe('chord-stuck', () => {
  it('a body waiting in a queue no worker consumes, once the header finished a while ago', () => {
    const model = chordModel('parked');
    expect(stuck(model, T0 + (chordBodyOrphanWaitSec - 1) * 1000)).toEqual([]);
    const [f] = stuck(model, T0 + (chordBodyOrphanWaitSec + 1) * 1000);
    expect(f).toMatchObject({
      severity: 'warning',
      queue: 'parked',
      taskName: 'app.echo',
      taskIds: ['B', 'h1', 'h2'],
    });
    expect(f!.evidence[1]).toBe('body B is PENDING in queue parked, which no up worker consumes');
    expect(f!.fix).toContain('-Q parked');
  });

  it('a body behind a consumed queue only after the longer wait', () => {
    const model = chordModel('celery');
    // w1 stays up and consumes celery: the body may just be behind a backlog for a while.
    heartbeat(model, T0 + (chordBodyWaitSec - 2) * 1000, 'w1@h', 2);
    expect(stuck(model, T0 + (chordBodyWaitSec - 1) * 1000)).toEqual([]);
    heartbeat(model, T0 + chordBodyWaitSec * 1000, 'w1@h', 2);
    const [f] = stuck(model, T0 + (chordBodyWaitSec + 1) * 1000);
    expect(f!.evidence[1]).toBe('body B is PENDING in queue celery');
  });

  it('not when a header member failed (Celery fails the body), nor once the body started', () => {
    expect(stuck(chordModel('parked', 'FAILURE'), T0 + 600_000)).toEqual([]);
    const model = chordModel('parked');
    model.tasks.get('B')!.state = 'STARTED';
    expect(stuck(model, T0 + 600_000)).toEqual([]);
  });

  it('a body only a waiting header message named is reported as not seen', () => {
    const model = hintModel();
    addWorker(model, T0, 'w1@h', { poolMax: 2, queues: ['celery'] });
    model.tasks.set(
      'h1',
      Object.assign(createTaskRecord('h1', T0), {
        state: 'SUCCESS',
        groupId: 'G',
        chordId: 'B',
        finishedAt: T0 / 1000,
      }),
    );
    const [f] = stuck(model, T0 + (chordBodyWaitSec + 1) * 1000);
    expect(f!.evidence[1]).toMatch(/^body B is not seen/);
  });
});
