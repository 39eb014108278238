/**
 * The `:` prompt and the `/` filter line: what is being typed, a block cursor, and what Enter
 * and Esc will do.
 */

import { sanitize } from '../../src/output/sanitize.js';
import { useUi } from '../hooks/store-context.js';
import { SegmentLine } from '../widgets/SegmentLine.js';

/** The input line for the open prompt or filter. */
export function CommandPrompt(props: { width: number; matched?: number }) {
  const { ui } = useUi();
  const modal = ui.modal;
  if (modal?.kind !== 'prompt' && modal?.kind !== 'filter') return null;
  const lead = modal.kind === 'prompt' ? ':' : '/';
  const hint =
    modal.kind === 'prompt'
      ? '   Enter run · Esc cancel · :queues :workers :tasks :task ID :failures :log :q'
      : `   ${props.matched ?? 0} match · Enter keep · Esc undo · state: name: worker: queue:`;
  return (
    <SegmentLine
      segments={[
        { text: lead, bold: true, tone: 'accent' },
        { text: `${sanitize(modal.draft)}█` },
        { text: hint, tone: 'dim' },
      ]}
      width={props.width}
    />
  );
}
