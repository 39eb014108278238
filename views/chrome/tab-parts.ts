/**
 * The tab bar's text, and where each tab is on its line: TabBar draws the segments and a mouse
 * click finds its tab in the same spans, so the two cannot disagree.
 */
import type { TabSpan } from '../input/hit-test.js';
import type { Segment } from '../present/segment.js';
import { displayWidth } from '../present/text-width.js';
import { type PanelId, panelIds, panelTitles } from '../state/ui-state.js';

/** A panel's tab title, or its first four letters when tabs must be short. */
function title(panel: PanelId, short: boolean): string {
  return short ? panelTitles[panel].slice(0, 4) : panelTitles[panel];
}

/** The tabs for `width` columns with `active` bracketed: `0 Overview  1 Queues [2 Workers] …`. */
export function tabParts(active: PanelId, width: number): { segments: Segment[]; spans: TabSpan[] } {
  const segments: Segment[] = [];
  const spans: TabSpan[] = [];
  // Wide: padded tabs. Narrower: no padding. At 80 columns nine tabs still do not fit, so the
  // inactive ones shorten to four letters ('4 Runt') rather than the last tabs being cut off.
  const total = (short: boolean, pad: number) =>
    panelIds.reduce((n, panel, i) => n + `${i} ${title(panel, short && panel !== active)}`.length + pad, 0);
  const pad = total(false, 2) <= width ? ' ' : '';
  const short = !pad && total(false, 1) > width;
  let at = 0;
  panelIds.forEach((panel, i) => {
    const isActive = panel === active;
    const text = `${i} ${title(panel, short && !isActive)}`;
    const segment: Segment = isActive
      ? { text: `[${text}]`, bold: true, inverse: true }
      : { text: `${pad}${text}${pad}`, tone: 'dim' };
    segments.push(segment);
    const cells = displayWidth(segment.text);
    spans.push({ panel, start: at, end: at + cells });
    at += cells;
    if (!pad && i < panelIds.length - 1) {
      segments.push({ text: ' ' });
      at += 1;
    }
  });
  return { segments, spans };
}
