/**
 * The value prompt, drawn like the confirmation it leads to: what the value is for, what to
 * type, the field with its cursor (a block at the end, the character under it shown inverse),
 * and why the last Enter was not accepted.
 */
import { Box, Text } from 'ink';
import { sanitize } from '../../src/output/sanitize.js';
import { useScreen } from '../hooks/store-context.js';
import { fitWidth, wordWrap } from '../present/text-width.js';
import { toneColor } from '../present/theme.js';
import { fieldView, type InputState } from '../state/value-input.js';

/** The prompt, drawn in place of the panel. */
export function InputDialog(props: { input: InputState; width: number }) {
  const { theme } = useScreen();
  const input = props.input;
  const inner = Math.max(20, Math.min(props.width, 100) - 4);
  const field = fieldView(input.draft, input.cursor, inner - input.label.length - 2);
  return (
    <Box
      flexDirection="column"
      width={Math.min(props.width, 100)}
      borderStyle={theme.ascii ? 'classic' : 'round'}
      paddingX={1}
    >
      <Text bold color={toneColor(theme, 'accent')} wrap="truncate-end">
        {fitWidth(input.title, inner)}
      </Text>
      {input.lines
        .flatMap((line) => wordWrap(line, inner))
        .map((line, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: wrapped lines are positional
          <Text key={i} wrap="truncate-end">
            {fitWidth(line, inner)}
          </Text>
        ))}
      <Text> </Text>
      <Text bold wrap="truncate-end">
        {`${input.label}: ${sanitize(field.before)}`}
        {field.at === null ? '█' : <Text inverse>{sanitize(field.at)}</Text>}
        {sanitize(field.after)}
      </Text>
      <Text color={toneColor(theme, 'bad')} wrap="truncate-end">
        {fitWidth(input.error === null ? '' : `error: ${input.error}`, inner)}
      </Text>
      <Text color={toneColor(theme, 'dim')} wrap="truncate-end">
        {fitWidth('Enter next · Esc cancel · ←→ Home End move · C-d delete', inner)}
      </Text>
    </Box>
  );
}
