/**
 * The command log: every control command qtop sent this run (what, to whom, outcome), newest
 * first, and the selected entry's per-worker replies, so an operator can paste exactly what
 * happened into an incident channel.
 */
import { Box } from 'ink';
import { sanitize } from '../../src/output/sanitize.js';
import { useScreen, useUi } from '../hooks/store-context.js';
import { useCurrentView } from '../hooks/use-current-view.js';
import type { Line } from '../present/detail-lines.js';
import { formatClock } from '../present/format.js';
import { logCells, logColumns } from '../present/table-rows.js';
import { LineList } from '../widgets/LineList.js';
import { Table } from '../widgets/Table.js';
import { PanelTitle } from './PanelTitle.js';

/** The log table and the selected entry's replies, `height` lines. */
export function CommandLogPanel(props: { width: number; height: number }) {
  const { theme } = useScreen();
  const { ui } = useUi();
  const current = useCurrentView();
  const entries = ui.log.map((entry, i) => ({ entry, i })).reverse();
  const selected = current.target?.kind === 'log' ? current.target.entry : null;
  const tableHeight = Math.max(3, Math.min(entries.length + 1, Math.floor((props.height - 1) / 2)));
  const replies: Line[] = selected
    ? [
        {
          text: `${formatClock(selected.at / 1000)} ${sanitize(selected.command)} ${sanitize(selected.target)}`,
          heading: true,
        },
        { text: sanitize(selected.outcome.summary) },
        ...selected.outcome.replies.map((r) => ({
          text: `  ${sanitize(r.node)}: ${r.status} ${sanitize(r.message)}`,
          tone: r.status === 'ok' ? ('ok' as const) : ('bad' as const),
        })),
        ...(selected.outcome.details
          ? [{ text: `  ${sanitize(JSON.stringify(selected.outcome.details))}` }]
          : []),
      ]
    : [];
  return (
    <Box flexDirection="column" height={props.height}>
      <PanelTitle
        title="Command log"
        details={`${entries.length} commands sent this run`}
        width={props.width}
      />
      <Table
        columns={logColumns}
        rows={entries}
        toRow={({ entry, i }) => logCells(entry, i, theme)}
        selected={current.index}
        width={props.width}
        height={tableHeight}
        empty="no commands sent yet (control keys: r revoke, T terminate, R retry, + - pool, X purge, E events)"
      />
      <LineList
        lines={replies}
        cursor={-1}
        width={props.width}
        height={Math.max(0, props.height - 1 - tableHeight)}
      />
    </Box>
  );
}
