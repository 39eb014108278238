import { afterEach, describe, expect, it } from 'vitest';
import { readOnlyModeReason } from '../../src/control/controls.js';
import type { Action } from '../../src/store/actions.js';
import { initialUi, type PanelId } from '../../views/state/ui-state.js';
import { fakeControls, renderScreen } from './render-screen.js';

// Every control action from a key, with its confirmation: queue pause/resume, consumers,
// autoscale, rate and time limits, one message's delete and move, shutdown, events off.
type Screen = Awaited<ReturnType<typeof renderScreen>>;
let screen: Screen;

async function open(panel: PanelId, options: Parameters<typeof renderScreen>[0] = {}) {
  screen = await renderScreen({ columns: 120, rows: 30, ...options, initial: { ...initialUi, panel } });
  return screen;
}

async function openQueue(name: string) {
  screen = await renderScreen({
    columns: 120,
    rows: 40,
    initial: { ...initialUi, details: [{ kind: 'queue', name }] },
  });
  return screen;
}

const selectedLine = () =>
  screen
    .lastFrame()
    .split('\n')
    .find((line) => line.startsWith('> ')) ?? '';

/** Move the cursor down until the selected line contains `text`. */
async function selectLine(text: string) {
  for (let i = 0; i < 60 && !selectedLine().includes(text); i++) await screen.press('list.down');
  expect(selectedLine()).toContain(text);
}

/** Move to the action button and press it. */
async function accept() {
  await screen.press('confirm.focus');
  await screen.press('confirm.accept');
}

afterEach(() => screen?.unmount());

describe('queue keys', () => {
  it('pauses a queue on its consumers and resumes exactly those', async () => {
    await open('queues');
    await screen.press('queue.resume');
    expect(screen.lastFrame()).toContain('queue celery was not paused by this qtop');
    await screen.press('queue.pause');
    expect(screen.lastFrame()).toContain(
      "Cancel the consumer of queue 'celery' on every worker consuming it",
    );
    expect(screen.lastFrame()).toContain('at the last inspect: w1@vm');
    expect(screen.lastFrame()).toContain('> Cancel <');
    await accept();
    await screen.waitForFrame('queue pause: done');
    expect(screen.lastFrame()).toContain('PAUSED celery');
    await screen.press('queue.pause');
    expect(screen.lastFrame()).toContain('queue celery is already paused (U resumes it)');
    await screen.press('queue.resume');
    expect(screen.lastFrame()).toContain("Re-add the consumer of queue 'celery' on w1@vm");
    await accept();
    await screen.waitForFrame('queue resume: done');
    expect(screen.controls.calls).toEqual([
      { method: 'pauseQueue', args: ['celery'] },
      { method: 'resumeQueue', args: ['celery', ['w1@vm']] },
    ]);
    await screen.press('panel.log');
    expect(screen.lastFrame()).toMatch(/queue resume\s+queue celery/);
    expect(screen.lastFrame()).toMatch(/queue pause\s+queue celery/);
  });

  it('says why a queue nobody consumes cannot be paused', async () => {
    await open('queues');
    await screen.press('list.down');
    await screen.press('queue.pause');
    expect(screen.lastFrame()).toContain('no worker up consumes queue parked (as of the last inspect)');
    await screen.press('queue.cancel-consumer');
    expect(screen.lastFrame()).toContain('no worker up consumes queue parked');
    expect(screen.controls.calls).toEqual([]);
  });

  it('adds a consumer on a worker picked from a list that scrolls', async () => {
    await open('queues', { rows: 24 });
    const t = screen.clock.now() / 1000;
    const heartbeat = (hostname: string): Action => ({
      type: 'events/received',
      at: screen.clock.now(),
      events: [
        {
          kind: 'worker',
          type: 'worker-heartbeat',
          hostname,
          timestamp: t,
          utcoffset: 0,
          pid: 100,
          clock: 1,
          freq: 2,
          active: 0,
          processed: 0,
          loadavg: [0, 0, 0],
          swIdent: 'py-celery',
          swVer: '5.2.6',
          swSys: 'Linux',
        },
      ],
      malformed: 0,
      bytes: 0,
    });
    for (let i = 2; i <= 21; i++) screen.store.dispatch(heartbeat(`w${String(i).padStart(2, '0')}@vm`));
    await screen.advance(1000);
    await screen.press('list.down');
    await screen.press('queue.consume');
    expect(screen.lastFrame()).toContain("Start consuming queue 'parked' on the worker you pick");
    expect(screen.lastFrame()).toMatch(/> w02@vm/);
    for (let i = 0; i < 3; i++) await screen.press('confirm.choice-down');
    expect(screen.lastFrame()).toMatch(/> w05@vm/);
    expect(screen.lastFrame()).toContain('(4 of 21, up/down)');
    expect(screen.lastFrame()).not.toContain('w21@vm');
    await accept();
    await screen.waitForFrame('consumer add: done');
    expect(screen.controls.calls).toEqual([{ method: 'addConsumer', args: ['parked', ['w05@vm']] }]);
  });

  it('cancels the consumer of a queue on one of its workers', async () => {
    await open('queues');
    await screen.press('queue.cancel-consumer');
    expect(screen.lastFrame()).toContain("Stop consuming queue 'celery' on the worker you pick");
    await accept();
    await screen.waitForFrame('consumer cancel: done');
    expect(screen.controls.calls).toEqual([{ method: 'cancelConsumer', args: ['celery', ['w1@vm']] }]);
  });
});

