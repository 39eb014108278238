/**
 * The whole screen, one line short of the terminal: header, tab bar, body, status line
 * (prompt, filter or toast) and the footer generated from the keymap.
 */
import { Box, Text } from 'ink';
import { CommandPrompt } from '../chrome/CommandPrompt.js';
import { Flash } from '../chrome/Flash.js';
import { Footer } from '../chrome/Footer.js';
import { Header } from '../chrome/Header.js';
import { TabBar } from '../chrome/TabBar.js';
import { useScreen, useUi } from '../hooks/store-context.js';
import { useCurrentView } from '../hooks/use-current-view.js';
import { minColumns, minRows, useLayout } from '../hooks/use-layout.js';
import { tasksOf } from '../state/view-data.js';
import { Body } from './Body.js';
import { KeyRouter } from './key-router.js';

/** Lays the screen out for the current terminal size. */
export function Screen() {
  const layout = useLayout();
  const { ui } = useUi();
  const { frames } = useScreen();
  const current = useCurrentView();
  const modal = ui.modal?.kind ?? null;
  if (layout.tooSmall) {
    return (
      <Box flexDirection="column">
        <KeyRouter />
        <Text wrap="truncate-end">{`qtop needs ${minColumns}x${minRows} at least`}</Text>
        <Text wrap="truncate-end">q quits</Text>
      </Box>
    );
  }
  const typing = modal === 'filter' || modal === 'prompt';
  return (
    <Box flexDirection="column" width={layout.width} height={layout.height} overflowY="hidden">
      <KeyRouter />
      <Header width={layout.width} />
      <TabBar width={layout.width} />
      <Body layout={layout} scope={current.scope} />
      {typing ? (
        <CommandPrompt width={layout.width} matched={tasksOf(frames, ui).matched} />
      ) : (
        <Flash width={layout.width} />
      )}
      <Footer width={layout.width} scope={current.scope} modal={modal} />
    </Box>
  );
}
