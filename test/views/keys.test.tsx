import { afterEach, describe, expect, it } from 'vitest';
import { readOnlyModeReason } from '../../src/control/controls.js';
import { initialUi, type PanelId } from '../../views/state/ui-state.js';
import { eventsAction, taskEvent } from '../store/task-fixtures.js';
import { ids } from './cluster-fixture.js';
import { fakeControls, renderScreen } from './render-screen.js';

type Screen = Awaited<ReturnType<typeof renderScreen>>;
let screen: Screen;

async function open(panel: PanelId, options: Parameters<typeof renderScreen>[0] = {}) {
  screen = await renderScreen({ columns: 120, rows: 30, ...options, initial: { ...initialUi, panel } });
  return screen;
}

/** The line of the frame that carries the selection marker. */
const selectedLine = () =>
  screen
    .lastFrame()
    .split('\n')
    .find((line) => line.startsWith('> ')) ?? '';

afterEach(() => screen?.unmount());

describe('navigation', () => {
  it('switches panels by number, Tab and Shift-Tab', async () => {
    await open('queues');
    await screen.press('panel.workers');
    expect(screen.lastFrame()).toContain('[2 Workers]');
    await screen.press('panel.next');
    expect(screen.lastFrame()).toContain('[3 Tasks]');
    await screen.press('panel.previous');
    await screen.press('panel.previous');
    expect(screen.lastFrame()).toContain('[1 Queues]');
  });

  it('moves with arrows and j/k, opens the detail with Enter and goes back with Esc', async () => {
    await open('tasks');
    expect(selectedLine()).toContain('▶ STARTED');
    for (let i = 0; i < 3; i++) await screen.press('list.down');
    await screen.press('list.down', 1);
    expect(selectedLine()).toContain('✗ FAILURE');
    await screen.press('list.up', 1);
    await screen.press('list.down');
    await screen.press('list.open');
    expect(screen.lastFrame()).toContain('raise ValueError(msg)');
    expect(screen.lastFrame()).toContain('› task 22222222');
    await screen.press('app.back');
    expect(selectedLine()).toContain('✗ FAILURE');
    await screen.press('list.bottom');
    expect(selectedLine()).toContain('PENDING');
    await screen.press('list.top');
    expect(selectedLine()).toContain('▶ STARTED');
  });

  it('keeps the selected task selected by id while new tasks push the list down', async () => {
    await open('tasks');
    for (let i = 0; i < 4; i++) await screen.press('list.down');
    expect(selectedLine()).toContain(ids.failure.slice(0, 8));
    const t = screen.clock.now() / 1000;
    screen.store.dispatch(
      eventsAction(
        screen.clock.now(),
        taskEvent('task-received', 'new-1', t, { name: 'app.new', hostname: 'w1@vm' }),
      ),
    );
    await screen.advance(1000);
    expect(screen.lastFrame()).toContain('app.new');
    expect(selectedLine()).toContain(ids.failure.slice(0, 8));
  });

  it('follows links in a detail view: child → parent', async () => {
    screen = await renderScreen({
      rows: 40,
      initial: { ...initialUi, details: [{ kind: 'task', id: ids.child }] },
    });
    const lines = screen.lastFrame().split('\n');
    const parentAt = lines.findIndex((line) => line.includes('parent     →'));
    const cursorAt = lines.findIndex((line) => line.startsWith('> '));
    for (let i = cursorAt; i < parentAt; i++) await screen.press('list.down');
    expect(selectedLine()).toContain('parent');
    await screen.press('list.open');
    expect(screen.lastFrame()).toContain(`Task ${ids.success}`);
    await screen.press('app.back');
    expect(screen.lastFrame()).toContain(`Task ${ids.child}`);
  });

  it('Enter on a runtime row lists that name’s tasks; on a failure group it opens the example', async () => {
    await open('runtimes');
    await screen.press('list.open');
    expect(screen.lastFrame()).toContain('filter: name:app.add');
    await screen.press('panel.failures');
    await screen.press('list.open');
    expect(screen.lastFrame()).toContain(`Task ${ids.retry}`);
  });
});

