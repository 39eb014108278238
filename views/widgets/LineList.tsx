/**
 * A scrolling list of detail lines (task, worker, queue detail; previews; help). Only the
 * visible lines are drawn; a cursor line (marked '>') shows what Enter would follow.
 */
import { Box, Text } from 'ink';
import { useRef } from 'react';
import { useScreen } from '../hooks/store-context.js';
import { useHitTarget } from '../input/hit-registry.js';
import type { Line } from '../present/detail-lines.js';
import { scrollWindow } from '../present/table-layout.js';
import { fitWidth } from '../present/text-width.js';
import { toneColor } from '../present/theme.js';

/** What LineList draws and where its cursor is. */
export interface LineListProps {
  lines: Line[];
  /** Cursor index, or -1 for a read-only preview without a cursor (it then shows the top). */
  cursor: number;
  width: number;
  height: number;
  /**
   * The selection index a click on line `line` moves to (null: not clickable). Default: the line
   * itself when the list has a cursor; a read-only list takes no clicks.
   */
  clickIndex?: (line: number) => number | null;
}

const same = (line: number) => line;

/** Draws at most `height` lines of `lines`, scrolled to keep the cursor visible. */
export function LineList(props: LineListProps) {
  const { theme } = useScreen();
  const start = useRef(0);
  const hasCursor = props.cursor >= 0;
  start.current = hasCursor ? scrollWindow(start.current, props.cursor, props.height, props.lines.length) : 0;
  const visible = props.lines.slice(start.current, start.current + props.height);
  const indexOf = props.clickIndex ?? (hasCursor ? same : null);
  const mark = useHitTarget(
    indexOf ? { kind: 'rows', start: start.current, header: 0, count: visible.length, indexOf } : null,
  );
  return (
    <>
      {mark && indexOf ? <Box ref={mark} height={0} /> : null}
      {visible.map((line, i) => {
        const index = start.current + i;
        const isCursor = hasCursor && index === props.cursor;
        const marker = hasCursor ? (isCursor ? '> ' : '  ') : '';
        return (
          <Text
            key={index}
            bold={line.heading === true && !theme.ascii}
            inverse={isCursor && !theme.ascii}
            color={toneColor(theme, line.tone)}
            wrap="truncate-end"
          >
            {fitWidth(marker + line.text, props.width)}
          </Text>
        );
      })}
    </>
  );
}
