/**
 * Failures grouped by task name and exception type, with counts, first and last seen, and the
 * latest example's traceback under the list. Enter opens the example task; `R` retries a group.
 */
import { Box } from 'ink';
import { useFrame, useScreen } from '../hooks/store-context.js';
import { useCurrentView } from '../hooks/use-current-view.js';
import { failureExampleLines } from '../present/failure-lines.js';
import { failureCells, failureColumns } from '../present/task-rows.js';
import { failuresOf } from '../state/view-data.js';
import { LineList } from '../widgets/LineList.js';
import { Table } from '../widgets/Table.js';
import { PanelTitle } from './PanelTitle.js';

/** The groups and the selected group's example, `height` lines. */
export function FailuresPanel(props: { width: number; height: number; showExample: boolean }) {
  const { frames, hideArgs } = useScreen();
  const frame = useFrame();
  const current = useCurrentView();
  const groups = failuresOf(frames);
  const selected = current.target?.kind === 'failure' ? current.target.group : null;
  const example = props.showExample && selected !== null;
  const tableHeight = example
    ? Math.max(3, Math.min(groups.length + 1, Math.floor((props.height - 1) / 2)))
    : props.height - 1;
  const exampleHeight = Math.max(0, props.height - 1 - tableHeight - 1);
  return (
    <Box flexDirection="column" height={props.height}>
      <PanelTitle
        title="Failures"
        details={`${groups.length} groups by task name and exception`}
        width={props.width}
      />
      <Table
        columns={failureColumns}
        rows={groups}
        toRow={(group) => failureCells(group, frame.now)}
        selected={current.index}
        width={props.width}
        height={tableHeight}
        empty="no failed tasks held"
      />
      {example && selected ? (
        <Box flexDirection="column" marginTop={1}>
          <LineList
            lines={failureExampleLines(selected, props.width, hideArgs)}
            cursor={-1}
            width={props.width}
            height={exampleHeight}
          />
        </Box>
      ) : null}
    </Box>
  );
}
