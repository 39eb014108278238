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
  if (view.kind === 'family') return `workflow ${sanitize(view.id.slice(0, 8))}`;
  return `queue ${sanitize(view.name)}`;
}

/** A panel's tab title, or its first four letters when tabs must be short. */
function title(panel: (typeof panelIds)[number], short: boolean): string {
  return short ? panelTitles[panel].slice(0, 4) : panelTitles[panel];
}

/** One line: `0 Overview  1 Queues [2 Workers] …  › task 8f3c2a1b`. */
export function TabBar(props: { width: number }) {
  const { ui } = useUi();
  const { theme } = useScreen();
  const segments: Segment[] = [];
  // Wide: padded tabs. Narrower: no padding. At 80 columns nine tabs still do not fit, so the
  // inactive ones shorten to four letters ('4 Runt') rather than the last tabs being cut off.
  const width = (short: boolean, pad: number) =>
    panelIds.reduce((n, panel, i) => n + `${i} ${title(panel, short && panel !== ui.panel)}`.length + pad, 0);
  const pad = width(false, 2) <= props.width ? ' ' : '';
  const short = !pad && width(false, 1) > props.width;
  panelIds.forEach((panel, i) => {
    const active = panel === ui.panel;
    const text = `${i} ${title(panel, short && !active)}`;
    if (active) segments.push({ text: `[${text}]`, bold: true, inverse: true });
    else segments.push({ text: `${pad}${text}${pad}`, tone: 'dim' });
    if (!pad && i < panelIds.length - 1) segments.push({ text: ' ' });
  });
  for (const view of ui.details)
    segments.push({ text: ` ${theme.ascii ? '>' : '›'} ${crumb(view)}`, tone: 'active' });
  return <SegmentLine segments={segments} width={props.width} />;
}
