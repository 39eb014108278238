import { afterEach, describe, expect, it } from 'vitest';
import { stringifyExact } from '../../src/celery/json-exact.js';
import type { Controls } from '../../src/control/controls.js';
import { initialUi, uiReducer } from '../../views/state/ui-state.js';
import { editField, fieldView, type InputState, inputDialog } from '../../views/state/value-input.js';
import { type ControlCall, fakeControls, renderScreen } from './render-screen.js';

// The value prompt's one-line editor (edit and retry's inline call editor when no $EDITOR is set):
// typing and erasing at a cursor that the arrows, Home/End and C-a/C-e move, C-d deleting under it,
// and a view of a long line that follows the cursor.

function field(draft: string, cursor = [...draft].length): InputState {
  return {
    purpose: { action: 'queue-search', queue: 'q' },
    title: 't',
    lines: [],
    label: 'call',
    draft,
    cursor,
    error: null,
  };
}

describe('editField', () => {
  it('types and erases at the cursor, not at the end', () => {
    const typed = editField(field('[1, 3]', 4), { kind: 'type', text: '2, ' });
    expect(typed).toMatchObject({ draft: '[1, 2, 3]', cursor: 7 });
    expect(editField(typed, { kind: 'erase' })).toMatchObject({ draft: '[1, 2,3]', cursor: 6 });
    expect(editField(field('ab', 0), { kind: 'erase' })).toEqual(field('ab', 0));
  });

  it('deletes the character under the cursor, and nothing at the end', () => {
    expect(editField(field('[10]', 1), { kind: 'delete' })).toMatchObject({ draft: '[0]', cursor: 1 });
    const end = field('[10]');
    expect(editField(end, { kind: 'delete' })).toBe(end);
  });

  it('moves within the text, stopping at both ends', () => {
    const start = field('abc', 0);
    expect(editField(start, { kind: 'move', to: 'left' })).toBe(start);
    expect(editField(start, { kind: 'move', to: 'right' }).cursor).toBe(1);
    expect(editField(start, { kind: 'move', to: 'end' }).cursor).toBe(3);
    expect(editField(field('abc'), { kind: 'move', to: 'right' }).cursor).toBe(3);
    expect(editField(field('abc'), { kind: 'move', to: 'home' }).cursor).toBe(0);
  });

  it('steps over a whole code point, never half of one', () => {
    const emoji = field('a😀b', 1);
    const right = editField(emoji, { kind: 'move', to: 'right' });
    expect(right.cursor).toBe(2);
    expect(editField(right, { kind: 'erase' }).draft).toBe('ab');
    expect(editField(emoji, { kind: 'delete' }).draft).toBe('ab');
  });

  it('clears the error of the last Enter on an edit, not on a move', () => {
    const rejected = { ...field('x', 0), error: 'not JSON' };
    expect(editField(rejected, { kind: 'move', to: 'end' }).error).toBe('not JSON');
    expect(editField(rejected, { kind: 'type', text: '[' }).error).toBeNull();
  });

  it("opens a prompt's initial text with the cursor at its end", () => {
    const input = inputDialog({
      action: 'control',
      id: 'task.edit-retry',
      seed: { taskId: 't1', name: 'app.add', original: { args: [1], kwargs: {} } },
    });
    expect(input.draft).toBe('{"args":[1],"kwargs":{}}');
    expect(input.cursor).toBe(input.draft.length);
  });
});

describe('fieldView', () => {
  it('shows a short text whole, the cursor on its character or at the end', () => {
    expect(fieldView('abc', 1, 20)).toEqual({ before: 'a', at: 'b', after: 'c' });
    expect(fieldView('abc', 3, 20)).toEqual({ before: 'abc', at: null, after: '' });
  });

  it('follows the cursor through a line longer than the field, marking the cut edges', () => {
    const line = 'abcdefghijklmnopqrstuvwxyz';
    const width = 10;
    const atEnd = fieldView(line, 26, width);
    expect(atEnd).toEqual({ before: '…stuvwxyz', at: null, after: '' });
    const atStart = fieldView(line, 0, width);
    expect(atStart).toEqual({ before: '', at: 'a', after: 'bcdefghi…' });
    const middle = fieldView(line, 13, width);
    expect(middle.at).toBe('n');
    expect(middle.before.startsWith('…')).toBe(true);
    expect(middle.after.endsWith('…')).toBe(true);
    // Never wider than the field: the cursor's cell included.
    for (let cursor = 0; cursor <= line.length; cursor++) {
      const v = fieldView(line, cursor, width);
      expect([...v.before].length + 1 + [...v.after].length).toBeLessThanOrEqual(width);
      expect(v.at).toBe(cursor < line.length ? line[cursor] : null);
    }
  });
});

describe('uiReducer on the value prompt', () => {
  it('types at the cursor and moves it with input/edited', () => {
    let state = uiReducer(initialUi, {
      type: 'modal/opened',
      modal: { kind: 'input', input: field('[13]') },
    });
    state = uiReducer(state, { type: 'input/edited', edit: { kind: 'move', to: 'left' } });
    state = uiReducer(state, { type: 'input/edited', edit: { kind: 'move', to: 'left' } });
    state = uiReducer(state, { type: 'draft/typed', text: '2' });
    state = uiReducer(state, { type: 'input/edited', edit: { kind: 'delete' } });
    expect(state.modal).toMatchObject({ kind: 'input', input: { draft: '[12]', cursor: 3 } });
  });
});

describe('edit and retry inline, on the screen', () => {
  type Screen = Awaited<ReturnType<typeof renderScreen>>;
  let screen: Screen;
  afterEach(() => screen?.unmount());

  it('fixes an argument in the middle of the call with the cursor keys, and retries that call', async () => {
    const base = fakeControls();
    const controls = {
      ...base,
      retryCall: () =>
        Promise.resolve({
          ok: true as const,
          call: {
            name: 'app.boom',
            args: ['kaboom'],
            kwargs: {},
            queue: 'celery',
            source: 'result-extended',
          },
        }),
    } as Controls & { calls: ControlCall[] };
    screen = await renderScreen({
      columns: 120,
      rows: 40,
      controls,
      initial: { ...initialUi, panel: 'tasks', taskFilter: 'state:FAILURE' },
    });
    await screen.waitForFrame('app.boom');
    await screen.press('task.edit-retry');
    await screen.waitForFrame('call: {"args":["kaboom"],"kwargs":{}}█');
    await screen.press('input.home');
    for (let i = 0; i < 10; i++) await screen.press('input.right');
    for (let i = 0; i < 6; i++) await screen.press('input.delete');
    await screen.type('fixed');
    await screen.waitForFrame('call: {"args":["fixed"],"kwargs":{}}');
    // The cursor is inside the text now: no block at the end.
    expect(screen.lastFrame()).not.toContain('{}}█');
    await screen.press('input.end');
    await screen.press('input.left', 1); // C-b, as in readline
    await screen.type(', "x": 1');
    await screen.waitForFrame('call: {"args":["fixed"],"kwargs":{}, "x": 1}');
    for (let i = 0; i < 8; i++) await screen.press('input.erase');
    await screen.press('input.home', 1);
    await screen.press('input.end', 1);
    await screen.press('input.submit');
    await screen.waitForFrame('Retry with an edited call');
    await screen.waitForFrame('> Cancel <');
    await screen.press('confirm.focus');
    await screen.press('confirm.accept');
    await screen.waitForFrame('retry edited:');
    const [call] = controls.calls.filter((c) => c.method === 'retry');
    expect(stringifyExact(call!.args[1])).toBe('{"call":{"args":["fixed"],"kwargs":{}}}');
  });
});
