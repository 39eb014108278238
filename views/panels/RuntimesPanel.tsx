/**
 * Runtimes per task name: finished count, rate, failures and failure rate, retries,
 * p50/p90/p99/max runtime, queue wait, and a sparkline of finished tasks. Enter lists the
 * name's tasks.
 */
import { Box } from 'ink';
import { useScreen } from '../hooks/store-context.js';
import { useCurrentView } from '../hooks/use-current-view.js';
import { runtimeCells, runtimeColumns } from '../present/task-rows.js';
import { taskNamesOf } from '../state/view-data.js';
import { Table } from '../widgets/Table.js';
import { PanelTitle } from './PanelTitle.js';

/** The per-name table, `height` lines. */
export function RuntimesPanel(props: { width: number; height: number }) {
  const { frames, theme } = useScreen();
  const current = useCurrentView();
  const rows = taskNamesOf(frames);
  return (
    <Box flexDirection="column" height={props.height}>
      <PanelTitle
        title="Runtimes"
        details={`${rows.length} task names · runtime and wait (received→started) percentiles`}
        width={props.width}
      />
      <Table
        columns={runtimeColumns}
        rows={rows}
        toRow={(row) => runtimeCells(row, theme)}
        selected={current.index}
        width={props.width}
        height={props.height - 1}
        empty="no finished tasks yet (runtimes come from task events: workers started with -E)"
      />
    </Box>
  );
}
