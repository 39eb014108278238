/**
 * A task's workflow family (chain, group, chord) as a tree, from what the store holds: events'
 * and messages' `root_id`/`parent_id`/`group`, result meta `children`/`parent_id`/`group_id`, and
 * the chord body a header member's message names. Members qtop has only heard of (a parent or
 * child id it never saw) are nodes with `seen: false`, never invented details.
 * A self-retried task carries its own id as `parent_id`: that is retry history, not a parent.
 *
 * How Celery leaves a canvas in Redis (checked on 5.2.6 and 5.6.3 with result_extended):
 * - chain: each link's meta lists the next in `children` and the next names it as `parent_id`;
 * - group: every member's meta has `group_id` and nothing else links them (no taskset meta
 *   unless someone calls `GroupResult.save()`);
 * - chord: header members carry the group id; the body is sent by the header member that
 *   finished last and names it as `parent_id`, but that member's `children` does not list it
 *   (5.6 also gives the body the header's group id). So a task whose parent is a group member,
 *   and which that parent does not list among its children, is the chord body of the group.
 *   A chord after a chain link (`a | chord(...)`) instead names the link as the body's
 *   `parent_id`; the link's `children` lists the header group and not the body.
 * Pure; O(tasks held) per call, so it is asked for on demand (one task's family), not per frame
 * of every list.
 */

import { criticalPath } from './family-critical-path.js';
import { chordGroupOf, type Index, indexTasks, push } from './family-index.js';
import type { FamilyEdge, FamilyEdgeKind, FamilyNode, TaskFamily } from './family-types.js';
import type { Model, TaskRecord } from './model.js';
import { finalStates } from './task-merge.js';

export type { FamilyEdge, FamilyEdgeKind, FamilyNode, TaskFamily } from './family-types.js';

/** Most nodes one family holds: a 10,000-member group is shown in part, never walked whole per key. */
export const maxFamily = 2000;

function startOf(r: TaskRecord): number | null {
  return r.startedAt ?? r.receivedAt ?? r.sentAt ?? null;
}

/** Every id linked to `id`, task or group, at most `maxFamily`. */
function reach(
  model: Model,
  index: Index,
  id: string,
): { tasks: Set<string>; groups: Set<string>; capped: boolean } {
  const tasks = new Set<string>();
  const groups = new Set<string>();
  const todo: Array<{ id: string; group: boolean }> = [{ id, group: false }];
  let capped = false;
  const add = (next: string | null | undefined, group = false) => {
    if (next == null || (group ? groups : tasks).has(next)) return;
    if (tasks.size + groups.size >= maxFamily) {
      capped = true;
      return;
    }
    (group ? groups : tasks).add(next);
    todo.push({ id: next, group });
  };
  tasks.add(id);
  while (todo.length > 0) {
    const item = todo.pop()!;
    if (item.group) {
      for (const member of index.byGroup.get(item.id) ?? []) add(member);
      continue;
    }
    const r = model.tasks.get(item.id);
    for (const child of index.byParent.get(item.id) ?? []) add(child);
    for (const member of index.byRoot.get(item.id) ?? []) add(member);
    if (!r) continue;
    if (r.parentId !== r.id) add(r.parentId);
    if (r.rootId !== r.id) add(r.rootId);
    for (const child of r.children) {
      if (child === r.id) continue;
      // `children` of a task that started a group names the group id and then its members.
      if (index.byGroup.has(child)) add(child, true);
      else add(child);
    }
    if (r.groupId !== null) add(r.groupId, true);
    if (r.chordId !== null) add(r.chordId);
  }
  return { tasks, groups, capped };
}

function taskNode(id: string, r: TaskRecord | undefined): FamilyNode {
  return {
    id,
    kind: 'task',
    seen: r !== undefined,
    notSent: false,
    name: r?.name ?? null,
    state: r?.state ?? null,
    worker: r?.worker ?? null,
    queue: r?.queue ?? null,
    runtime: r?.runtime ?? null,
    startedAt: r ? startOf(r) : null,
    finishedAt: r?.finishedAt ?? null,
    retries: r?.retries ?? 0,
    parent: null,
  };
}

/** A chain link not sent yet, and the family member it follows. */
interface PendingLink {
  id: string;
  name: string | null;
  after: string;
}

/**
 * The chain links the messages of `members` still carry, from the queue peeks and the reserved
 * (unacked) sample: each follows the link before it, the first the member whose message holds it.
 */
function pendingLinks(model: Model, members: Set<string>): PendingLink[] {
  const out: PendingLink[] = [];
  const messages = [
    ...[...model.queues.values()].flatMap((q) => q.peek),
    ...model.unacked.entries.flatMap((e) => (e.message ? [e.message] : [])),
  ];
  for (const m of messages) {
    if (m.id === null || !members.has(m.id) || !m.chain) continue;
    let after = m.id;
    for (const link of m.chain) {
      out.push({ id: link.id, name: link.name, after });
      after = link.id;
    }
  }
  return out;
}

