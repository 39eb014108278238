/**
 * Screen geometry: the terminal size (followed on resize) cut into header, tab bar, body,
 * status line and footer. One line is left unused at the bottom: an Ink frame as tall as the
 * terminal makes Ink clear the whole screen on every render (ink.js `isFullscreen`), which is
 * the redraw storm a slow SSH link cannot afford.
 */
import { useStdout } from 'ink';
import { useEffect, useState } from 'react';
import { alertText } from '../present/header-parts.js';
import { eventsOf, sourcesOf } from '../state/view-data.js';
import { useFrame, useScreen } from './store-context.js';

/** Width from which a list panel gets a live preview of its selected row beside it. */
export const splitWidth = 160;
/** Smallest usable width; below it the screen says so instead of drawing. */
export const minColumns = 40;
/** Smallest usable height. */
export const minRows = 10;

/** The screen cut into regions, in lines and cells. */
export interface Layout {
  width: number;
  /** Lines drawn: the terminal rows minus one. */
  height: number;
  bodyHeight: number;
  /** True at >= 160 columns: list on the left, preview on the right. */
  split: boolean;
  listWidth: number;
  previewWidth: number;
  tooSmall: boolean;
}

/** Pure geometry for a terminal of `columns` x `rows` and a header of `headerHeight` lines. */
export function computeLayout(columns: number, rows: number, headerHeight: number): Layout {
  const width = Math.max(1, columns);
  const height = Math.max(1, rows - 1);
  const bodyHeight = Math.max(0, height - headerHeight - 3);
  const split = width >= splitWidth;
  const listWidth = split ? Math.floor(width * 0.6) : width;
  return {
    width,
    height,
    bodyHeight,
    split,
    listWidth,
    previewWidth: split ? width - listWidth - 1 : 0,
    tooSmall: columns < minColumns || rows < minRows,
  };
}

/** The terminal size, updated when the terminal is resized (SIGWINCH → stdout 'resize'). */
export function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 }));
  useEffect(() => {
    const onResize = () => setSize({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

/** The layout of the current terminal. */
export function useLayout(): Layout {
  const { columns, rows } = useTerminalSize();
  return computeLayout(columns, rows, useHeaderHeight());
}

/** Lines the header takes: 2, or 3 with an alert. */
export function useHeaderHeight(): number {
  const { frames, controls } = useScreen();
  useFrame();
  return alertText(sourcesOf(frames), eventsOf(frames), controls.canWrite) ? 3 : 2;
}
