/**
 * A task family as indented rows with tree guides, for `qtop task ID` and the screen's family
 * view (both draw the same tree). Pure; collapsed nodes keep their row and hide their subtree.
 */
import type { FamilyEdgeKind, FamilyNode, TaskFamily } from './select-task-family.js';

export interface FamilyRow {
  node: FamilyNode;
  /** Tree guides before the node (`├─ `, `│  `, …), ASCII with `ascii`. */
  prefix: string;
  depth: number;
  /** Kind of the edge from the parent; null for a root. */
  edge: FamilyEdgeKind | null;
  /** Nodes under it (all depths), and whether they are hidden. */
  descendants: number;
  collapsed: boolean;
  onCriticalPath: boolean;
}

/** The rows of `family` in tree order, subtrees of `collapsed` node ids left out. */
export function familyTreeRows(
  family: TaskFamily,
  collapsed: ReadonlySet<string> = new Set(),
  ascii = false,
): FamilyRow[] {
  const kids = new Map<string, FamilyNode[]>();
  for (const n of family.nodes) {
    if (n.parent === null) continue;
    const list = kids.get(n.parent);
    if (list) list.push(n);
    else kids.set(n.parent, [n]);
  }
  const edgeKind = new Map(family.edges.map((e) => [e.to, e.kind]));
  const critical = new Set(family.criticalPath.ids);
  const count = (id: string): number => (kids.get(id) ?? []).reduce((sum, k) => sum + 1 + count(k.id), 0);
  const [tee, elbow, pipe] = ascii ? ['|- ', '`- ', '|  '] : ['├─ ', '└─ ', '│  '];
  const rows: FamilyRow[] = [];
  const walk = (n: FamilyNode, guides: string, last: boolean, depth: number) => {
    const hidden = collapsed.has(n.id);
    rows.push({
      node: n,
      prefix: depth === 0 ? '' : guides + (last ? elbow : tee),
      depth,
      edge: edgeKind.get(n.id) ?? null,
      descendants: count(n.id),
      collapsed: hidden,
      onCriticalPath: critical.has(n.id),
    });
    if (hidden) return;
    const children = kids.get(n.id) ?? [];
    const next = depth === 0 ? '' : guides + (last ? '   ' : pipe);
    for (const [i, k] of children.entries()) walk(k, next, i === children.length - 1, depth + 1);
  };
  for (const root of family.nodes.filter((n) => n.parent === null)) walk(root, '', true, 0);
  return rows;
}

/** Members of a group node by state (`3 SUCCESS, 1 FAILURE`), from its direct member rows. */
export function groupSummary(family: TaskFamily, groupId: string): string {
  const counts = new Map<string, number>();
  const members = new Set(
    family.edges.filter((e) => e.from === groupId && e.kind === 'group').map((e) => e.to),
  );
  for (const n of family.nodes) {
    if (!members.has(n.id)) continue;
    const state = n.seen ? (n.state ?? '?') : n.notSent ? 'not sent' : 'not seen';
    counts.set(state, (counts.get(state) ?? 0) + 1);
  }
  const parts = [...counts].map(([state, n]) => `${n} ${state}`);
  const body = family.edges.some((e) => e.from === groupId && e.kind === 'chord');
  return `${body ? 'chord' : 'group'} of ${members.size}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`;
}

/** Seconds as `0.042s`, `3.1s`, `2m05s`; `-` when unknown. */
export function familySeconds(sec: number | null): string {
  if (sec === null || !Number.isFinite(sec)) return '-';
  if (sec < 1) return `${sec.toFixed(3)}s`;
  if (sec < 60) return `${sec.toFixed(1)}s`;
  const m = Math.floor(sec / 60);
  return `${m}m${String(Math.round(sec - m * 60)).padStart(2, '0')}s`;
}

/**
 * One row as text: guides, id (cut to `idChars`), then name, state, runtime and worker, or
 * "not seen" for a member qtop only heard of. Cluster text here is not sanitized: callers do.
 */
export function familyRowText(row: FamilyRow, family: TaskFamily, idChars = 36): string {
  const n = row.node;
  const id = n.id.length > idChars ? `${n.id.slice(0, idChars)}…` : n.id;
  const fold = row.collapsed && row.descendants > 0 ? ` [+${row.descendants}]` : '';
  const mark = `${row.onCriticalPath ? '*' : ' '}`;
  const lead = `${mark}${row.prefix}${row.edge === 'chord' ? 'body ' : ''}`;
  if (n.kind === 'group') return `${lead}${groupSummary(family, n.id)} ${id}${fold}`;
  if (n.notSent) return `${lead}${id}  ${n.name ?? '?'}  not sent yet (chain link)${fold}`;
  if (!n.seen) return `${lead}${id} not seen yet${fold}`;
  const retried = family.selfRetried.includes(n.id) || n.retries > 0 ? ` retried ${n.retries}x` : '';
  const parts = [id, n.name ?? '?', n.state ?? '?', familySeconds(n.runtime), n.worker ?? '-'];
  return `${lead}${parts.join('  ')}${retried}${n.id === family.taskId ? '  <' : ''}${fold}`;
}

/** The header: members and wall time, then the critical path (two parts, joined when one line fits). */
export function familyHeadlineParts(family: TaskFamily): [string, string] {
  const tasks = family.nodes.filter((n) => n.kind === 'task');
  const unseen = tasks.filter((n) => !n.seen && !n.notSent).length;
  const notSent = tasks.filter((n) => n.notSent).length;
  const wall = `${family.wallIsLowerBound && family.wallSec !== null ? '>=' : ''}${familySeconds(family.wallSec)}`;
  const path = family.criticalPath;
  const first = [
    `${tasks.length} tasks${unseen > 0 ? ` (${unseen} not seen)` : ''}${notSent > 0 ? ` (${notSent} not sent yet)` : ''}`,
    `${family.finished ? 'finished' : 'not finished'}`,
    `wall ${wall}`,
    ...(family.capped ? ['cut at the member limit'] : []),
  ].join(' · ');
  const span = `${path.secIsLowerBound && path.sec !== null ? '>=' : ''}${familySeconds(path.sec)}`;
  return [first, `critical path ${path.ids.length} of ${tasks.length} tasks, ${span}`];
}

/** The header as one line. */
export function familyHeadline(family: TaskFamily): string {
  return familyHeadlineParts(family).join(' · ');
}
