import { describe, expect, it } from 'vitest';
import { type Column, layoutColumns, markerWidth, scrollWindow } from '../../views/present/table-layout.js';
import { queueColumns } from '../../views/present/table-rows.js';
import { taskColumns } from '../../views/present/task-rows.js';

const used = (cols: ReturnType<typeof layoutColumns>) =>
  markerWidth + cols.reduce((sum, c) => sum + c.size, 0) + Math.max(0, cols.length - 1);

describe('layoutColumns', () => {
  it.each([40, 80, 120, 200])('never exceeds %i cells, and fills them when a column can grow', (width) => {
    for (const columns of [taskColumns, queueColumns(false), queueColumns(true)]) {
      const placed = layoutColumns(columns, width);
      expect(used(placed)).toBeLessThanOrEqual(width);
      if (placed.some((c) => c.grow && (c.max === undefined || c.size < c.max)))
        expect(used(placed)).toBe(width);
    }
  });

  it('drops the least essential columns first and keeps the declared order', () => {
    const narrow = layoutColumns(taskColumns, 60).map((c) => c.key);
    expect(narrow).toContain('state');
    expect(narrow).toContain('name');
    expect(narrow).not.toContain('queue');
    const wide = layoutColumns(taskColumns, 200).map((c) => c.key);
    expect(wide).toEqual(taskColumns.map((c) => c.key));
  });

  it('respects max widths and hands the rest to other growing columns', () => {
    const columns: Column[] = [
      { key: 'a', title: 'A', width: 5, priority: 1, grow: 1, max: 8 },
      { key: 'b', title: 'B', width: 5, priority: 1, grow: 1 },
    ];
    const placed = layoutColumns(columns, 40);
    expect(placed[0]!.size).toBe(8);
    expect(used(placed)).toBe(40);
  });
});

describe('scrollWindow', () => {
  it('keeps the selection visible without jumping while it moves inside the window', () => {
    expect(scrollWindow(0, 3, 10, 100)).toBe(0);
    expect(scrollWindow(0, 12, 10, 100)).toBe(3);
    expect(scrollWindow(3, 5, 10, 100)).toBe(3);
    expect(scrollWindow(3, 1, 10, 100)).toBe(1);
    expect(scrollWindow(95, 99, 10, 100)).toBe(90);
    expect(scrollWindow(40, 2, 10, 5)).toBe(0);
  });
});
