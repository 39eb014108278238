import { describe, expect, it } from 'vitest';
import { confirmation } from '../../views/confirmations.js';
import { type ControlRequest, commandName, targetName, withChoice } from '../../views/control-requests.js';
import { reduceSearch } from '../../views/queue-search-state.js';
import { answerOf, type InputPurpose, inputDialog } from '../../views/value-input.js';

const request = (purpose: InputPurpose, draft: string) => {
  const answer = answerOf(purpose, draft);
  return answer.kind === 'request' ? answer.request : answer;
};

describe('answerOf: typed values become requests, or a reason', () => {
  const worker = 'w1@vm';
  it('autoscale takes MAX MIN (or MAX,MIN) with MAX >= MIN >= 0', () => {
    expect(request({ action: 'autoscale', worker }, ' 10 3 ')).toEqual({
      command: 'autoscale',
      worker,
      max: 10,
      min: 3,
    });
    expect(request({ action: 'autoscale', worker }, '4,0')).toMatchObject({ max: 4, min: 0 });
    for (const bad of ['3 10', '0 0', '10', '1.5 1', 'ten three', '10 3 1'])
      expect(answerOf({ action: 'autoscale', worker }, bad).kind).toBe('error');
  });

  it('rate limit takes Celery rates or none', () => {
    const purpose: InputPurpose = { action: 'rate-limit', taskName: 'app.add' };
    for (const rate of ['10/m', '5/s', '100/h', '2', '0.5/s'])
      expect(request(purpose, rate)).toEqual({ command: 'rate-limit', taskName: 'app.add', rate });
    expect(request(purpose, 'None')).toEqual({ command: 'rate-limit', taskName: 'app.add', rate: null });
    for (const bad of ['', '10/min', '-1', '10 /m']) expect(answerOf(purpose, bad).kind).toBe('error');
  });

  it('time limits take SOFT HARD seconds, each or both none', () => {
    const purpose: InputPurpose = { action: 'time-limit', taskName: 'app.add' };
    expect(request(purpose, '50 60')).toMatchObject({ soft: 50, hard: 60 });
    expect(request(purpose, 'none 60')).toMatchObject({ soft: null, hard: 60 });
    expect(request(purpose, 'none')).toMatchObject({ soft: null, hard: null });
    expect(answerOf(purpose, '60 50')).toEqual({
      kind: 'error',
      error: 'the soft limit must not exceed the hard one',
    });
    for (const bad of ['', '50', '0 10', 'a b', '1 2 3']) expect(answerOf(purpose, bad).kind).toBe('error');
  });

  it('queues and search text', () => {
    expect(request({ action: 'consumer-add', worker }, 'parked')).toEqual({
      command: 'consumer-add',
      queue: 'parked',
      worker,
      choose: null,
      options: [],
    });
    const move: InputPurpose = { action: 'message-move', queue: 'a', taskId: 't1', name: 'app.add' };
    expect(request(move, 'b')).toEqual({
      command: 'message-move',
      queue: 'a',
      taskId: 't1',
      name: 'app.add',
      toQueue: 'b',
    });
    expect(answerOf(move, 'a').kind).toBe('error');
    expect(answerOf(move, 'two words').kind).toBe('error');
    expect(answerOf({ action: 'queue-search', queue: 'a' }, '  needle ')).toEqual({
      kind: 'search',
      queue: 'a',
      text: 'needle',
    });
  });

  it('each prompt says what to type, with cluster names sanitized', () => {
    const dialog = inputDialog({ action: 'rate-limit', taskName: 'app.\u001b[2Jx' });
    expect(dialog.title).toBe('Rate limit of app.\\x1b[2Jx');
    expect(dialog.title).not.toContain('\u001b');
    expect(dialog).toMatchObject({ label: 'rate', draft: '', error: null });
  });
});

describe('requests', () => {
  const consumer: ControlRequest = {
    command: 'consumer-add',
    queue: 'q',
    worker: 'w1',
    choose: 'worker',
    options: ['w1', 'w2'],
  };

  it('a picked option fills the chosen field', () => {
    expect(withChoice(consumer, 1)).toMatchObject({ worker: 'w2' });
    expect(withChoice({ ...consumer, choose: 'queue', options: ['a', 'b'] }, 1)).toMatchObject({
      queue: 'b',
    });
    expect(withChoice({ command: 'terminate', taskIds: ['t'], name: null, signal: 'TERM' }, 1)).toMatchObject(
      {
        signal: 'KILL',
      },
    );
  });

  it('every write that is not harmless confirms; mass actions need the name typed', () => {
    const typed = (r: ControlRequest) => confirmation(r)?.typeToConfirm;
    expect(typed({ command: 'shutdown', worker: 'w1@vm', active: 2 })).toBe('w1@vm');
    expect(typed({ command: 'retry-failed', name: 'app.boom', count: 3, groups: [] })).toBe('app.boom');
    expect(typed({ command: 'queue-pause', queue: 'q', consumers: [] })).toBeNull();
    expect(confirmation({ command: 'disable-events' })).not.toBeNull();
    expect(confirmation({ command: 'enable-events' })).toBeNull();
    expect(confirmation(consumer)?.choices).toEqual(['w1', 'w2']);
  });

  it('names commands and targets for the log', () => {
    const move: ControlRequest = {
      command: 'message-move',
      queue: 'a',
      taskId: 't',
      name: null,
      toQueue: 'b',
    };
    expect([commandName(move), targetName(move)]).toEqual(['message move', 'task t a → b']);
    expect(targetName({ command: 'rate-limit', taskName: 'app.add', rate: null })).toBe(
      'task app.add on all workers',
    );
  });
});

describe('reduceSearch', () => {
  const started = reduceSearch(null, { type: 'search/started', run: 2, queue: 'q', text: 't', at: 1000 })!;

  it('ignores reports of an older run', () => {
    const stale = { scanned: 9, total: 9, matches: [] };
    expect(reduceSearch(started, { type: 'search/progressed', run: 1, progress: stale })).toBe(started);
    const result = { ...stale, status: 'done' as const, mayHaveSkipped: false };
    expect(reduceSearch(started, { type: 'search/ended', run: 1, result, at: 2000 })).toBe(started);
  });

  it('ends with the final counts, or failed with the reason', () => {
    const result = { scanned: 5, total: 5, matches: [], status: 'done' as const, mayHaveSkipped: false };
    expect(reduceSearch(started, { type: 'search/ended', run: 2, result, at: 1500 })).toMatchObject({
      status: 'done',
      scanned: 5,
      endedAt: 1500,
    });
    expect(
      reduceSearch(started, { type: 'search/ended', run: 2, result: { error: 'closed' }, at: 1500 }),
    ).toMatchObject({ status: 'failed', error: 'closed' });
    expect(reduceSearch(started, { type: 'search/cleared' })).toBeNull();
  });
});
