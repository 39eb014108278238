import { describe, expect, it } from 'vitest';
import { parsePrompt } from '../../views/keys/context/prompt-commands.js';
import { toggleToken } from '../../views/state/task-filter.js';
import { initialUi, topView, type UiAction, type UiState, uiReducer } from '../../views/state/ui-state.js';

const run = (...actions: UiAction[]): UiState => actions.reduce(uiReducer, initialUi);

describe('uiReducer', () => {
  it('returns the same object for a no-op', () => {
    expect(uiReducer(initialUi, { type: 'panel/shown', panel: 'overview' })).toBe(initialUi);
    expect(uiReducer(initialUi, { type: 'detail/closed' })).toBe(initialUi);
    expect(uiReducer(initialUi, { type: 'modal/closed' })).toBe(initialUi);
    expect(uiReducer(initialUi, { type: 'draft/typed', text: 'x' })).toBe(initialUi);
    const selected = run({ type: 'selection/moved', list: 'tasks', selection: { key: 'a', index: 2 } });
    expect(
      uiReducer(selected, { type: 'selection/moved', list: 'tasks', selection: { key: 'a', index: 2 } }),
    ).toBe(selected);
  });

  it('cycles panels both ways and closes details when the panel changes', () => {
    expect(run({ type: 'panel/cycled', step: -1 }).panel).toBe('beat');
    const state = run(
      { type: 'detail/opened', view: { kind: 'task', id: 't1' } },
      { type: 'panel/cycled', step: 1 },
    );
    expect(state.panel).toBe('queues');
    expect(state.details).toEqual([]);
  });

  it('stacks detail views (no duplicate on top) and pops them', () => {
    const t1 = { kind: 'task', id: 't1' } as const;
    const state = run({ type: 'detail/opened', view: t1 }, { type: 'detail/opened', view: t1 });
    expect(state.details).toHaveLength(1);
    const two = uiReducer(state, { type: 'detail/opened', view: { kind: 'worker', hostname: 'w' } });
    expect(topView(two)).toEqual({ kind: 'worker', hostname: 'w' });
    expect(topView(uiReducer(two, { type: 'detail/closed' }))).toEqual(t1);
  });

  it('applies the filter live while typing, and Esc puts the previous one back', () => {
    const typing = run(
      { type: 'filter/applied', text: 'state:FAILURE' },
      { type: 'modal/opened', modal: { kind: 'filter', draft: 'state:FAILURE', previous: 'state:FAILURE' } },
      { type: 'draft/typed', text: ' bo' },
      { type: 'draft/typed', text: 'om' },
      { type: 'draft/erased' },
    );
    expect(typing.taskFilter).toBe('state:FAILURE boo');
    expect(uiReducer(typing, { type: 'filter/cancelled' }).taskFilter).toBe('state:FAILURE');
    expect(uiReducer(typing, { type: 'filter/applied', text: 'x ' }).taskFilter).toBe('x');
  });

  it('cycles sorts, resetting the direction', () => {
    const state = run({ type: 'sort/reversed' }, { type: 'sort/cycled' });
    expect(state).toMatchObject({ taskSort: 'started', taskReverse: false });
  });

  it('keeps the command log bounded', () => {
    let state = initialUi;
    const entry = {
      at: 0,
      command: 'ping',
      target: 'all',
      outcome: { ok: true, summary: 'ok', replies: [] },
    };
    for (let i = 0; i < 600; i++)
      state = uiReducer(state, { type: 'log/appended', entry: { ...entry, at: i } });
    expect(state.log).toHaveLength(500);
    expect(state.log.at(-1)!.at).toBe(599);
  });
});

describe('task filter', () => {
  it('toggles a token from a row', () => {
    const row = { name: 'app.add', state: 'SUCCESS', worker: 'w1@vm' } as Parameters<typeof toggleToken>[2];
    expect(toggleToken('boom', 'name', row)).toBe('boom name:app.add');
    expect(toggleToken('boom name:app.add', 'name', row)).toBe('boom');
    expect(toggleToken('', 'state', row)).toBe('state:SUCCESS');
  });
});

describe('command prompt', () => {
  it.each([
    ['q', { kind: 'quit' }],
    ['queues', { kind: 'panel', panel: 'queues' }],
    ['workers', { kind: 'panel', panel: 'workers' }],
    ['tasks', { kind: 'panel', panel: 'tasks' }],
    ['tasks state:FAILURE', { kind: 'filter', text: 'state:FAILURE' }],
    ['task abc-123', { kind: 'task', id: 'abc-123' }],
    ['worker w1@vm', { kind: 'worker', hostname: 'w1@vm' }],
    ['queue parked', { kind: 'queue', name: 'parked' }],
    ['runtimes', { kind: 'panel', panel: 'runtimes' }],
    ['failures', { kind: 'panel', panel: 'failures' }],
    ['log', { kind: 'panel', panel: 'log' }],
    ['help', { kind: 'help' }],
    ['5', { kind: 'panel', panel: 'failures' }],
  ])(':%s', (line, intent) => {
    expect(parsePrompt(line)).toEqual(intent);
  });

  it('says what is wrong with an unknown command', () => {
    expect(parsePrompt('frobnicate')).toMatchObject({
      kind: 'error',
      message: expect.stringContaining(':frobnicate'),
    });
  });
});
