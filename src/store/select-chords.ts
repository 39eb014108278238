/** The chords the store can name (for the stuck-chord finding). Pure; O(tasks held). */
import { chordGroupOf, indexTasks } from './family-index.js';
import type { Model, TaskRecord } from './model.js';

/** A chord as the store shows it: its header group, the members held, and the body (held or only named). */
export interface HeldChord {
  groupId: string;
  header: TaskRecord[];
  bodyId: string;
  body: TaskRecord | null;
}

/** Every chord whose body qtop can name, from the held tasks; O(tasks held). */
export function selectChords(model: Model): HeldChord[] {
  const index = indexTasks(model);
  const bodies = new Map<string, string>();
  for (const [body, group] of index.chordOf) bodies.set(body, group);
  for (const r of model.tasks.values()) {
    if (r.parentId === null || r.parentId === r.id || bodies.has(r.id)) continue;
    const group = chordGroupOf(model, index, r);
    if (group !== null) bodies.set(r.id, group);
  }
  return [...bodies].map(([bodyId, groupId]) => ({
    groupId,
    bodyId,
    body: model.tasks.get(bodyId) ?? null,
    header: (index.byGroup.get(groupId) ?? []).filter((m) => m !== bodyId).map((m) => model.tasks.get(m)!),
  }));
}