describe('message keys in the queue view', () => {
  it('deletes exactly the selected waiting message', async () => {
    await openQueue('celery');
    await screen.press('message.delete');
    expect(screen.lastFrame()).toContain('delete msg: select a waiting message');
    await selectLine('#1 p0 app.add');
    await screen.press('message.delete');
    expect(screen.lastFrame()).toContain(
      "Delete the waiting message of task q-2 (app.add) from queue 'celery'.",
    );
    expect(screen.lastFrame()).toContain('This cannot be undone.');
    await accept();
    await screen.waitForFrame('message delete: done');
    expect(screen.controls.calls).toEqual([{ method: 'deleteMessage', args: ['celery', 'q-2'] }]);
  });

  it('moves the selected message to a queue typed in the prompt', async () => {
    await openQueue('celery');
    await selectLine('#0 p0 app.add');
    await screen.press('message.move');
    expect(screen.lastFrame()).toContain('Move task q-1');
    await screen.press('input.submit');
    expect(screen.lastFrame()).toContain('error: type a queue name (no spaces)');
    await screen.type('celery');
    await screen.press('input.submit');
    expect(screen.lastFrame()).toContain("error: the message is already in 'celery'");
    for (let i = 0; i < 6; i++) await screen.press('input.erase');
    await screen.type('parked');
    expect(screen.lastFrame()).toContain('to queue: parked█');
    await screen.press('input.submit');
    expect(screen.lastFrame()).toContain("from queue 'celery' to queue 'parked', keeping its priority.");
    await accept();
    await screen.waitForFrame('message move: done');
    expect(screen.controls.calls).toEqual([{ method: 'moveMessage', args: ['celery', 'q-1', 'parked'] }]);
  });

  it('shows the message keys in the footer of the queue view only', async () => {
    await openQueue('celery');
    expect(screen.lastFrame()).toMatch(/\/ search\s+X purge\s+d delete msg\s+m move msg/);
    await screen.press('app.back');
    expect(screen.lastFrame()).not.toContain('delete msg');
  });
});

