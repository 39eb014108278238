/**
 * The first line of a panel: its name and what the list holds (counts, filter, sort).
 */
import type { Segment } from '../present/segment.js';
import { SegmentLine } from '../widgets/SegmentLine.js';

/** `title` in bold, then `details` dimmed, cut to `width`. */
export function PanelTitle(props: { title: string; details?: string; extra?: Segment[]; width: number }) {
  const segments: Segment[] = [{ text: props.title, bold: true }];
  if (props.details) segments.push({ text: `  ${props.details}`, tone: 'dim' });
  segments.push(...(props.extra ?? []));
  return <SegmentLine segments={segments} width={props.width} />;
}
