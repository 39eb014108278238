import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../views/present/text-width.js';
import { themeFor } from '../../views/present/theme.js';
import { initialUi, type PanelId } from '../../views/state/ui-state.js';
import { hostile, ids } from './cluster-fixture.js';
import { linesOf, renderScreen } from './render-screen.js';

// Terminal control characters that must never reach the screen from cluster data.
const raw = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function expectFits(frame: string, columns: number, rows: number) {
  const lines = linesOf(frame);
  expect(lines.length).toBeLessThanOrEqual(rows - 1);
  for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(columns);
}

async function panel(panel: PanelId, columns: number, rows = columns > 100 ? 50 : 24) {
  const screen = await renderScreen({ columns, rows, initial: { ...initialUi, panel }, label: 'prod' });
  const frame = screen.lastFrame();
  screen.unmount();
  expectFits(frame, columns, rows);
  expect(frame).not.toMatch(raw);
  return frame;
}

describe.each([80, 200])('panels at %i columns', (columns) => {
  it('header: label, masked broker, health, events, totals; tabs; footer from the keymap', async () => {
    const frame = await panel('queues', columns);
    expect(frame).toContain('[ PROD ]');
    expect(frame).toContain('redis://:***@redis.example');
    expect(frame).toContain('● connected');
    expect(frame).toContain('events on');
    expect(frame).toContain('workers 1 up');
    expect(frame).toContain('ready 8');
    expect(frame).toContain('[1 Queues]');
    expect(frame).toMatch(/q quit/);
    expect(frame).toMatch(/\? help/);
  });

  it('queues: backlog, consumers, and a queue nobody consumes', async () => {
    const frame = await panel('queues', columns);
    expect(frame).toMatch(/celery\s+2\s/);
    expect(frame).toMatch(/parked\s+6\s/);
    expect(frame).toContain('0w/?');
    expect(frame).toContain('1w/2');
  });

  it('workers: state in words, pool and heartbeat', async () => {
    const frame = await panel('workers', columns);
    expect(frame).toMatch(/w1@vm\s+● online\s+1\/2/);
  });

  it('tasks: states with symbols, names, exceptions, and hostile text made visible', async () => {
    const frame = await panel('tasks', columns);
    for (const text of ['✓ SUCCESS', '✗ FAILURE', '▶ STARTED', '↻ RETRY', 'app.boom', 'ValueError(']) {
      expect(frame).toContain(text);
    }
    expect(frame).toContain('app.echo\\x1b[');
  });

  it('runtimes: percentiles per task name', async () => {
    const frame = await panel('runtimes', columns);
    expect(frame).toMatch(/app\.add\s+1\s/);
    expect(frame).toContain('P50');
    expect(frame).toContain('12ms');
  });

  it('failures: grouped by name and exception, with the example traceback', async () => {
    const frame = await panel('failures', columns);
    expect(frame).toMatch(/1 app\.boom\s+ValueError\s+failed/);
    expect(frame).toMatch(/1 app\.flaky\s+\?\s+retrying/);
    // the latest group is selected, and its example traceback is shown (under or beside the list)
    expect(frame).toContain('Traceback: retry');
  });

  it('command log placeholder says what will be there', async () => {
    expect(await panel('log', columns)).toContain('no commands sent yet');
  });
});