describe('worker keys', () => {
  it('autoscale asks for MAX MIN, checks it, then confirms', async () => {
    await open('workers');
    await screen.press('worker.autoscale');
    expect(screen.lastFrame()).toContain('Autoscale worker w1@vm');
    await screen.type('3 10');
    await screen.press('input.submit');
    expect(screen.lastFrame()).toContain('error: type MAX MIN as whole numbers, MAX >= MIN >= 0');
    await screen.press('input.cancel');
    expect(screen.lastFrame()).toContain('cancelled');
    await screen.press('worker.autoscale');
    await screen.type('10 3');
    await screen.press('input.submit');
    expect(screen.lastFrame()).toContain('Set the autoscale range of worker w1@vm to max 10, min 3');
    await accept();
    await screen.waitForFrame('autoscale: done');
    expect(screen.controls.calls).toEqual([{ method: 'autoscale', args: ['w1@vm', 10, 3] }]);
  });

  it('adds a consumer for a typed queue, and cancels one picked from its queues', async () => {
    await open('workers');
    await screen.press('worker.consume');
    await screen.type('parked');
    await screen.press('input.submit');
    expect(screen.lastFrame()).toContain("Start consuming queue 'parked' on worker w1@vm");
    await accept();
    await screen.waitForFrame('consumer add: done');
    await screen.press('worker.cancel-consumer');
    expect(screen.lastFrame()).toContain('Stop consuming the queue you pick on worker w1@vm');
    expect(screen.lastFrame()).toMatch(/> celery/);
    await accept();
    await screen.waitForFrame('consumer cancel: done');
    expect(screen.controls.calls).toEqual([
      { method: 'addConsumer', args: ['parked', ['w1@vm']] },
      { method: 'cancelConsumer', args: ['celery', ['w1@vm']] },
    ]);
  });

  it('warm shutdown needs the worker name typed as well as the button', async () => {
    await open('workers');
    await screen.press('worker.shutdown');
    expect(screen.lastFrame()).toContain('Warm shutdown of worker w1@vm');
    expect(screen.lastFrame()).toContain("Type 'w1@vm' to confirm");
    await accept();
    expect(screen.lastFrame()).toContain("type 'w1@vm' to confirm");
    expect(screen.controls.calls).toEqual([]);
    await screen.type('w1@vm');
    await screen.press('confirm.accept');
    await screen.waitForFrame('shutdown: done');
    expect(screen.controls.calls).toEqual([{ method: 'shutdown', args: ['w1@vm'] }]);
  });
});

describe('task name and events keys', () => {
  it('sets a rate limit from Runtimes and removes it with none', async () => {
    await open('runtimes');
    await screen.press('task.rate-limit');
    expect(screen.lastFrame()).toContain('Rate limit of app.add');
    await screen.type('10/minute');
    await screen.press('input.submit');
    expect(screen.lastFrame()).toContain('error: type a rate like 10/m');
    for (let i = 0; i < 5; i++) await screen.press('input.erase');
    await screen.press('input.submit');
    expect(screen.lastFrame()).toContain('Limit task app.add to 10/m on every worker');
    await accept();
    await screen.waitForFrame('rate-limit: done');
    await screen.press('task.rate-limit');
    await screen.type('none');
    await screen.press('input.submit');
    expect(screen.lastFrame()).toContain('Remove the rate limit of task app.add on every worker');
    await accept();
    await screen.waitForFrame('rate-limit: done');
    expect(screen.controls.calls).toEqual([
      { method: 'rateLimit', args: ['app.add', '10/m'] },
      { method: 'rateLimit', args: ['app.add', null] },
    ]);
  });

  it('sets time limits for the selected task’s name from Tasks', async () => {
    await open('tasks');
    await screen.press('task.time-limit');
    expect(screen.lastFrame()).toContain('Time limits of app.sleepy');
    await screen.type('none 60');
    await screen.press('input.submit');
    expect(screen.lastFrame()).toContain('soft none, hard 60 s');
    await accept();
    await screen.waitForFrame('time-limit: done');
    expect(screen.controls.calls).toEqual([{ method: 'timeLimit', args: ['app.sleepy', null, 60] }]);
  });

  it('turns task events off after a confirmation', async () => {
    await open('queues');
    await screen.press('events.disable');
    expect(screen.lastFrame()).toContain('Send disable_events to every worker');
    await accept();
    await screen.waitForFrame('events off: done');
    expect(screen.controls.calls).toEqual([{ method: 'setEvents', args: [false] }]);
  });
});

describe('read-only', () => {
  it('hides every control key from footer and help, and says why on press', async () => {
    screen = await renderScreen({
      columns: 120,
      rows: 60,
      controls: fakeControls(false),
      initial: { ...initialUi, details: [{ kind: 'queue', name: 'celery' }] },
    });
    expect(screen.lastFrame()).not.toContain('delete msg');
    expect(screen.lastFrame()).toContain('/ search');
    for (const id of ['queue.pause', 'message.delete', 'queue.consume', 'events.disable']) {
      await screen.press(id);
      expect(screen.lastFrame()).toContain(readOnlyModeReason);
    }
    await screen.press('app.help');
    const help = screen.lastFrame();
    expect(help).toContain('Search all waiting messages');
    expect(help).not.toContain('Pause the queue');
    expect(help).not.toContain('Delete the selected waiting message');
    expect(screen.controls.calls).toEqual([]);
  });
});
