/**
 * The `?` help overlay, drawn in place of the panel: every key of the view underneath,
 * generated from the keymap, scrollable.
 */
import { Box } from 'ink';
import { useScreen, useUi } from '../hooks/store-context.js';
import type { Scope } from '../state/current-view.js';
import { LineList } from '../widgets/LineList.js';
import { helpLines } from './help-lines.js';

/** The overlay, `height` lines tall. */
export function HelpOverlay(props: { width: number; height: number; scope: Scope }) {
  const { controls, theme, replay } = useScreen();
  const { ui } = useUi();
  const lines = helpLines(
    props.scope,
    controls.canWrite,
    controls.readOnlyReason,
    theme.ascii,
    props.width,
    replay !== undefined,
  );
  const scroll =
    ui.modal?.kind === 'help' ? Math.min(ui.modal.scroll, Math.max(0, lines.length - props.height)) : 0;
  return (
    <Box flexDirection="column" height={props.height}>
      <LineList lines={lines.slice(scroll)} cursor={-1} width={props.width} height={props.height} />
    </Box>
  );
}
