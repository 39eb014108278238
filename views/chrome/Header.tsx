/**
 * The header: environment label (unmissable), masked broker URL, connection health, events
 * on/off, sample age and the paused indicator; then totals; then an alert line when a source
 * fails or task events are off (with how to turn them on).
 */
import { Box } from 'ink';
import { useFrame, useScreen } from '../hooks/store-context.js';
import { contextSegments } from '../present/context-parts.js';
import {
  alertText,
  eventsSegment,
  healthSegment,
  sampleSegment,
  totalsSegments,
} from '../present/header-parts.js';
import { replaySegments } from '../present/replay-parts.js';
import type { Segment } from '../present/segment.js';
import { eventsOf, sourcesOf, totalsOf } from '../state/view-data.js';
import { SegmentLine } from '../widgets/SegmentLine.js';

/** The header lines, each cut to `width`. */
export function Header(props: { width: number }) {
  const { frames, controls, theme, broker, label, replay, context } = useScreen();
  const frame = useFrame();
  const sources = sourcesOf(frames);
  const events = eventsOf(frames);
  const gap: Segment = { text: '  ' };
  const first: Segment[] = [];
  if (label)
    first.push(
      { text: `[ ${label.toUpperCase()} ]`, background: 'red', bold: true, inverse: !theme.color },
      gap,
    );
  first.push(...contextSegments(context, label));
  if (replay) first.push(...replaySegments(replay.status(), frame.now, theme.ascii), gap);
  if (frame.paused) first.push({ text: ' PAUSED ', tone: 'warn', bold: true, inverse: true }, gap);
  first.push({ text: 'qtop ', bold: true }, { text: broker }, gap, healthSegment(sources, theme.ascii), gap);
  first.push(eventsSegment(events), gap, sampleSegment(sources));
  if (!controls.canWrite) first.push(gap, { text: 'read-only', tone: 'dim' });
  const alert = alertText(sources, events, controls.canWrite);
  return (
    <Box flexDirection="column">
      <SegmentLine segments={first} width={props.width} />
      <SegmentLine segments={totalsSegments(totalsOf(frames))} width={props.width} />
      {alert ? <SegmentLine segments={[{ text: alert.text, tone: alert.tone }]} width={props.width} /> : null}
    </Box>
  );
}
