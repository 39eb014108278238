/** A task's family from what the store holds: chain edges, group members, unseen members, retry history. */
import { describe, expect, it } from 'vitest';
import { createModel } from '../../src/store/create-model.js';
import type { Model, TaskRecord } from '../../src/store/model.js';
import { selectTaskFamily } from '../../src/store/select-task-family.js';
import { createTaskRecord } from '../../src/store/task-records.js';

function put(model: Model, id: string, over: Partial<TaskRecord>): void {
  model.tasks.set(id, { ...createTaskRecord(id, 0), state: 'SUCCESS', ...over });
}

describe('task family', () => {
  // A chain root -> a -> b, a group g of c1, c2 under root, and d named as a child but never seen.
  const model = createModel(0);
  put(model, 'root', { name: 'wf.start', children: ['a', 'd'] });
  put(model, 'a', { name: 'wf.a', rootId: 'root', parentId: 'root' });
  put(model, 'b', { name: 'wf.b', rootId: 'root', parentId: 'a', state: 'FAILURE' });
  put(model, 'c1', { rootId: 'root', parentId: 'root', groupId: 'g' });
  put(model, 'c2', { rootId: 'root', parentId: 'root', groupId: 'g', state: 'STARTED' });
  put(model, 'r', { rootId: 'r', parentId: 'r', name: 'app.flaky', state: 'RETRY' });
  put(model, 'other', { rootId: 'elsewhere' });

  it('is the same from any member', () => {
    const fromRoot = selectTaskFamily(model, 'root')!;
    const fromLeaf = selectTaskFamily(model, 'b')!;
    expect(fromLeaf.rootId).toBe('root');
    expect(new Set(fromLeaf.nodes.map((n) => n.id))).toEqual(new Set(fromRoot.nodes.map((n) => n.id)));
    expect(fromLeaf.edges).toEqual(fromRoot.edges);
  });

  it('holds chain and group edges, and members never seen as such', () => {
    const f = selectTaskFamily(model, 'a')!;
    const edges = f.edges.map((e) => `${e.kind}:${e.from}>${e.to}`).sort();
    expect(edges).toEqual(
      [
        'child:a>b',
        'child:root>a',
        'child:root>c1',
        'child:root>c2',
        'child:root>d',
        'group:g>c1',
        'group:g>c2',
      ].sort(),
    );
    expect(f.nodes.find((n) => n.id === 'd')).toMatchObject({ seen: false, name: null, state: null });
    expect(f.nodes.find((n) => n.id === 'b')).toMatchObject({ seen: true, state: 'FAILURE', name: 'wf.b' });
    expect(f.nodes.find((n) => n.id === 'g')).toMatchObject({ kind: 'group' });
    expect(f.nodes.some((n) => n.id === 'other')).toBe(false);
  });

  it('a self-retried task is its own retry history, never its own parent', () => {
    const f = selectTaskFamily(model, 'r')!;
    expect(f.selfRetried).toEqual(['r']);
    expect(f.edges).toEqual([]);
    expect(f.nodes.map((n) => n.id)).toEqual(['r']);
  });

  it('is null for a task not held', () => {
    expect(selectTaskFamily(model, 'nope')).toBeNull();
  });
});
