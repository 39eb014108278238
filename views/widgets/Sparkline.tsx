/**
 * A one-line trend of recent samples; a missing sample is a gap, never a zero (format.ts).
 */
import { Text } from 'ink';
import { useScreen } from '../hooks/store-context.js';
import { sparkline } from '../present/format.js';
import { toneColor } from '../present/theme.js';

/** `values` (oldest first) drawn `width` cells wide. */
export function Sparkline(props: { values: (number | null)[]; width: number }) {
  const { theme } = useScreen();
  return <Text color={toneColor(theme, 'active')}>{sparkline(props.values, props.width, theme.ascii)}</Text>;
}
