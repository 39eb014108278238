/**
 * A compact virtualized table: fixed column widths computed from the available width (less
 * essential columns dropped on narrow terminals), every cell cut to its width with '…', and
 * only the visible rows turned into text. The selected row has a '>' marker as well as inverse
 * video, so it is visible without colour.
 */
import { Box, Text } from 'ink';
import { useMemo, useRef } from 'react';
import { useScreen } from '../hooks/store-context.js';
import { useHitTarget } from '../input/hit-registry.js';
import { type Column, layoutColumns, type PlacedColumn, scrollWindow } from '../present/table-layout.js';
import type { RowModel } from '../present/table-rows.js';
import { fitEnd, fitWidth } from '../present/text-width.js';
import { toneColor } from '../present/theme.js';

/** A table's columns, rows (any shape, turned into cells lazily) and place. */
export interface TableProps<T> {
  columns: Column[];
  rows: T[];
  /** Turns one row into cells; called for visible rows only. */
  toRow: (row: T) => RowModel;
  /** Selected index, -1 for none. */
  selected: number;
  width: number;
  /** Lines including the header line. */
  height: number;
  /** Shown when there are no rows: what to expect and why. */
  empty: string;
}

function cell(column: PlacedColumn, text: string): string {
  return column.keepEnd ? fitEnd(text, column.size) : fitWidth(text, column.size, column.align);
}

const same = (line: number) => line;

/** Draws `height` lines at most: a header and the rows around the selection. */
export function Table<T>(props: TableProps<T>) {
  const { theme } = useScreen();
  const placed = useMemo(() => layoutColumns(props.columns, props.width), [props.columns, props.width]);
  const start = useRef(0);
  const bodyRows = Math.max(0, props.height - 1);
  start.current = scrollWindow(start.current, Math.max(0, props.selected), bodyRows, props.rows.length);
  const header = `  ${placed.map((c) => cell(c, c.title)).join(' ')}`;
  const visible = props.rows.slice(start.current, start.current + bodyRows);
  // Row i of the table is selection index i in every panel that draws one.
  const mark = useHitTarget({
    kind: 'rows',
    start: start.current,
    header: 1,
    count: visible.length,
    indexOf: same,
  });
  return (
    <>
      {mark ? <Box ref={mark} height={0} /> : null}
      <Text bold={!theme.ascii} wrap="truncate-end">
        {header}
      </Text>
      {props.rows.length === 0 && bodyRows > 0 ? (
        <Text color={toneColor(theme, 'dim')} wrap="truncate-end">
          {fitWidth(`  ${props.empty}`, props.width)}
        </Text>
      ) : null}
      {visible.map((row, i) => {
        const model = props.toRow(row);
        const isSelected = start.current + i === props.selected;
        return (
          <Text key={model.key} inverse={isSelected && !theme.ascii} wrap="truncate-end">
            {isSelected ? '> ' : '  '}
            {placed.map((c, j) => (
              <Text key={c.key} color={toneColor(theme, model.tones?.[c.key])}>
                {(j > 0 ? ' ' : '') + cell(c, model.cells[c.key] ?? '')}
              </Text>
            ))}
          </Text>
        );
      })}
    </>
  );
}
