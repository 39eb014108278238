/**
 * A toast: the last message (an outcome, a disabled key's reason) for a few seconds, with a
 * word for its level so it reads the same without colour.
 */

import { useScreen, useUi } from '../hooks/store-context.js';
import type { Segment } from '../present/segment.js';
import { flashMs } from '../state/ui-state.js';
import { SegmentLine } from '../widgets/SegmentLine.js';

const levels = { info: ['', 'plain'], ok: ['ok: ', 'ok'], error: ['error: ', 'bad'] } as const;

/** The toast line, or an empty line when there is nothing fresh to say. */
export function Flash(props: { width: number }) {
  const { ui } = useUi();
  const { clock, replay } = useScreen();
  const flash = ui.flash;
  // Compared with the clock, not the frame: a toast raised while paused must still fade. A replay's
  // clock is the recording's, so its toasts are timed in the operator's time (command-context.ts).
  const now = replay ? replay.wallNow() : clock.now();
  if (!flash || now - flash.at > flashMs) return <SegmentLine segments={[]} width={props.width} />;
  const [prefix, tone] = levels[flash.level];
  const segments: Segment[] = [{ text: `${prefix}${flash.text}`, tone, bold: flash.level === 'error' }];
  return <SegmentLine segments={segments} width={props.width} />;
}
