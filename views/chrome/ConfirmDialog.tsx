/**
 * The confirmation dialog: exactly what will happen and to whom, an option list where the
 * action has one (terminate's signal, the worker or queue of a consumer change), a typed-name
 * field for mass actions, and two buttons with Cancel focused until the operator moves.
 */
import { Box, Text } from 'ink';
import { sanitize } from '../../src/output/sanitize.js';
import { useScreen } from '../hooks/store-context.js';
import { useHitTarget } from '../input/hit-registry.js';
import { fitWidth, wordWrap } from '../present/text-width.js';
import { toneColor } from '../present/theme.js';
import type { ConfirmState } from '../state/ui-state.js';

function Button(props: { label: string; focused: boolean; ascii: boolean; which: 'cancel' | 'confirm' }) {
  const mark = useHitTarget({ kind: 'button', which: props.which });
  return (
    <Box ref={mark ?? undefined}>
      <Text inverse={props.focused && !props.ascii} bold={props.focused}>
        {props.focused ? `> ${props.label} <` : `  ${props.label}  `}
      </Text>
    </Box>
  );
}

/** The options that fit in `room` lines, scrolled so the picked one shows, and where they start. */
function visibleChoices(choices: string[], choice: number, room: number): { start: number; shown: string[] } {
  const n = Math.max(1, room);
  const start = Math.max(0, Math.min(choice - Math.floor(n / 2), choices.length - n));
  return { start, shown: choices.slice(start, start + n) };
}

/** The dialog, drawn in place of the panel, at most `height` lines. */
export function ConfirmDialog(props: { dialog: ConfirmState; width: number; height: number }) {
  const { theme } = useScreen();
  const d = props.dialog;
  const inner = Math.max(20, Math.min(props.width, 100) - 4);
  const typedOk = d.typeToConfirm === null || d.typed === d.typeToConfirm;
  const lines = d.lines.flatMap((line) => wordWrap(line, inner));
  // Border 2, title, blank, buttons; the typed field; the rest may list options.
  const room = props.height - 5 - lines.length - (d.typeToConfirm === null ? 0 : 1);
  const choices = d.choices ? visibleChoices(d.choices, d.choice, room) : null;
  const count = d.choices && choices && choices.shown.length < d.choices.length;
  return (
    <Box
      flexDirection="column"
      width={Math.min(props.width, 100)}
      borderStyle={theme.ascii ? 'classic' : 'round'}
      paddingX={1}
    >
      <Text bold color={toneColor(theme, 'warn')} wrap="truncate-end">
        {fitWidth(count ? `${d.title} (${d.choice + 1} of ${d.choices?.length}, up/down)` : d.title, inner)}
      </Text>
      {lines.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: wrapped lines are positional
        <Text key={i} wrap="truncate-end">
          {fitWidth(line, inner)}
        </Text>
      ))}
      {choices?.shown.map((choice, i) => {
        const picked = choices.start + i === d.choice;
        return (
          <Text key={choice} inverse={picked && !theme.ascii} wrap="truncate-end">
            {fitWidth(`${picked ? '> ' : '  '}${choice}`, inner)}
          </Text>
        );
      })}
      {d.typeToConfirm !== null ? (
        <Text wrap="truncate-end">
          {fitWidth(
            `Type '${sanitize(d.typeToConfirm)}' to confirm: ${sanitize(d.typed)}█${typedOk ? (theme.ascii ? '  ok' : '  ✓') : ''}`,
            inner,
          )}
        </Text>
      ) : null}
      <Text> </Text>
      <Box>
        <Button which="cancel" label="Cancel" focused={d.focus === 'cancel'} ascii={theme.ascii} />
        <Text>{'   '}</Text>
        <Button which="confirm" label={d.confirmLabel} focused={d.focus === 'confirm'} ascii={theme.ascii} />
      </Box>
    </Box>
  );
}
