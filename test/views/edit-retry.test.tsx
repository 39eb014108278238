import { afterEach, describe, expect, it } from 'vitest';
import { stringifyExact } from '../../src/celery/json-exact.js';
import type { Controls } from '../../src/control/controls.js';
import { initialUi } from '../../views/state/ui-state.js';
import { ids } from './cluster-fixture.js';
import { type ControlCall, fakeControls, renderScreen } from './render-screen.js';

// Edit and retry from a failed task: the call read through the (fake) controls, edited in an
// injected editor or inline, checked, shown as a diff, and retried with the edited call.
type Screen = Awaited<ReturnType<typeof renderScreen>>;
let screen: Screen;
afterEach(() => screen?.unmount());

function editControls() {
  const base = fakeControls();
  const controls = {
    ...base,
    retryCall: (taskId: string) => {
      base.calls.push({ method: 'retryCall', args: [taskId] });
      return Promise.resolve({
        ok: true as const,
        call: { name: 'app.boom', args: ['kaboom'], kwargs: {}, queue: 'celery', source: 'result-extended' },
      });
    },
  } as Controls & { calls: ControlCall[] };
  return controls;
}

async function openFailed(options: { editText?: (text: string) => Promise<string | null> } = {}) {
  const controls = editControls();
  screen = await renderScreen({
    columns: 120,
    rows: 40,
    controls,
    ...options,
    initial: { ...initialUi, panel: 'tasks', taskFilter: 'state:FAILURE' },
  });
  await screen.waitForFrame('app.boom');
  return controls;
}

const retries = (controls: { calls: ControlCall[] }) => controls.calls.filter((c) => c.method === 'retry');

async function accept() {
  await screen.waitForFrame('> Cancel <');
  await screen.press('confirm.focus');
  await screen.press('confirm.accept');
}

describe('edit and retry', () => {
  it('opens the exact call in the editor, shows the diff, and retries with the edited call', async () => {
    const seen: string[] = [];
    const controls = await openFailed({
      editText: (text) => {
        seen.push(text);
        return Promise.resolve(text.replace('"kaboom"', '"fixed", 12345678901234567890'));
      },
    });
    await screen.press('task.edit-retry');
    await screen.waitForFrame('Retry with an edited call');
    expect(seen).toEqual(['{\n  "args": [\n    "kaboom"\n  ],\n  "kwargs": {}\n}\n']);
    const frame = screen.lastFrame();
    expect(frame).toContain('to queue celery');
    expect(frame).toContain('-     "kaboom"');
    expect(frame).toContain('+     "fixed",');
    expect(frame).toContain('+     12345678901234567890');
    expect(retries(controls)).toHaveLength(0);
    await accept();
    await screen.waitForFrame('retry edited:');
    const [call] = retries(controls);
    expect(call!.args[0]).toEqual([ids.failure]);
    expect(stringifyExact(call!.args[1])).toBe(
      '{"call":{"args":["fixed",12345678901234567890],"kwargs":{}}}',
    );
  });

  it('refuses what is not a call, and an unchanged call, without sending anything', async () => {
    let answer = '[1, 2]';
    const controls = await openFailed({ editText: () => Promise.resolve(answer) });
    await screen.press('task.edit-retry');
    await screen.waitForFrame('the call must be a JSON object');
    answer = '{"args": ["kaboom"], "kwargs": {}, "queue": "x"}';
    await screen.press('task.edit-retry');
    await screen.waitForFrame('the call has only args and kwargs, not queue');
    answer = '{"args": ["kaboom"], "kwargs": {}}';
    await screen.press('task.edit-retry');
    await screen.waitForFrame('the call is unchanged');
    answer = '{"args": [';
    await screen.press('task.edit-retry');
    await screen.waitForFrame('the call is not JSON');
    expect(retries(controls)).toHaveLength(0);
  });

  it('says so when the editor fails or cannot start, and sends nothing', async () => {
    let fail: 'exit' | 'throw' = 'exit';
    const controls = await openFailed({
      editText: () =>
        fail === 'exit' ? Promise.resolve(null) : Promise.reject(new Error('spawn /bin/sh ENOENT')),
    });
    await screen.press('task.edit-retry');
    await screen.waitForFrame('the editor ended with an error; nothing was sent');
    fail = 'throw';
    await screen.press('task.edit-retry');
    await screen.waitForFrame('edit & retry: spawn /bin/sh ENOENT; nothing was sent');
    expect(retries(controls)).toHaveLength(0);
  });

  it('edits inline when no editor is set: NaN and big ints kept exact', async () => {
    const controls = await openFailed();
    await screen.press('task.edit-retry');
    await screen.waitForFrame('call: {"args":["kaboom"],"kwargs":{}}');
    for (let i = 0; i < 15; i++) await screen.press('input.erase');
    await screen.waitForFrame('call: {"args":["kaboom█');
    await screen.type('", 98765432109876543210], "kwargs": {"x": NaN}}');
    await screen.press('input.submit');
    await screen.waitForFrame('Retry with an edited call');
    await accept();
    await screen.waitForFrame('retry edited:');
    const [call] = retries(controls);
    expect(stringifyExact(call!.args[1])).toBe(
      '{"call":{"args":["kaboom",98765432109876543210],"kwargs":{"x":NaN}}}',
    );
  });

  it('is for failed tasks only', async () => {
    const controls = editControls();
    screen = await renderScreen({
      columns: 120,
      rows: 40,
      controls,
      initial: { ...initialUi, panel: 'tasks', taskFilter: 'state:SUCCESS' },
    });
    await screen.waitForFrame('SUCCESS');
    await screen.press('task.edit-retry');
    expect(screen.lastFrame()).toContain('edit and retry is for failed (or revoked) tasks');
    expect(controls.calls.filter((c) => c.method === 'retryCall')).toHaveLength(0);
  });
});
