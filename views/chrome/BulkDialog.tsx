/**
 * The bulk dialog (views/state/bulk-flow.ts) drawn in place of the panel: the choice of verb and
 * the typed-count confirmation look like every other confirmation (ConfirmDialog, with the bulk
 * record's own lines: count, sample, what is excluded); the search and the run show their progress
 * and that Esc cancels or stops them.
 */
import { Box, Text } from 'ink';
import { bulkTasks } from '../../src/control/actions/bulk.js';
import { sanitize } from '../../src/output/sanitize.js';
import { useScreen } from '../hooks/store-context.js';
import { fitWidth } from '../present/text-width.js';
import { toneColor } from '../present/theme.js';
import { type BulkFlow, bulkChoices } from '../state/bulk-flow.js';
import type { ConfirmState } from '../state/ui-state.js';
import { ConfirmDialog } from './ConfirmDialog.js';

const request = { id: bulkTasks.id, params: null };

function asConfirm(flow: BulkFlow): ConfirmState | null {
  if (flow.step === 'choose')
    return {
      request,
      title: 'Act on all tasks matching the filter',
      lines: [
        `Filter: ${sanitize(flow.query)}`,
        'Every task it matches, including messages still waiting in queues (a read-only scan finds them).',
        'Pick the action (up/down), Enter to search; nothing is sent before you confirm the count.',
      ],
      confirmLabel: 'Search',
      typeToConfirm: null,
      typed: '',
      focus: 'confirm',
      choices: bulkChoices.map((c) => c.label),
      choice: flow.choice,
    };
  if (flow.step === 'confirm') {
    const dialog = bulkTasks.dialog({ plan: flow.plan })!;
    return { ...dialog, request, typed: flow.typed, focus: flow.focus, choices: null, choice: 0 };
  }
  return null;
}

/** The dialog, at most `height` lines. */
export function BulkDialog(props: { flow: BulkFlow; width: number; height: number }) {
  const { theme } = useScreen();
  const confirm = asConfirm(props.flow);
  if (confirm) return <ConfirmDialog dialog={confirm} width={props.width} height={props.height} />;
  const f = props.flow;
  const inner = Math.max(20, Math.min(props.width, 100) - 4);
  const lines =
    f.step === 'scanning'
      ? [
          `Searching for tasks to ${f.verb} matching ${sanitize(f.query)} (read-only)…`,
          sanitize(f.progress),
          'Esc cancels; nothing has been sent.',
        ]
      : f.step === 'running'
        ? [
            `${f.plan.verb}: ${Math.max(0, f.done)} of ${f.plan.tasks.length} done`,
            f.stopping
              ? 'Stopping after the batch in flight; then what was done and what was not is reported.'
              : 'Esc stops after the batch in flight (what was done and what was not is reported).',
          ]
        : [];
  const title =
    f.step === 'scanning'
      ? 'Finding the matching tasks'
      : `Running: ${f.step === 'running' ? f.plan.verb : ''}`;
  return (
    <Box
      flexDirection="column"
      width={Math.min(props.width, 100)}
      borderStyle={theme.ascii ? 'classic' : 'round'}
      paddingX={1}
    >
      <Text bold color={toneColor(theme, 'warn')} wrap="truncate-end">
        {fitWidth(title, inner)}
      </Text>
      {lines.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the lines are positional
        <Text key={i} wrap="truncate-end">
          {fitWidth(line, inner)}
        </Text>
      ))}
    </Box>
  );
}
