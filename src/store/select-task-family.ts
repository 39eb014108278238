/**
 * A task's workflow family (chain, group, chord) as a graph, from what the store holds: events'
 * `root_id`/`parent_id`, result meta `children`, and the group id. Members qtop has only heard of
 * (a parent or child id it never saw) are nodes with `seen: false`, never invented details.
 * A self-retried task carries its own id as `parent_id`: that is retry history, not a parent.
 * Pure; O(tasks held) per call, so it is asked for on demand (one task's detail), not per frame.
 * First piece of the family view: headers (group/chord/callbacks/chain) and
 * `celery-taskset-meta-*` are not read yet.
 */
import type { Model, TaskRecord } from './model.js';

export type FamilyEdgeKind = 'child' | 'group';

export interface FamilyNode {
  id: string;
  /** `task` for a task id; `group` for a group id (members hang from it). */
  kind: 'task' | 'group';
  seen: boolean;
  name: string | null;
  state: string | null;
  worker: string | null;
  runtime: number | null;
}

export interface FamilyEdge {
  from: string;
  to: string;
  kind: FamilyEdgeKind;
}

export interface TaskFamily {
  taskId: string;
  rootId: string;
  nodes: FamilyNode[];
  edges: FamilyEdge[];
  /** Ids of members whose `parent_id` is their own id: they retried themselves (retry history). */
  selfRetried: string[];
}

function taskNode(id: string, r: TaskRecord | undefined): FamilyNode {
  return {
    id,
    kind: 'task',
    seen: r !== undefined,
    name: r?.name ?? null,
    state: r?.state ?? null,
    worker: r?.worker ?? null,
    runtime: r?.runtime ?? null,
  };
}

/** The family of `id`, or null when the task is not held. */
export function selectTaskFamily(model: Model, id: string): TaskFamily | null {
  const task = model.tasks.get(id);
  if (!task) return null;
  const rootId = task.rootId ?? id;
  const members = new Map<string, TaskRecord>();
  for (const r of model.tasks.values()) if (r.id === rootId || r.rootId === rootId) members.set(r.id, r);
  members.set(id, task);

  const nodes = new Map<string, FamilyNode>();
  const edges = new Map<string, FamilyEdge>();
  const selfRetried: string[] = [];
  const addTask = (tid: string) => {
    if (!nodes.has(tid)) nodes.set(tid, taskNode(tid, model.tasks.get(tid)));
  };
  const addEdge = (from: string, to: string, kind: FamilyEdgeKind) => {
    if (from !== to) edges.set(`${kind}:${from}>${to}`, { from, to, kind });
  };
  addTask(rootId);
  for (const r of members.values()) {
    addTask(r.id);
    if (r.parentId === r.id) selfRetried.push(r.id);
    else if (r.parentId !== null) {
      addTask(r.parentId);
      addEdge(r.parentId, r.id, 'child');
    }
    for (const child of r.children) {
      if (child === r.id) continue;
      addTask(child);
      addEdge(r.id, child, 'child');
    }
    if (r.groupId !== null) {
      if (!nodes.has(r.groupId))
        nodes.set(r.groupId, { ...taskNode(r.groupId, undefined), kind: 'group', seen: true });
      addEdge(r.groupId, r.id, 'group');
    }
  }
  return { taskId: id, rootId, nodes: [...nodes.values()], edges: [...edges.values()], selfRetried };
}
