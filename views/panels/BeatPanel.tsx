/**
 * Beat: periodic tasks, exact from RedBeat's keys or inferred from arrival times, with their
 * schedule in words, last run, next due and the last result; the title says who holds the beat
 * lock. `8` shows it, `N` runs the selected RedBeat entry now, `D` enables or disables it
 * (the records in src/control/actions/beat.ts).
 */
import { Box } from 'ink';
import { beatFindings } from '../../src/hints/select/findings-beat.js';
import { useScreen } from '../hooks/store-context.js';
import { useCurrentView } from '../hooks/use-current-view.js';
import { beatCells, beatColumns, beatEmpty, beatTitle } from '../present/beat-rows.js';
import { beatOf } from '../state/view-data.js';
import { Table } from '../widgets/Table.js';
import { PanelTitle } from './PanelTitle.js';

/** The beat list, `height` lines, the current view's row highlighted. */
export function BeatPanel(props: { width: number; height: number }) {
  const { frames, theme } = useScreen();
  const current = useCurrentView();
  const view = beatOf(frames);
  const findings = frames.memo('beat-findings', (m) => beatFindings(m, view));
  const now = frames.memo('beat-now', (_m, at) => at);
  const title = beatTitle(view, findings);
  return (
    <Box flexDirection="column" height={props.height}>
      <PanelTitle
        title="Beat"
        extra={[{ text: `  ${title.text}`, tone: title.bad ? 'bad' : 'dim' }]}
        width={props.width}
      />
      <Table
        columns={beatColumns}
        rows={view.entries}
        toRow={(row) => beatCells(row, theme, now)}
        selected={current.index}
        width={props.width}
        height={props.height - 1}
        empty={beatEmpty}
      />
    </Box>
  );
}
