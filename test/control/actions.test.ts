import { describe, expect, it } from 'vitest';
import type { AnyAction } from '../../src/control/action.js';
import { controlActions } from '../../src/control/actions/index.js';
import { messageMove, purge, queuePause } from '../../src/control/actions/queues.js';
import { rateLimit, retryFailed, terminate, timeLimit } from '../../src/control/actions/tasks.js';
import {
  autoscale,
  consumerAdd,
  consumerCancel,
  eventsOff,
  eventsOn,
  poolGrow,
  shutdown,
} from '../../src/control/actions/workers.js';

/** What a record's prompt gives for `draft`: the params, or the error text. */
function typed(action: AnyAction, seed: unknown, draft: string): unknown {
  return action.prompt!.parse(seed, draft);
}
const isError = (value: unknown) => typeof (value as { error?: unknown }).error === 'string';

describe('value prompts turn typed text into params, or a reason', () => {
  const worker = 'w1@vm';
  it('autoscale takes MAX MIN (or MAX,MIN) with MAX >= MIN >= 0', () => {
    expect(typed(autoscale, { worker }, ' 10 3 ')).toEqual({ worker, max: 10, min: 3 });
    expect(typed(autoscale, { worker }, '4,0')).toMatchObject({ max: 4, min: 0 });
    for (const bad of ['3 10', '0 0', '10', '1.5 1', 'ten three', '10 3 1'])
      expect(isError(typed(autoscale, { worker }, bad))).toBe(true);
  });

  it('rate limit takes Celery rates or none', () => {
    const seed = { taskName: 'app.add' };
    for (const rate of ['10/m', '5/s', '100/h', '2', '0.5/s'])
      expect(typed(rateLimit, seed, rate)).toEqual({ taskName: 'app.add', rate });
    expect(typed(rateLimit, seed, 'None')).toEqual({ taskName: 'app.add', rate: null });
    for (const bad of ['', '10/min', '-1', '10 /m']) expect(isError(typed(rateLimit, seed, bad))).toBe(true);
  });

  it('time limits take SOFT HARD seconds, each or both none', () => {
    const seed = { taskName: 'app.add' };
    expect(typed(timeLimit, seed, '50 60')).toMatchObject({ soft: 50, hard: 60 });
    expect(typed(timeLimit, seed, 'none 60')).toMatchObject({ soft: null, hard: 60 });
    expect(typed(timeLimit, seed, 'none')).toMatchObject({ soft: null, hard: null });
    expect(typed(timeLimit, seed, '60 50')).toEqual({ error: 'the soft limit must not exceed the hard one' });
    for (const bad of ['', '50', '0 10', 'a b', '1 2 3'])
      expect(isError(typed(timeLimit, seed, bad))).toBe(true);
  });

  it('queues', () => {
    expect(typed(consumerAdd, { worker }, 'parked')).toEqual({
      queue: 'parked',
      destination: [worker],
      choose: null,
      options: [],
    });
    const seed = { queue: 'a', taskId: 't1', name: 'app.add' };
    expect(typed(messageMove, seed, 'b')).toEqual({ ...seed, toQueue: 'b' });
    expect(isError(typed(messageMove, seed, 'a'))).toBe(true);
    expect(isError(typed(messageMove, seed, 'two words'))).toBe(true);
  });

  it('each prompt says what to type, with cluster names sanitized', () => {
    const title = rateLimit.prompt!.title({ taskName: 'app.\u001b[2Jx' });
    expect(title).toBe('Rate limit of app.\\x1b[2Jx');
    expect(rateLimit.prompt!.label).toBe('rate');
  });
});

describe('confirmations and picks', () => {
  const consumer = { queue: 'q', destination: ['w1'], choose: 'worker' as const, options: ['w1', 'w2'] };

  it('a picked option fills the chosen field', () => {
    expect(consumerAdd.choose!(consumer, 1)).toMatchObject({ destination: ['w2'] });
    expect(consumerCancel.choose!({ ...consumer, choose: 'queue', options: ['a', 'b'] }, 1)).toMatchObject({
      queue: 'b',
    });
    expect(terminate.choose!({ taskIds: ['t'], name: null, signal: 'TERM' }, 1)).toMatchObject({
      signal: 'KILL',
    });
  });

  it('the dialog follows the rule: none runs at once, typed rules ask for the name or the count', () => {
    expect(shutdown.dialog({ worker: 'w1@vm', active: 2 })?.typeToConfirm).toBe('w1@vm');
    expect(purge.dialog({ queue: 'q', ready: 3 })?.typeToConfirm).toBe('q');
    expect(retryFailed.dialog({ name: 'app.boom', count: 3, groups: [] })?.typeToConfirm).toBe('3');
    expect(queuePause.dialog({ queue: 'q', consumers: [] })?.typeToConfirm).toBeNull();
    expect(eventsOff.dialog({})).not.toBeNull();
    expect(eventsOn.dialog({})).toBeNull();
    expect(poolGrow.dialog({ worker: 'w', n: 1 })).toBeNull();
    expect(consumerAdd.dialog(consumer)?.choices).toEqual(['w1', 'w2']);
  });

  it('names actions and targets for the log', () => {
    const move = { queue: 'a', taskId: 't', name: null, toQueue: 'b' };
    expect([messageMove.log, messageMove.describe(move)]).toEqual(['message move', 'task t a → b']);
    expect(rateLimit.describe({ taskName: 'app.add', rate: null })).toBe('task app.add on all workers');
    expect(rateLimit.describe({ taskName: 'app.add', rate: null, destination: ['w1', 'w2'] })).toBe(
      'task app.add on w1, w2',
    );
  });

  it('every record is complete: unique id, log label, subcommand, a dialog exactly when it confirms', () => {
    const ids = controlActions.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const action of controlActions) {
      expect(action.log, action.id).toMatch(/\S/);
      expect(action.cli, action.id).toMatch(/^[a-z-]+/);
      expect(['none', 'dialog', 'typed-name', 'typed-count'], action.id).toContain(action.confirm);
      // The bulk key opens its own dialog (views/state/bulk-flow.ts): the params come from a search.
      if (!action.cliOnly && action.id !== 'tasks.bulk') {
        expect(action.start, `${action.id} has a key, so it starts from a selection`).toBeTypeOf('function');
      }
    }
  });
});