describe('detail views', () => {
  it('task detail: fields, traceback, timeline and origins of a failure', async () => {
    const screen = await renderScreen({
      columns: 80,
      rows: 40,
      initial: { ...initialUi, panel: 'tasks', details: [{ kind: 'task', id: ids.failure }] },
    });
    const frame = screen.lastFrame();
    screen.unmount();
    expectFits(frame, 80, 40);
    for (const text of [
      '✗ FAILURE',
      'app.boom',
      'Traceback',
      'ValueError: kaboom',
      'Timeline',
      'task-failed',
      'origins',
    ]) {
      expect(frame).toContain(text);
    }
  });

  it('task detail: a parent link, and hostile result and args never raw', async () => {
    const child = await renderScreen({
      rows: 40,
      initial: { ...initialUi, details: [{ kind: 'task', id: ids.child }] },
    });
    expect(child.lastFrame()).toContain(`parent     → ${ids.success}`);
    child.unmount();
    const screen = await renderScreen({
      columns: 200,
      rows: 50,
      initial: { ...initialUi, details: [{ kind: 'task', id: ids.hostile }] },
    });
    const frame = screen.lastFrame();
    screen.unmount();
    expect(frame).not.toMatch(raw);
    expect(frame).toContain('\\x1b]52;c;cm0gLXJmIH4=\\x07');
    expect(frame).toContain('\\x1b]8;;https://evil.example/');
    expect(frame).toContain('\\x9b31m');
    expect(frame).toContain('\\u202egnp.exe');
    for (const sequence of Object.values(hostile)) expect(frame).not.toContain(sequence);
  });

  it('--hide-args withholds args, kwargs, result and traceback', async () => {
    const screen = await renderScreen({
      rows: 40,
      hideArgs: true,
      initial: { ...initialUi, details: [{ kind: 'task', id: ids.failure }] },
    });
    const frame = screen.lastFrame();
    screen.unmount();
    expect(frame).toContain('hidden (--hide-args)');
    expect(frame).not.toContain("('kaboom',)");
    expect(frame).not.toContain('line 42');
  });

  it('worker detail: pool, registered counts, and processed per task', async () => {
    const screen = await renderScreen({
      rows: 40,
      initial: { ...initialUi, details: [{ kind: 'worker', hostname: 'w1@vm' }] },
    });
    const frame = screen.lastFrame();
    screen.unmount();
    expect(frame).toContain('1/2 busy, celery.concurrency.prefork:TaskPool');
    expect(frame).toMatch(/40\s+app\.add/);
  });

  it('queue detail: the next messages, decoded', async () => {
    const screen = await renderScreen({
      rows: 40,
      initial: { ...initialUi, details: [{ kind: 'queue', name: 'parked' }] },
    });
    const frame = screen.lastFrame();
    screen.unmount();
    expect(frame).toContain('by priority 0:5 9:1');
    expect(frame).toContain('#0 p0 app.add (1, 1)');
    expect(frame).toContain('consumers  0 workers');
  });

  it('a task that is not held says so', async () => {
    const screen = await renderScreen({ initial: { ...initialUi, details: [{ kind: 'task', id: 'gone' }] } });
    expect(screen.lastFrame()).toContain('task gone is not held');
    screen.unmount();
  });
});

describe('terminal conditions', () => {
  it('NO_COLOR and TERM=dumb turn colour off; dumb terminals get ASCII symbols', () => {
    expect(themeFor({ NO_COLOR: '1' })).toEqual({ color: false, ascii: false });
    expect(themeFor({ TERM: 'dumb' })).toEqual({ color: false, ascii: true });
    expect(themeFor({ TERM: 'xterm-256color' })).toEqual({ color: true, ascii: false });
  });

  it('dumb terminals still say every state in words', async () => {
    const screen = await renderScreen({
      theme: { color: false, ascii: true },
      initial: { ...initialUi, panel: 'tasks' },
    });
    const frame = screen.lastFrame();
    screen.unmount();
    expect(frame).toContain('x FAILURE');
    expect(frame).toContain('+ SUCCESS');
    expect(frame).not.toMatch(/[✓✗▶]/);
  });

  it('redraws on resize: 200x50 to 80x24 keeps header and footer, every line within 80', async () => {
    const screen = await renderScreen({ columns: 200, rows: 50, initial: { ...initialUi, panel: 'tasks' } });
    expect(screen.lastFrame()).toContain('(Enter opens)');
    await screen.resize(80, 24);
    const frame = screen.lastFrame();
    screen.unmount();
    expectFits(frame, 80, 24);
    expect(frame).not.toContain('(Enter opens)');
    expect(frame).toContain('workers 1 up');
    expect(frame).toMatch(/q quit/);
  });

  it('a terminal too small says so instead of drawing garbage', async () => {
    const screen = await renderScreen({ columns: 30, rows: 8 });
    expect(screen.lastFrame()).toContain('qtop needs 40x10');
    screen.unmount();
  });
});
