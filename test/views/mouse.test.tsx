import { afterEach, describe, expect, it } from 'vitest';
import { initialUi, type PanelId } from '../../views/state/ui-state.js';
import { renderScreen } from './render-screen.js';

// The mouse end to end inside the process: SGR reports written to stdin go through the report
// filter (render.tsx's), are hit-tested against the tab bar, the footer and the places Ink laid
// the lists and buttons out at, and act through the keymap.

type Screen = Awaited<ReturnType<typeof renderScreen>>;
let screen: Screen;

async function open(panel: PanelId, options: Parameters<typeof renderScreen>[0] = {}) {
  screen = await renderScreen({
    columns: 100,
    rows: 24,
    mouse: true,
    ...options,
    initial: { ...initialUi, panel },
  });
  return screen;
}

afterEach(() => screen?.unmount());

/** Line index and column of `text` in the last frame (the first line holding it). */
function at(text: string | RegExp): { x: number; y: number } {
  const lines = screen.lastFrame().split('\n');
  const y = lines.findIndex((line) => (typeof text === 'string' ? line.includes(text) : text.test(line)));
  if (y < 0) throw new Error(`no line with ${String(text)} in:\n${screen.lastFrame()}`);
  const line = lines[y]!;
  const x = typeof text === 'string' ? line.indexOf(text) : line.search(text);
  return { x, y };
}

const selectedLine = () =>
  screen
    .lastFrame()
    .split('\n')
    .find((line) => line.startsWith('> ')) ?? '';

describe('mouse', () => {
  it('a click on a row selects it; a click on the selected row opens it', async () => {
    await open('queues');
    expect(selectedLine()).toContain('celery');
    const row = at(/^ {2}parked /);
    await screen.click(row.x + 4, row.y);
    expect(selectedLine()).toContain('parked');
    expect(screen.lastFrame()).not.toContain('› queue');
    await screen.click(row.x + 4, row.y);
    await screen.waitForFrame('Queue parked');
  });

  it('a click on a tab is the tab key; on a footer hint, its key', async () => {
    await open('queues');
    const tab = at('3 Tasks');
    await screen.click(tab.x + 2, tab.y);
    expect(screen.lastFrame()).toContain('[3 Tasks]');
    const help = at('? help');
    await screen.click(help.x + 3, help.y);
    await screen.waitForFrame('qtop keys');
    expect(screen.lastFrame()).not.toContain('[<');
  });

  it('the wheel moves the cursor three rows a notch, down then up', async () => {
    await open('tasks', { rows: 30 });
    const lines = () => screen.lastFrame().split('\n');
    const first = lines().findIndex((line) => line.startsWith('> '));
    await screen.wheel('down', 10, first);
    expect(lines().findIndex((line) => line.startsWith('> '))).toBe(first + 3);
    await screen.wheel('up', 10, first);
    expect(lines().findIndex((line) => line.startsWith('> '))).toBe(first);
  });

  it("a click on a dialog's buttons: Cancel closes it, the action runs it", async () => {
    await open('queues');
    await screen.press('queue.pause');
    expect(screen.lastFrame()).toContain('> Cancel <');
    const cancel = at('> Cancel <');
    await screen.click(cancel.x + 3, cancel.y);
    await screen.waitForFrame('cancelled');
    expect(screen.controls.calls).toEqual([]);
    await screen.press('queue.pause');
    const buttons = at('> Cancel <');
    const line = screen.lastFrame().split('\n')[buttons.y]!;
    await screen.click(line.indexOf('Pause', buttons.x) + 2, buttons.y);
    await screen.waitForFrame('queue pause: done');
    expect(screen.controls.calls).toEqual([{ method: 'pauseQueue', args: ['celery'] }]);
  });

  it('a click on an overview line with a jump selects it, on a chart line does nothing', async () => {
    await open('overview');
    const before = selectedLine();
    const chart = at(/^ {4}ok /);
    await screen.click(chart.x + 5, chart.y);
    expect(selectedLine()).toBe(before);
    const queue = at(/^ {4}parked /);
    await screen.click(queue.x + 4, queue.y);
    expect(selectedLine()).toContain('parked');
  });

  it('mouse bytes never reach the keys: a click on nothing types nothing', async () => {
    await open('queues');
    const before = screen.lastFrame();
    const empty = screen.lastFrame().split('\n').length - 4;
    await screen.click(50, empty);
    await screen.type('\u001b[<0;3;4m');
    expect(screen.lastFrame()).toBe(before);
  });
});
