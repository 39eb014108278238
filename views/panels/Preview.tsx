/**
 * On wide terminals (>= 160 columns) the selected row's detail is shown beside the list, live,
 * so an operator can scan tasks and read tracebacks without opening each one.
 */
import { Box } from 'ink';
import { useScreen } from '../hooks/store-context.js';
import { useCurrentView } from '../hooks/use-current-view.js';
import type { Line } from '../present/detail-lines.js';
import { failureExampleLines } from '../present/failure-lines.js';
import { queueLinesOf, taskLinesOf, workerLinesOf } from '../state/view-data.js';
import { LineList } from '../widgets/LineList.js';
import { PanelTitle } from './PanelTitle.js';

/** The preview pane, `height` lines. */
export function Preview(props: { width: number; height: number }) {
  const { frames, theme, hideArgs } = useScreen();
  const target = useCurrentView().target;
  const options = { theme, width: props.width, hideArgs };
  let lines: Line[] | null = null;
  let title = 'Preview';
  if (target?.kind === 'task') {
    lines = taskLinesOf(frames, target.id, options);
    title = 'Task';
  } else if (target?.kind === 'worker') {
    lines = workerLinesOf(frames, target.hostname, options);
    title = 'Worker';
  } else if (target?.kind === 'queue') {
    lines = queueLinesOf(frames, target.name, options);
    title = 'Queue';
  } else if (target?.kind === 'failure') {
    lines = failureExampleLines(target.group, props.width, hideArgs);
    title = 'Latest failure';
  }
  return (
    <Box flexDirection="column" height={props.height} width={props.width}>
      <PanelTitle title={title} details={lines ? '(Enter opens)' : 'nothing selected'} width={props.width} />
      <LineList lines={lines ?? []} cursor={-1} width={props.width} height={props.height - 1} />
    </Box>
  );
}
