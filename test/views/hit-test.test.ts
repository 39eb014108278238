import { describe, expect, it } from 'vitest';
import { footerBindings, footerSegments } from '../../views/chrome/Footer.js';
import { tabParts } from '../../views/chrome/tab-parts.js';
import type { Region } from '../../views/input/hit-registry.js';
import { footerSpans, hitTest, type Scene, wheelLines } from '../../views/input/hit-test.js';
import type { MouseEvent } from '../../views/input/sgr-mouse.js';
import { bindingById } from '../../views/keys/keymap.js';
import { panelIds } from '../../views/state/ui-state.js';

const press = (x: number, y: number): MouseEvent => ({ kind: 'press', button: 0, x, y });

function scene(width: number, regions: Region[] = [], modal: string | null = null): Scene {
  return {
    tabY: 2,
    tabs: tabParts('queues', width).spans,
    footerY: 22,
    footer: footerSpans(footerBindings('queues', null, true), false),
    regions,
    modal,
  };
}

describe('hit-testing', () => {
  it.each([
    80, 120, 200,
  ])('every tab at %i columns is its panel key, over the text the tab bar draws', (width) => {
    const { segments } = tabParts('queues', width);
    const line = segments.map((s) => s.text).join('');
    panelIds.forEach((panel, i) => {
      const key = bindingById.get(`panel.${panel}`)!.keys[0]!;
      // The digit of tab i, wherever the tab bar drew it.
      const x = line.indexOf(`${i} `);
      expect(hitTest(press(x, 2), scene(width))).toEqual({ kind: 'key', name: key });
    });
  });

  it('a footer hint is its key; the gap between hints is nothing', () => {
    const text = footerSegments('queues', null, true, false)
      .map((s) => s.text)
      .join('');
    const x = text.indexOf('? help');
    expect(hitTest(press(x + 2, 22), scene(100))).toEqual({ kind: 'key', name: '?' });
    expect(hitTest(press(x - 1, 22), scene(100))).toBeNull();
  });

  it("a row is the line under the click from the list's top and scroll offset", () => {
    const rows: Region = {
      x: 0,
      y: 5,
      width: 60,
      height: 10,
      target: { kind: 'rows', start: 40, header: 1, count: 10, indexOf: (line) => line * 2 },
    };
    expect(hitTest(press(3, 5), scene(100, [rows]))).toEqual({ kind: 'select', index: 80 });
    expect(hitTest(press(3, 9), scene(100, [rows]))).toEqual({ kind: 'select', index: 88 });
    expect(hitTest(press(60, 9), scene(100, [rows]))).toBeNull();
    expect(hitTest(press(3, 15), scene(100, [rows]))).toBeNull();
  });

  it('a line that selects nothing, a release, a right click and a drag do nothing', () => {
    const rows: Region = {
      x: 0,
      y: 5,
      width: 60,
      height: 3,
      target: { kind: 'rows', start: 0, header: 0, count: 3, indexOf: () => null },
    };
    expect(hitTest(press(3, 6), scene(100, [rows]))).toBeNull();
    const tab = scene(100).tabs[3]!.start;
    expect(hitTest({ kind: 'release', button: 0, x: tab, y: 2 }, scene(100))).toBeNull();
    expect(hitTest({ kind: 'press', button: 2, x: tab, y: 2 }, scene(100))).toBeNull();
    expect(hitTest({ kind: 'drag', button: 0, x: tab, y: 2 }, scene(100))).toBeNull();
  });

  it('with a dialog open only its buttons, the footer and the wheel act', () => {
    const button: Region = { x: 2, y: 9, width: 10, height: 1, target: { kind: 'button', which: 'cancel' } };
    const rows: Region = {
      x: 0,
      y: 3,
      width: 60,
      height: 3,
      target: { kind: 'rows', start: 0, header: 0, count: 3, indexOf: (line) => line },
    };
    const open = scene(100, [button, rows], 'confirm');
    expect(hitTest(press(4, 9), open)).toEqual({ kind: 'button', which: 'cancel' });
    expect(hitTest(press(4, 4), open)).toBeNull();
    expect(hitTest(press(open.tabs[2]!.start, 2), open)).toBeNull();
    expect(hitTest({ kind: 'wheel-up', button: null, x: 0, y: 0 }, open)).toEqual({
      kind: 'scroll',
      lines: -wheelLines,
    });
  });
});
