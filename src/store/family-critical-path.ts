/** The critical path of a workflow family: the chain of members whose ends released the next. */
import type { FamilyEdge, FamilyNode, TaskFamily } from './family-types.js';

/**
 * From the member that finished last back to the root: through a group, the member that
 * finished last (for a chord body, the one whose end released it).
 */
export function criticalPath(
  nodes: Map<string, FamilyNode>,
  kids: Map<string, string[]>,
  claims: Map<string, FamilyEdge>,
  held: FamilyNode[],
): TaskFamily['criticalPath'] {
  let last: FamilyNode | null = null;
  for (const n of held)
    if (n.finishedAt !== null && (last === null || n.finishedAt > last.finishedAt!)) last = n;
  if (last === null) return { ids: [], sec: null, secIsLowerBound: false };
  const ids: string[] = [];
  const guard = new Set<string>();
  for (let at: FamilyNode | undefined = last; at && !guard.has(at.id); ) {
    guard.add(at.id);
    if (at.kind === 'group') {
      const members = (kids.get(at.id) ?? [])
        .filter((m) => claims.get(m)?.kind === 'group')
        .map((m) => nodes.get(m)!)
        .filter((m) => m.finishedAt !== null);
      const slowest = members.sort((a, b) => b.finishedAt! - a.finishedAt!)[0];
      if (slowest && !guard.has(slowest.id)) ids.push(slowest.id);
    } else ids.push(at.id);
    at = at.parent === null ? undefined : nodes.get(at.parent);
  }
  ids.reverse();
  const first = nodes.get(ids[0]!)!;
  // Without the first member's start (result metas carry only the finish), the span is a lower bound.
  // A single member with no known start gives no span at all.
  const from = first.startedAt ?? (ids.length > 1 ? first.finishedAt : null);
  return {
    ids,
    sec: from === null ? null : Math.max(0, last.finishedAt! - from),
    secIsLowerBound: first.startedAt === null,
  };
}
