/**
 * Queues: ready (per priority on demand), reserved, in/out rates, oldest message age,
 * consumers and a backlog sparkline. Enter opens the queue with its next messages (peek); the
 * title names the queues this qtop paused.
 */
import { Box } from 'ink';
import { sanitize } from '../../src/output/sanitize.js';
import { useScreen, useUi } from '../hooks/store-context.js';
import { useCurrentView } from '../hooks/use-current-view.js';
import { formatCount } from '../present/format.js';
import { queueCells, queueColumns } from '../present/table-rows.js';
import { queuesOf } from '../state/view-data.js';
import { Sparkline } from '../widgets/Sparkline.js';
import { Table } from '../widgets/Table.js';
import { PanelTitle } from './PanelTitle.js';

/** Sum of the queues' backlog histories, sample by sample (a gap anywhere stays a gap). */
function totalBacklog(histories: (number | null)[][]): (number | null)[] {
  const length = Math.max(0, ...histories.map((h) => h.length));
  return Array.from({ length }, (_, i) => {
    let sum: number | null = 0;
    for (const h of histories) {
      const v = h[h.length - length + i];
      if (v === null) sum = null;
      else if (v !== undefined && sum !== null) sum += v;
    }
    return sum;
  });
}

/** The queues list, `height` lines. */
export function QueuesPanel(props: { width: number; height: number }) {
  const { frames, theme, controls } = useScreen();
  const { ui } = useUi();
  const current = useCurrentView();
  const rows = queuesOf(frames);
  const ready = rows.reduce((sum, q) => sum + q.total, 0);
  // Paused by this qtop (it remembers the workers); Celery itself has no paused state to show.
  const paused = rows.filter((q) => controls.pausedOn(q.name).length > 0).map((q) => sanitize(q.name));
  const pausedNote = paused.length > 0 ? ` · PAUSED ${paused.join(', ')}` : '';
  return (
    <Box flexDirection="column" height={props.height}>
      <Box>
        <PanelTitle
          title="Queues"
          details={`${rows.length} queues · ${formatCount(ready)} ready${pausedNote}  `}
          width={Math.max(0, props.width - 21)}
        />
        <Sparkline values={totalBacklog(rows.map((q) => q.backlogHistory))} width={20} />
      </Box>
      <Table
        columns={queueColumns(ui.byPriority)}
        rows={rows}
        toRow={(row) => queueCells(row, theme)}
        selected={current.index}
        width={props.width}
        height={props.height - 1}
        empty="no queues found yet (queues appear once a task was sent to them: _kombu.binding.* keys)"
      />
    </Box>
  );
}
