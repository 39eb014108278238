/**
 * The body between tab bar and status line: the help overlay, a value prompt or a confirmation
 * when open, else the detail view on top, else the panel, with a live preview beside list
 * panels on wide terminals.
 */
import { Box } from 'ink';
import type { ReactNode } from 'react';
import { BulkDialog } from '../chrome/BulkDialog.js';
import { ConfirmDialog } from '../chrome/ConfirmDialog.js';
import { HelpOverlay } from '../chrome/HelpOverlay.js';
import { InputDialog } from '../chrome/InputDialog.js';
import { useUi } from '../hooks/store-context.js';
import type { Layout } from '../hooks/use-layout.js';
import { BeatPanel } from '../panels/BeatPanel.js';
import { CommandLogPanel } from '../panels/CommandLogPanel.js';
import { FailuresPanel } from '../panels/FailuresPanel.js';
import { FamilyTree } from '../panels/FamilyTree.js';
import { HintsPanel } from '../panels/HintsPanel.js';
import { OverviewPanel } from '../panels/OverviewPanel.js';
import { Preview } from '../panels/Preview.js';
import { QueueDetail } from '../panels/QueueDetail.js';
import { QueuesPanel } from '../panels/QueuesPanel.js';
import { RuntimesPanel } from '../panels/RuntimesPanel.js';
import { TaskDetail } from '../panels/TaskDetail.js';
import { TasksPanel } from '../panels/TasksPanel.js';
import { WorkerDetail } from '../panels/WorkerDetail.js';
import { WorkersPanel } from '../panels/WorkersPanel.js';
import type { Scope } from '../state/current-view.js';
import { type PanelId, topView } from '../state/ui-state.js';

const previewed: PanelId[] = ['queues', 'workers', 'tasks', 'failures'];

function Panel(props: { panel: PanelId; width: number; height: number; split: boolean }) {
  const size = { width: props.width, height: props.height };
  switch (props.panel) {
    case 'overview':
      return <OverviewPanel {...size} />;
    case 'queues':
      return <QueuesPanel {...size} />;
    case 'workers':
      return <WorkersPanel {...size} />;
    case 'tasks':
      return <TasksPanel {...size} />;
    case 'runtimes':
      return <RuntimesPanel {...size} />;
    case 'failures':
      return <FailuresPanel {...size} showExample={!props.split} />;
    case 'log':
      return <CommandLogPanel {...size} />;
    case 'hints':
      return <HintsPanel {...size} />;
    case 'beat':
      return <BeatPanel {...size} />;
  }
}

/** The body, exactly `layout.bodyHeight` lines. */
export function Body(props: { layout: Layout; scope: Scope }) {
  const { ui } = useUi();
  const { width, bodyHeight: height, split } = props.layout;
  const view = topView(ui);
  let content: ReactNode;
  if (ui.modal?.kind === 'help') content = <HelpOverlay width={width} height={height} scope={props.scope} />;
  else if (ui.modal?.kind === 'confirm')
    content = <ConfirmDialog dialog={ui.modal.dialog} width={width} height={height} />;
  else if (ui.modal?.kind === 'bulk')
    content = <BulkDialog flow={ui.modal.flow} width={width} height={height} />;
  else if (ui.modal?.kind === 'input') content = <InputDialog input={ui.modal.input} width={width} />;
  else if (view.kind === 'task') content = <TaskDetail id={view.id} width={width} height={height} />;
  else if (view.kind === 'worker')
    content = <WorkerDetail hostname={view.hostname} width={width} height={height} />;
  else if (view.kind === 'queue') content = <QueueDetail name={view.name} width={width} height={height} />;
  else if (view.kind === 'family') content = <FamilyTree id={view.id} width={width} height={height} />;
  else if (split && previewed.includes(view.panel)) {
    content = (
      <Box>
        <Panel panel={view.panel} width={props.layout.listWidth} height={height} split />
        <Box width={1} />
        <Preview width={props.layout.previewWidth} height={height} />
      </Box>
    );
  } else content = <Panel panel={view.panel} width={width} height={height} split={false} />;
  return (
    <Box flexDirection="column" height={height} overflowY="hidden">
      {content}
    </Box>
  );
}
