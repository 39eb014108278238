/**
 * The pure arithmetic of the table widget: which columns fit a width and how wide each is, and
 * which slice of rows is visible. Kept out of the component so it is tested without Ink.
 */

/** One column of a table. Widths are in terminal cells. */
export interface Column {
  key: string;
  title: string;
  /** Minimum (and, without `grow`, fixed) width. */
  width: number;
  align?: 'left' | 'right';
  /** 1 is essential; columns with larger numbers are dropped first when the width is short. */
  priority: number;
  /** Share of the spare width this column takes; absent: it never grows. */
  grow?: number;
  /** Largest width when growing. */
  max?: number;
  /** Keep the end of an over-long cell (a sparkline's newest samples), not its start. */
  keepEnd?: boolean;
}

/** A column with the width it got. */
export interface PlacedColumn extends Column {
  size: number;
}

/** Cells taken by the selection marker ('> ') in front of every row. */
export const markerWidth = 2;

/**
 * The columns that fit in `width` (most essential first, one space between columns, room for
 * the marker), in their declared order, with spare width shared among growing columns.
 */
export function layoutColumns(columns: Column[], width: number): PlacedColumn[] {
  const available = Math.max(0, width - markerWidth);
  const byPriority = columns.map((column, index) => ({ column, index }));
  byPriority.sort((a, b) => a.column.priority - b.column.priority || a.index - b.index);
  const chosen = new Set<number>();
  let used = 0;
  for (const { column, index } of byPriority) {
    const need = column.width + (chosen.size > 0 ? 1 : 0);
    if (used + need > available) continue;
    chosen.add(index);
    used += need;
  }
  const placed = columns
    .map((column, index) => ({ column, index }))
    .filter(({ index }) => chosen.has(index))
    .map(({ column }) => ({ ...column, size: column.width }));
  let spare = available - used;
  // Share spare width by weight; a column that hits its max hands the rest to the others.
  for (let round = 0; round < 4 && spare > 0; round++) {
    const growing = placed.filter((c) => c.grow && (c.max === undefined || c.size < c.max));
    const weight = growing.reduce((sum, c) => sum + (c.grow ?? 0), 0);
    if (weight === 0) break;
    let given = 0;
    for (const c of growing) {
      let add = Math.floor((spare * (c.grow ?? 0)) / weight);
      if (c.max !== undefined) add = Math.min(add, c.max - c.size);
      c.size += add;
      given += add;
    }
    if (given === 0) {
      const first = growing[0]!;
      first.size += 1;
      given = 1;
    }
    spare -= given;
  }
  return placed;
}

/**
 * The first visible row: the previous first row, moved just enough that `selected` is visible,
 * so the view does not jump while the cursor moves inside it.
 */
export function scrollWindow(previousStart: number, selected: number, height: number, total: number): number {
  if (height <= 0 || total <= height) return 0;
  let start = Math.min(Math.max(0, previousStart), total - height);
  if (selected < start) start = selected;
  if (selected >= start + height) start = selected - height + 1;
  return Math.max(0, start);
}