describe('filter, sort, pause', () => {
  it('filters live as typed, keeps it with Enter, and Esc clears it', async () => {
    await open('tasks');
    await screen.press('tasks.filter');
    await screen.type('state:failure');
    expect(screen.lastFrame()).toContain('1 match');
    expect(screen.lastFrame()).not.toContain('▶ STARTED');
    await screen.press('filter.apply');
    expect(screen.lastFrame()).toContain('filter: state:failure');
    expect(screen.lastFrame()).toContain('✗ FAILURE');
    await screen.press('app.back');
    expect(screen.lastFrame()).toContain('▶ STARTED');
  });

  it('handles keys that arrive in one read (typed ahead over a slow link, or pasted)', async () => {
    await open('tasks');
    await screen.type('/state:failure\r');
    expect(screen.lastFrame()).toContain('filter: state:failure');
    expect(screen.lastFrame()).not.toContain('▶ STARTED');
    await screen.type(':workers\r');
    expect(screen.lastFrame()).toContain('[2 Workers]');
  });

  it('filter Esc puts the previous filter back; Backspace erases', async () => {
    await open('tasks');
    await screen.press('tasks.filter');
    await screen.type('boomx');
    await screen.press('filter.erase');
    expect(screen.lastFrame()).toContain('/boom█');
    await screen.press('filter.cancel');
    expect(screen.lastFrame()).not.toContain('filter:');
  });

  it('narrows to the selected task’s name and back with one key', async () => {
    await open('tasks');
    await screen.press('tasks.by-name');
    expect(screen.lastFrame()).toContain('filter: name:app.sleepy');
    await screen.press('tasks.by-name');
    expect(screen.lastFrame()).not.toContain('filter:');
  });

  it('sorts without losing the selected task', async () => {
    await open('tasks');
    for (let i = 0; i < 4; i++) await screen.press('list.down');
    await screen.press('tasks.sort');
    await screen.press('tasks.sort');
    expect(screen.lastFrame()).toContain('sort: runtime');
    expect(selectedLine()).toContain('✗ FAILURE');
    await screen.press('tasks.reverse');
    expect(screen.lastFrame()).toContain('(reversed)');
    expect(selectedLine()).toContain('✗ FAILURE');
  });

  it('pause freezes the view while data keeps arriving, and resume shows it', async () => {
    await open('tasks');
    await screen.press('app.pause');
    expect(screen.lastFrame()).toContain('PAUSED');
    const t = screen.clock.now() / 1000;
    screen.store.dispatch(
      eventsAction(
        screen.clock.now(),
        taskEvent('task-received', 'new-2', t, { name: 'app.late', hostname: 'w1@vm' }),
      ),
    );
    await screen.advance(3000);
    await screen.press('list.down');
    expect(screen.lastFrame()).not.toContain('app.late');
    await screen.press('app.pause');
    expect(screen.lastFrame()).toContain('app.late');
    expect(screen.lastFrame()).not.toContain('PAUSED');
  });
});

