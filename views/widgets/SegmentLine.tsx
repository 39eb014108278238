/**
 * One screen line made of styled pieces, cut as a whole to the width: the header, tab bar,
 * footer and status line are built this way, so none of them can wrap into a second line.
 */
import { Text } from 'ink';
import { useScreen } from '../hooks/store-context.js';
import type { Segment } from '../present/segment.js';
import { displayWidth, truncate } from '../present/text-width.js';
import { toneColor } from '../present/theme.js';

/** Cut `segments` so their total width is at most `width`; the last one kept ends in '…'. */
export function cutSegments(segments: Segment[], width: number): Segment[] {
  const out: Segment[] = [];
  let room = width;
  for (const segment of segments) {
    if (room <= 0) break;
    const w = displayWidth(segment.text);
    if (w <= room) {
      out.push(segment);
      room -= w;
    } else {
      out.push({ ...segment, text: truncate(segment.text, room) });
      room = 0;
    }
  }
  return out;
}

/** Draws `segments` on one line of at most `width` cells. */
export function SegmentLine(props: { segments: Segment[]; width: number }) {
  const { theme } = useScreen();
  const parts = cutSegments(props.segments, props.width);
  return (
    <Text wrap="truncate-end">
      {parts.length === 0 ? ' ' : null}
      {parts.map((s, i) => (
        <Text
          // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional and never reorder
          key={i}
          color={s.background && theme.color ? 'white' : toneColor(theme, s.tone)}
          backgroundColor={theme.color ? s.background : undefined}
          bold={s.bold === true && !theme.ascii}
          inverse={s.inverse === true && !theme.ascii}
        >
          {s.text}
        </Text>
      ))}
    </Text>
  );
}
