import { describe, expect, it } from 'vitest';
import { reduceSearch } from '../../views/state/queue-search-state.js';
import { answerOf, type InputPurpose, inputDialog } from '../../views/state/value-input.js';

describe('answerOf: the value prompt completes a control request, or a search', () => {
  it("a control action's prompt gives the request with its params", () => {
    const purpose: InputPurpose = { action: 'control', id: 'worker.autoscale', seed: { worker: 'w1@vm' } };
    expect(answerOf(purpose, '10 3')).toEqual({
      kind: 'request',
      request: { id: 'worker.autoscale', params: { worker: 'w1@vm', max: 10, min: 3 } },
    });
    expect(answerOf(purpose, '3 10')).toMatchObject({ kind: 'error' });
    expect(inputDialog(purpose)).toMatchObject({
      label: 'MAX MIN',
      title: 'Autoscale worker w1@vm',
      draft: '',
    });
  });

  it('a search takes the text, trimmed', () => {
    expect(answerOf({ action: 'queue-search', queue: 'a' }, '  needle ')).toEqual({
      kind: 'search',
      queue: 'a',
      text: 'needle',
    });
    expect(answerOf({ action: 'queue-search', queue: 'a' }, '  ').kind).toBe('error');
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