describe('prompt, help, quit', () => {
  it(':workers, :task PREFIX, and an unknown command', async () => {
    await open('queues');
    await screen.press('app.prompt');
    await screen.type('workers');
    await screen.press('prompt.run');
    expect(screen.lastFrame()).toContain('[2 Workers]');
    await screen.press('app.prompt');
    await screen.type('task 2222');
    await screen.press('prompt.run');
    expect(screen.lastFrame()).toContain(`Task ${ids.failure}`);
    await screen.press('app.prompt');
    await screen.type('nope');
    await screen.press('prompt.run');
    expect(screen.lastFrame()).toContain("error: unknown command ':nope'");
  });

  it('help lists the keys of the view it was opened over', async () => {
    await open('tasks');
    await screen.press('app.help');
    expect(screen.lastFrame()).toContain('qtop keys');
    expect(screen.lastFrame()).toContain('Revoke the task');
    await screen.press('help.close');
    expect(screen.lastFrame()).not.toContain('qtop keys');
  });

  it('q quits, and Ctrl-C quits even from the prompt', async () => {
    await open('queues');
    await screen.press('app.quit');
    expect(screen.quitCalls()).toBe(1);
    await screen.press('app.prompt');
    await screen.press('app.interrupt');
    expect(screen.quitCalls()).toBe(2);
  });

  it('a key that belongs to another view says where it works', async () => {
    await open('queues');
    await screen.press('tasks.sort');
    expect(screen.lastFrame()).toContain('works in: tasks');
  });
});

