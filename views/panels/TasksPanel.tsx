/**
 * Tasks: a live stream (latest update first, or sorted) with state, name, worker, queue,
 * runtime, age and args or exception. `/` filters, `s` sorts; the selection follows the task id
 * as the list moves.
 */
import { Box } from 'ink';
import { sanitize } from '../../src/output/sanitize.js';
import { useScreen, useUi } from '../hooks/store-context.js';
import { useCurrentView } from '../hooks/use-current-view.js';
import { formatCount } from '../present/format.js';
import { taskCells, taskColumns } from '../present/task-rows.js';
import { tasksOf } from '../state/view-data.js';
import { Table } from '../widgets/Table.js';
import { PanelTitle } from './PanelTitle.js';

/** The task list, `height` lines. */
export function TasksPanel(props: { width: number; height: number }) {
  const { frames, theme, hideArgs } = useScreen();
  const { ui } = useUi();
  const current = useCurrentView();
  const list = tasksOf(frames, ui);
  const shown =
    list.matched === list.total
      ? `${formatCount(list.total)} held`
      : `${formatCount(list.matched)} of ${formatCount(list.total)} match`;
  const filter = ui.taskFilter ? ` · filter: ${sanitize(ui.taskFilter)}` : '';
  const sort = ` · sort: ${ui.taskSort}${ui.taskReverse ? ' (reversed)' : ''}`;
  const empty = list.filterError
    ? sanitize(list.filterError)
    : ui.taskFilter
      ? 'no task matches the filter (Esc clears it)'
      : 'no tasks yet: they come from task events (workers with -E), queue peeks and the result backend';
  return (
    <Box flexDirection="column" height={props.height}>
      <PanelTitle
        title="Tasks"
        details={`${shown}${list.capped ? ' (list capped)' : ''}${filter}${sort}`}
        width={props.width}
      />
      <Table
        columns={taskColumns}
        rows={list.rows}
        toRow={(row) => taskCells(row, theme, hideArgs)}
        selected={current.index}
        width={props.width}
        height={props.height - 1}
        empty={empty}
      />
    </Box>
  );
}
