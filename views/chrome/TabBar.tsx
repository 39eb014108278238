/**
 * The panel tabs with their number keys, the active one bracketed (and inverse), then the
 * detail views opened over it as a breadcrumb.
 */

import { sanitize } from '../../src/output/sanitize.js';
import { useScreen, useUi } from '../hooks/store-context.js';
import type { Segment } from '../present/segment.js';
import type { DetailView } from '../state/ui-state.js';
import { SegmentLine } from '../widgets/SegmentLine.js';
import { tabParts } from './tab-parts.js';

function crumb(view: DetailView): string {
  if (view.kind === 'task') return `task ${sanitize(view.id.slice(0, 8))}`;
  if (view.kind === 'worker') return `worker ${sanitize(view.hostname)}`;
  if (view.kind === 'family') return `workflow ${sanitize(view.id.slice(0, 8))}`;
  return `queue ${sanitize(view.name)}`;
}

/** One line: `0 Overview  1 Queues [2 Workers] …  › task 8f3c2a1b`. */
export function TabBar(props: { width: number }) {
  const { ui } = useUi();
  const { theme } = useScreen();
  const segments: Segment[] = tabParts(ui.panel, props.width).segments;
  for (const view of ui.details)
    segments.push({ text: ` ${theme.ascii ? '>' : '›'} ${crumb(view)}`, tone: 'active' });
  return <SegmentLine segments={segments} width={props.width} />;
}
