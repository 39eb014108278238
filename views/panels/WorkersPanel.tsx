/**
 * Workers: state (word and symbol), pool busy/size, prefetch, processed, inspect counts, load,
 * heartbeat age, queues, Celery version. Enter opens the worker detail.
 */
import { Box } from 'ink';
import { useScreen } from '../hooks/store-context.js';
import { useCurrentView } from '../hooks/use-current-view.js';
import { workerCells, workerColumns } from '../present/table-rows.js';
import { workersOf } from '../state/view-data.js';
import { Table } from '../widgets/Table.js';
import { PanelTitle } from './PanelTitle.js';

/** The workers list, `height` lines. */
export function WorkersPanel(props: { width: number; height: number }) {
  const { frames, theme } = useScreen();
  const current = useCurrentView();
  const rows = workersOf(frames);
  const up = rows.filter((w) => w.state === 'online' || w.state === 'pidbox-only').length;
  return (
    <Box flexDirection="column" height={props.height}>
      <PanelTitle title="Workers" details={`${up} up of ${rows.length} known`} width={props.width} />
      <Table
        columns={workerColumns}
        rows={rows}
        toRow={(row) => workerCells(row, theme)}
        selected={current.index}
        width={props.width}
        height={props.height - 1}
        empty="no workers seen yet (workers announce themselves by heartbeat every 2 s, and in the pidbox)"
      />
    </Box>
  );
}