/** The family of `id`, or null when the task is not held. */
export function selectTaskFamily(model: Model, id: string): TaskFamily | null {
  const task = model.tasks.get(id);
  if (!task) return null;
  const index = indexTasks(model);
  const reached = reach(model, index, id);
  const { tasks, groups } = reached;
  let capped = reached.capped;
  const pending = pendingLinks(model, tasks);

  const nodes = new Map<string, FamilyNode>();
  for (const tid of tasks) nodes.set(tid, taskNode(tid, model.tasks.get(tid)));
  for (const gid of groups) {
    // A group id that is also a task id cannot happen in Celery; the task wins if it did.
    if (!nodes.has(gid)) nodes.set(gid, { ...taskNode(gid, undefined), kind: 'group', seen: true });
  }
  // Each node gets one tree parent: the strongest claim (chord, group, then child) wins.
  const claims = new Map<string, FamilyEdge>();
  const strength: Record<FamilyEdgeKind, number> = { chord: 3, group: 2, child: 1 };
  const claim = (from: string | null, to: string, kind: FamilyEdgeKind) => {
    if (from === null || from === to || !nodes.has(from) || !nodes.has(to)) return;
    const held = claims.get(to);
    if (!held || strength[kind] > strength[held.kind]) claims.set(to, { from, to, kind });
  };
  const selfRetried: string[] = [];
  for (const tid of tasks) {
    const r = model.tasks.get(tid);
    if (!r) continue;
    if (r.parentId === r.id) selfRetried.push(r.id);
    const chordGroup = chordGroupOf(model, index, r);
    const group = chordGroup === null ? r.groupId : null;
    if (chordGroup !== null) claim(chordGroup, r.id, 'chord');
    else if (group !== null) {
      claim(group, r.id, 'group');
      // A group sent from a task (a chain link before it) hangs from that task.
      if (r.parentId !== null && r.parentId !== r.id) claim(r.parentId, group, 'child');
    } else if (r.parentId !== null && r.parentId !== r.id) claim(r.parentId, r.id, 'child');
    for (const child of r.children) {
      if (child === r.id || !nodes.has(child)) continue;
      const c = model.tasks.get(child);
      claim(r.id, c?.groupId != null && groups.has(c.groupId) ? c.groupId : child, 'child');
    }
  }
  // Chain links still to come hang from the link before them, the weakest claim: anything held wins.
  for (const link of pending) {
    if (!nodes.has(link.id)) {
      if (nodes.size >= maxFamily) {
        capped = true;
        continue;
      }
      const held = model.tasks.get(link.id);
      nodes.set(
        link.id,
        held ? taskNode(link.id, held) : { ...taskNode(link.id, undefined), name: link.name, notSent: true },
      );
    }
    claim(link.after, link.id, 'child');
  }
  // A body only a header message named (not sent yet, or its message not seen) still hangs from its group.
  for (const [body, group] of index.chordOf) if (!model.tasks.has(body)) claim(group, body, 'chord');
  // Claims can only point one way in Celery, but cluster data is not trusted: drop any that would close a cycle.
  const parentOf = (n: string) => claims.get(n)?.from ?? null;
  for (const edge of [...claims.values()]) {
    const seen = new Set<string>([edge.to]);
    for (let at: string | null = edge.from; at !== null; at = parentOf(at)) {
      if (seen.has(at)) {
        claims.delete(edge.to);
        break;
      }
      seen.add(at);
    }
  }
  for (const edge of claims.values()) nodes.get(edge.to)!.parent = edge.from;

  // Groups take their time span from their members.
  const kids = new Map<string, string[]>();
  for (const edge of claims.values()) push(kids, edge.from, edge.to);
  for (const gid of groups) {
    const g = nodes.get(gid);
    if (!g || g.kind !== 'group') continue;
    const members = (kids.get(gid) ?? [])
      .map((m) => nodes.get(m)!)
      .filter((m) => claims.get(m.id)?.kind === 'group');
    const starts = members.flatMap((m) => (m.startedAt === null ? [] : [m.startedAt]));
    const ends = members.flatMap((m) => (m.finishedAt === null ? [] : [m.finishedAt]));
    g.startedAt = starts.length > 0 ? Math.min(...starts) : null;
    g.finishedAt = ends.length > 0 && ends.length === members.length ? Math.max(...ends) : null;
  }

  const order = (a: FamilyNode, b: FamilyNode) =>
    (a.startedAt ?? a.finishedAt ?? Number.POSITIVE_INFINITY) -
      (b.startedAt ?? b.finishedAt ?? Number.POSITIVE_INFINITY) || a.id.localeCompare(b.id);
  const roots = [...nodes.values()].filter((n) => n.parent === null).sort(order);
  // The workflow root first: the task's own root_id when it is a root of the tree.
  const rootHint = task.rootId ?? id;
  roots.sort((a, b) => (a.id === rootHint ? -1 : b.id === rootHint ? 1 : 0));
  const ordered: FamilyNode[] = [];
  const walk = (n: FamilyNode) => {
    ordered.push(n);
    for (const k of (kids.get(n.id) ?? []).map((c) => nodes.get(c)!).sort(order)) walk(k);
  };
  for (const r of roots) walk(r);

  const held = ordered.filter((n) => n.kind === 'task' && n.seen);
  const starts = held.flatMap((n) => (n.startedAt === null ? [] : [n.startedAt]));
  const ends = held.flatMap((n) => (n.finishedAt === null ? [] : [n.finishedAt]));
  const finishedAt = ends.length > 0 ? Math.max(...ends) : null;
  const startCandidates = [
    ...starts,
    ...held.flatMap((n) => (n.startedAt === null && n.finishedAt !== null ? [n.finishedAt] : [])),
  ];
  const startedAt = startCandidates.length > 0 ? Math.min(...startCandidates) : null;
  const finished =
    held.length > 0 &&
    held.every((n) => finalStates.has(n.state ?? '')) &&
    ordered.every((n) => n.kind === 'group' || n.seen);

  return {
    taskId: id,
    rootId: roots[0]?.id ?? id,
    nodes: ordered,
    edges: ordered.flatMap((n) => {
      const e = claims.get(n.id);
      return e ? [e] : [];
    }),
    selfRetried,
    wallSec: startedAt !== null && finishedAt !== null ? Math.max(0, finishedAt - startedAt) : null,
    wallIsLowerBound: held.some((n) => n.startedAt === null),
    startedAt,
    finishedAt,
    finished,
    criticalPath: criticalPath(nodes, kids, claims, held),
    capped,
  };
}
