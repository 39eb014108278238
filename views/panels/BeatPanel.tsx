/**
 * Beat: periodic tasks, exact from RedBeat's keys or inferred from arrival times, with their
 * schedule in words, last run, next due and the last result; the title says who holds the beat
 * lock. Keys (wired in the keymap by the lead): `8` shows it, `N` runs the selected RedBeat entry
 * now, `D` enables or disables it (commands/control/beat.ts).
 */
import { Box } from 'ink';
import { beatFindings } from '../../src/hints/select/findings-beat.js';
import { selectBeat } from '../../src/store/select-beat.js';
import { useScreen } from '../hooks/store-context.js';
import { beatCells, beatColumns, beatEmpty, beatTitle } from '../present/beat-rows.js';
import { Table } from '../widgets/Table.js';
import { PanelTitle } from './PanelTitle.js';

/** The beat list, `height` lines; `selected` is the highlighted row. */
export function BeatPanel(props: { width: number; height: number; selected?: number }) {
  const { frames, theme } = useScreen();
  const view = frames.memo('beat', (m, now) => selectBeat(m, now));
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
        selected={props.selected ?? 0}
        width={props.width}
        height={props.height - 1}
        empty={beatEmpty}
      />
    </Box>
  );
}
