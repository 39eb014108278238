/**
 * A one-line trend of recent samples; a missing sample is a gap, never a zero (format.ts).
 */
import { Text } from 'ink';
import { sparkline } from '../format.js';
import { useScreen } from '../store-context.js';
import { toneColor } from '../theme.js';

/** `values` (oldest first) drawn `width` cells wide. */
export function Sparkline(props: { values: (number | null)[]; width: number }) {
  const { theme } = useScreen();
  return <Text color={toneColor(theme, 'active')}>{sparkline(props.values, props.width, theme.ascii)}</Text>;
}
