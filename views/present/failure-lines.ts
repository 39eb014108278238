/**
 * A failure group's example as lines: which task, its exception and its traceback.
 */
import type { FailureGroup } from '../../src/store/select-failures.js';
import { type Line, LineBuilder } from './detail-lines.js';
import { formatClock } from './format.js';

/** Lines for `group`'s latest failure at `width`; the traceback is withheld with `hideArgs`. */
export function failureExampleLines(group: FailureGroup, width: number, hideArgs: boolean): Line[] {
  const b = new LineBuilder(width);
  b.link(`latest    → ${group.exampleId}  at ${formatClock(group.lastSeen)} (Enter opens it)`, {
    kind: 'task',
    id: group.exampleId,
  });
  const more = group.more > 0 ? ` and ${group.more} more` : '';
  b.field(
    'tasks',
    `${group.count} ${group.retrying ? 'waiting to retry' : 'failed'} (${group.ids.length} listed${more})`,
  );
  b.section('Exception').block(group.exampleException ?? '-', 'bad');
  b.section('Traceback');
  if (hideArgs) b.note('  hidden (--hide-args)');
  else b.block(group.exampleTraceback ?? 'no traceback known (events or result meta carry it)', 'bad');
  return b.lines;
}
