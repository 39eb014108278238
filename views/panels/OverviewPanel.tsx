/**
 * The Overview, the first panel: throughput, the queues that matter, workers, the latest
 * failure groups and health findings, laid out by overview-lines.ts to the body's size. The
 * cursor moves over the lines that lead somewhere; Enter goes to that item in its panel.
 */
import { Box } from 'ink';
import { useCurrentView } from '../hooks/use-current-view.js';
import type { Line } from '../present/detail-lines.js';
import { LineList } from '../widgets/LineList.js';

/** The overview, `height` lines. */
export function OverviewPanel(props: { width: number; height: number }) {
  const current = useCurrentView();
  const lines: Line[] = current.lines ?? [];
  // The cursor counts stops (lines with a jump); LineList counts lines.
  let stop = -1;
  let cursor = -1;
  const stops: (number | null)[] = lines.map((line, i) => {
    if (!('jump' in line) || line.jump === undefined) return null;
    stop += 1;
    if (stop === current.index) cursor = i;
    return stop;
  });
  return (
    <Box flexDirection="column" height={props.height}>
      <LineList
        lines={lines}
        cursor={cursor}
        width={props.width}
        height={props.height}
        clickIndex={(line) => stops[line] ?? null}
      />
    </Box>
  );
}
