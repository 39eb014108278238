/**
 * A task's workflow tree as detail lines: the headline (members, wall time, critical path),
 * then one line per node with tree guides. Every node line names its node (Space folds it) and
 * task lines link to the task (Enter opens its detail), also for members not seen yet.
 */
import { sanitize } from '../../src/output/sanitize.js';
import { familyHeadlineParts, familyRowText, familyTreeRows } from '../../src/store/family-tree-rows.js';
import type { FamilyNode, TaskFamily } from '../../src/store/select-task-family.js';
import type { Line } from './detail-lines.js';
import type { Theme, Tone } from './theme.js';

/** Width at which full task ids fit beside name, state, runtime and worker. */
const fullIdWidth = 140;

function toneOf(n: FamilyNode): Tone {
  if (n.kind === 'group') return 'accent';
  if (!n.seen) return 'dim';
  switch (n.state) {
    case 'SUCCESS':
      return 'ok';
    case 'FAILURE':
    case 'REVOKED':
    case 'REJECTED':
      return 'bad';
    case 'RETRY':
      return 'warn';
    case 'STARTED':
      return 'active';
    default:
      return 'dim';
  }
}

export function familyLines(
  family: TaskFamily,
  collapsed: ReadonlySet<string>,
  theme: Theme,
  width: number,
): Line[] {
  const idChars = width >= fullIdWidth ? 36 : 8;
  const [members, path] = familyHeadlineParts(family);
  const one = `workflow  ${members} · ${path}`;
  const lines: Line[] =
    one.length <= width - 2
      ? [{ text: sanitize(one), heading: true }]
      : [
          { text: sanitize(`workflow  ${members}`), heading: true },
          { text: sanitize(`          ${path}`), heading: true },
        ];
  lines.push({ text: '* critical path  < this task  Space folds  Enter opens a task', tone: 'dim' });
  for (const row of familyTreeRows(family, collapsed, theme.ascii)) {
    const n = row.node;
    lines.push({
      text: sanitize(familyRowText(row, family, idChars)),
      tone: toneOf(n),
      node: n.id,
      ...(n.kind === 'task' ? { link: { kind: 'task', id: n.id } as const } : {}),
    });
  }
  if (family.selfRetried.length > 0)
    lines.push({
      text: `retried itself (its own parent_id): ${family.selfRetried.length} task(s), shown as retries`,
      tone: 'dim',
    });
  return lines;
}