describe('control keys', () => {
  it('revoke asks first with Cancel focused; Enter on Cancel does nothing', async () => {
    await open('tasks');
    await screen.press('task.revoke');
    expect(screen.lastFrame()).toContain('Revoke task');
    expect(screen.lastFrame()).toContain(`Broadcast revoke for task ${ids.started} (app.sleepy)`);
    expect(screen.lastFrame()).toContain('> Cancel <');
    await screen.press('confirm.accept');
    expect(screen.lastFrame()).toContain('cancelled');
    expect(screen.controls.calls).toEqual([]);
  });

  it('revoke runs after moving to the action; the outcome is a toast and a log entry', async () => {
    await open('tasks');
    await screen.press('task.revoke');
    await screen.press('confirm.focus');
    expect(screen.lastFrame()).toContain('> Revoke <');
    await screen.press('confirm.accept');
    await screen.waitForFrame('revoke: done on 1 worker');
    expect(screen.controls.calls).toEqual([{ method: 'revoke', args: [[ids.started]] }]);
    await screen.press('panel.log');
    expect(screen.lastFrame()).toMatch(/✓ ok\s+revoke\s+task 33333333/);
  });

  it('terminate sends the chosen signal', async () => {
    await open('tasks');
    await screen.press('task.terminate');
    await screen.press('confirm.choice-down');
    expect(screen.lastFrame()).toContain('> SIGKILL');
    await screen.press('confirm.focus');
    await screen.press('confirm.accept');
    await screen.waitForFrame('terminate:');
    expect(screen.controls.calls).toEqual([
      { method: 'revoke', args: [[ids.started], { terminate: true, signal: 'KILL' }] },
    ]);
  });

  it('says why an action cannot run instead of doing nothing', async () => {
    await open('tasks');
    for (let i = 0; i < 5; i++) await screen.press('list.down');
    expect(selectedLine()).toContain('✓ SUCCESS');
    // A finished task's revoke opens the second confirmation; its default pick does nothing.
    await screen.press('task.revoke');
    expect(screen.lastFrame()).toContain('already finished (SUCCESS): there is nothing');
    expect(screen.lastFrame()).toContain('> do nothing');
    await screen.press('confirm.focus');
    await screen.press('confirm.accept');
    await screen.waitForFrame('not revoked: task already finished (SUCCESS); nothing sent');
    await screen.press('task.terminate');
    expect(screen.lastFrame()).toContain('terminate is for running tasks');
    await screen.press('events.enable');
    expect(screen.lastFrame()).toContain('task events are already on');
    expect(screen.controls.calls).toEqual([]);
  });

  it('bulk retry of a failure group retries every failed task of the name, after typing the count', async () => {
    await open('failures');
    await screen.press('list.down');
    await screen.press('failures.retry');
    expect(screen.lastFrame()).toContain('Publish 1 new task, one per failed app.boom task qtop holds');
    expect(screen.lastFrame()).toContain('(ValueError 1)');
    expect(screen.lastFrame()).toContain("Type '1' to confirm");
    await screen.press('confirm.focus');
    expect(screen.lastFrame()).toContain('> Retry 1 <');
    await screen.press('confirm.accept');
    expect(screen.lastFrame()).toContain("type '1' to confirm");
    expect(screen.controls.calls).toEqual([]);
    await screen.type('1');
    await screen.press('confirm.accept');
    await screen.waitForFrame('retry --failed: done');
    // By name, not by the ids the group lists: a group holds at most 100 ids.
    expect(screen.controls.calls).toEqual([{ method: 'retryFailed', args: ['app.boom'] }]);
  });

  it('retry of one failed task publishes that task again', async () => {
    await open('tasks');
    for (let i = 0; i < 4; i++) await screen.press('list.down');
    await screen.press('task.retry');
    expect(screen.lastFrame()).toContain(`reproducing the call of task ${ids.failure} (app.boom)`);
    await screen.press('confirm.focus');
    await screen.press('confirm.accept');
    await screen.waitForFrame('retry: done');
    expect(screen.controls.calls).toEqual([{ method: 'retry', args: [[ids.failure]] }]);
  });

  it('retry offers to remove a still-waiting original in the same atomic step', async () => {
    await open('tasks');
    for (let i = 0; i < 4; i++) await screen.press('list.down');
    await screen.press('task.retry');
    expect(screen.lastFrame()).toContain('> retry only if the original no longer waits');
    await screen.press('confirm.choice-down');
    expect(screen.lastFrame()).toContain('> retry and remove the original, atomically');
    await screen.press('confirm.focus');
    await screen.press('confirm.accept');
    await screen.waitForFrame('retry: done');
    expect(screen.controls.calls).toEqual([
      { method: 'retry', args: [[ids.failure], { removeOriginal: true }] },
    ]);
  });

  it('purge needs the queue name typed', async () => {
    await open('queues');
    await screen.press('list.down');
    await screen.press('queue.purge');
    expect(screen.lastFrame()).toContain("Delete every ready message of queue 'parked' (6 now");
    await screen.type('parkd');
    await screen.press('confirm.erase');
    await screen.type('ed');
    await screen.press('confirm.focus');
    await screen.press('confirm.accept');
    await screen.waitForFrame('purge: done');
    expect(screen.controls.calls).toEqual([{ method: 'purgeQueue', args: ['parked'] }]);
  });

  it('pool grow runs at once, pool shrink asks first', async () => {
    await open('workers');
    await screen.press('worker.grow');
    await screen.waitForFrame('pool grow: done');
    expect(screen.controls.calls).toEqual([{ method: 'poolGrow', args: ['w1@vm', 1] }]);
    await screen.press('worker.shrink');
    expect(screen.lastFrame()).toContain('Shrink pool');
    await screen.press('confirm.cancel');
    expect(screen.controls.calls).toHaveLength(1);
    await screen.press('worker.ping');
    await screen.waitForFrame('ping: done');
    expect(screen.controls.calls[1]).toEqual({ method: 'ping', args: [['w1@vm']] });
  });

  it('read-only: control keys vanish from footer and help, and pressing one says why', async () => {
    await open('tasks', { controls: fakeControls(false) });
    expect(screen.lastFrame()).not.toContain('r revoke');
    await screen.press('task.revoke');
    expect(screen.lastFrame()).toContain(`revoke: ${readOnlyModeReason}`);
    await screen.press('app.help');
    expect(screen.lastFrame()).not.toContain('Revoke the task');
    expect(screen.lastFrame()).toContain('Control keys are hidden');
    expect(screen.controls.calls).toEqual([]);
  });

  it('a failed outcome is shown as an error and logged', async () => {
    const controls = fakeControls(true, { ok: false, summary: 'no reply from w1@vm', replies: [] });
    await open('workers', { controls });
    await screen.press('worker.grow');
    await screen.waitForFrame('error: pool grow: no reply from w1@vm');
    await screen.press('panel.log');
    expect(screen.lastFrame()).toMatch(/✗ fail\s+pool grow/);
  });
});
