/**
 * The panel tabs with their number keys, the active one bracketed (and inverse), then the
 * detail views opened over it as a breadcrumb.
 */

import { sanitize } from '../../src/output/sanitize.js';
import { useScreen, useUi } from '../hooks/store-context.js';
import type { Segment } from '../present/segment.js';
import { type DetailView, panelIds, panelTitles } from '../state/ui-state.js';
import { SegmentLine } from '../widgets/SegmentLine.js';

function crumb(view: DetailView): string {
  if (view.kind === 'task') return `task ${sanitize(view.id.slice(0, 8))}`;
  if (view.kind === 'worker') return `worker ${sanitize(view.hostname)}`;
  return `queue ${sanitize(view.name)}`;
}

/** One line: `0 Overview  1 Queues [2 Workers] …  › task 8f3c2a1b`. */
export function TabBar(props: { width: number }) {
  const { ui } = useUi();
  const { theme } = useScreen();
  const segments: Segment[] = [];
  // Eight tabs padded take 82 cells: at 80 columns they lose their padding rather than a tab.
  const padded = panelIds.reduce((n, panel, i) => n + `${i} ${panelTitles[panel]}`.length + 2, 0);
  const pad = padded <= props.width ? ' ' : '';
  panelIds.forEach((panel, i) => {
    const active = panel === ui.panel;
    const text = `${i} ${panelTitles[panel]}`;
    if (active) segments.push({ text: `[${text}]`, bold: true, inverse: true });
    else segments.push({ text: `${pad}${text}${pad}`, tone: 'dim' });
    if (!pad && i < panelIds.length - 1) segments.push({ text: ' ' });
  });
  for (const view of ui.details)
    segments.push({ text: ` ${theme.ascii ? '>' : '›'} ${crumb(view)}`, tone: 'active' });
  return <SegmentLine segments={segments} width={props.width} />;
}
