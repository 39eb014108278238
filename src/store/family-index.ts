/**
 * Where the held tasks point (parent, group, root, the chord body a header message names),
 * indexed once per call, and which group a task is the chord body of: shared by the family tree
 * and the chord list. See select-task-family.ts for how Celery leaves a canvas in Redis.
 */
import type { Model, TaskRecord } from './model.js';

/** Where the held tasks point, indexed once per call. */
export interface Index {
  byParent: Map<string, string[]>;
  byGroup: Map<string, string[]>;
  byRoot: Map<string, string[]>;
  /** Chord body id -> the group of the header member whose message named it. */
  chordOf: Map<string, string>;
}

export function push(map: Map<string, string[]>, key: string, id: string): void {
  const list = map.get(key);
  if (list) list.push(id);
  else map.set(key, [id]);
}

export function indexTasks(model: Model): Index {
  const index: Index = { byParent: new Map(), byGroup: new Map(), byRoot: new Map(), chordOf: new Map() };
  for (const r of model.tasks.values()) {
    if (r.parentId !== null && r.parentId !== r.id) push(index.byParent, r.parentId, r.id);
    if (r.groupId !== null) push(index.byGroup, r.groupId, r.id);
    if (r.rootId !== null && r.rootId !== r.id) push(index.byRoot, r.rootId, r.id);
    if (r.chordId !== null && r.groupId !== null) index.chordOf.set(r.chordId, r.groupId);
  }
  return index;
}

/** The group `t` is the chord body of, or null (see the module comment). */
export function chordGroupOf(model: Model, index: Index, t: TaskRecord): string | null {
  const named = index.chordOf.get(t.id);
  if (named !== undefined) return named;
  if (t.parentId === null || t.parentId === t.id) return null;
  const p = model.tasks.get(t.parentId);
  if (!p || p.children.includes(t.id)) return null;
  // Sent by the header member that finished last…
  if (p.groupId !== null) return t.groupId === null || t.groupId === p.groupId ? p.groupId : null;
  // …or, for a chord that follows a chain link, by that link, whose `children` lists the header group.
  for (const child of p.children)
    if (index.byGroup.has(child) && (t.groupId === null || t.groupId === child)) return child;
  return null;
}
