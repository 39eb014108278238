/**
 * Hints: per queue, the forecast in words, oldest age, backlog, λ, μ, slots now, slots needed
 * (to drain within the target and for the wait target), slots to add and the confidence; then
 * the findings (severity word and symbol, summary). Under the list the selected row's detail:
 * a queue's slots and notes, a finding's fix and (after Enter) its evidence. `a` applies a queue
 * hint (control-bindings.ts).
 */
import { Box, Text } from 'ink';
import { useScreen, useUi } from '../hooks/store-context.js';
import { useCurrentView } from '../hooks/use-current-view.js';
import {
  findingDetail,
  findingKey,
  findingLine,
  hintCells,
  hintColumns,
  queueHintDetail,
} from '../present/hint-lines.js';
import { fitWidth } from '../present/text-width.js';
import { hintsOf } from '../state/view-data.js';
import { LineList } from '../widgets/LineList.js';
import { Table } from '../widgets/Table.js';
import { PanelTitle } from './PanelTitle.js';

/** The hints list and the selected row's detail, `height` lines. */
export function HintsPanel(props: { width: number; height: number }) {
  const { frames, theme } = useScreen();
  const { ui } = useUi();
  const current = useCurrentView();
  const report = hintsOf(frames);
  const { queues, findings } = report;
  const { width, height } = props;
  const target = current.target;
  const detailRoom = Math.max(0, Math.floor((height - 1) / 3));
  const detail =
    target?.kind === 'queue-hint'
      ? queueHintDetail(target.hint, width)
      : target?.kind === 'finding'
        ? findingDetail(target.finding, width, ui.hintOpen === findingKey(target.finding))
        : [];
  const shownDetail = detail.slice(
    0,
    target?.kind === 'finding' && ui.hintOpen ? Math.max(detailRoom, height - 8) : detailRoom,
  );
  const listRoom = Math.max(0, height - 1 - shownDetail.length);
  // Queues get the room they need but leave at least 3 lines to the findings when there are some.
  const findingsRoom =
    findings.length > 0 ? Math.min(findings.length + 1, Math.max(3, listRoom - queues.length - 1)) : 0;
  const tableHeight = Math.max(2, listRoom - findingsRoom);
  const findingIndex = current.index - queues.length;
  const critical = findings.filter((f) => f.severity === 'critical').length;
  const o = report.options;
  return (
    <Box flexDirection="column" height={height}>
      <PanelTitle
        title="Hints"
        details={`${queues.length} queues · ${findings.length} finding${findings.length === 1 ? '' : 's'} (${critical} critical) · target ${o.targetSec}s, wait ${o.waitTargetSec}s`}
        width={width}
      />
      <Table
        columns={hintColumns}
        rows={queues}
        toRow={(h) => hintCells(h, theme)}
        selected={current.index < queues.length ? current.index : -1}
        width={width}
        height={tableHeight}
        empty="no queues found yet: hints need a queue and a minute of data"
      />
      {findingsRoom > 0 ? (
        <>
          <Text bold={!theme.ascii} wrap="truncate-end">
            {fitWidth(`  FINDINGS`, width)}
          </Text>
          <LineList
            lines={findings.map((f) => findingLine(f, theme))}
            cursor={findingIndex >= 0 ? findingIndex : -1}
            clickIndex={(line) => queues.length + line}
            width={width}
            height={findingsRoom - 1}
          />
        </>
      ) : null}
      <LineList lines={shownDetail} cursor={-1} width={width} height={shownDetail.length} />
    </Box>
  );
}
