/**
 * The header's context segment: which config profile is on screen, so that after a `:ctx`
 * switch nobody has to read the broker URL to know which cluster the keys now act on.
 */
import { sanitize } from '../../src/output/sanitize.js';
import type { Segment } from './segment.js';

/**
 * `ctx NAME` for profile `context`; none without a profile, or when the label badge already says
 * the same name (a profile `staging` labelled `staging` needs no second mention).
 */
export function contextSegments(context: string | null | undefined, label: string | null): Segment[] {
  if (!context || context.toLowerCase() === label?.toLowerCase()) return [];
  return [{ text: 'ctx ', tone: 'dim' }, { text: sanitize(context), bold: true }, { text: '  ' }];
}
