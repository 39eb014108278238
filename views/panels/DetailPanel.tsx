/**
 * The frame of every detail view: a title, then the view's lines with a cursor (Enter follows
 * a line's link), or a message when the subject is not held.
 */
import { Box, Text } from 'ink';
import { useCurrentView } from '../hooks/use-current-view.js';
import { LineList } from '../widgets/LineList.js';
import { PanelTitle } from './PanelTitle.js';

/** Title + cursor list over the current view's lines, `height` lines. */
export function DetailPanel(props: { title: string; missing: string; width: number; height: number }) {
  const current = useCurrentView();
  const position = current.lines
    ? `line ${current.index + 1}/${current.lines.length} · Enter follows → links · Esc back`
    : '';
  return (
    <Box flexDirection="column" height={props.height}>
      <PanelTitle title={props.title} details={position} width={props.width} />
      {current.lines ? (
        <LineList
          lines={current.lines}
          cursor={current.index}
          width={props.width}
          height={props.height - 1}
        />
      ) : (
        <Text wrap="truncate-end">{props.missing}</Text>
      )}
    </Box>
  );
}
