/** A task's family from what the store holds: chain edges, groups, chords, unseen members, retry history. */
import { describe, expect, it } from 'vitest';
import { createModel } from '../../src/store/create-model.js';
import type { Model, TaskRecord } from '../../src/store/model.js';
import { selectTaskFamily, type TaskFamily } from '../../src/store/select-task-family.js';
import { createTaskRecord } from '../../src/store/task-records.js';

function put(model: Model, id: string, over: Partial<TaskRecord>): void {
  model.tasks.set(id, Object.assign(createTaskRecord(id, 0), { state: 'SUCCESS', ...over }));
}

const edgesOf = (f: TaskFamily) => f.edges.map((e) => `${e.kind}:${e.from}>${e.to}`).sort();

describe('task family', () => {
  // A chain root -> a -> b, a group g of c1, c2 sent by root, and d named as a child but never seen.
  const model = createModel(0);
  put(model, 'root', { name: 'wf.start', children: ['a', 'd'], startedAt: 100, finishedAt: 101 });
  put(model, 'a', { name: 'wf.a', rootId: 'root', parentId: 'root', startedAt: 101, finishedAt: 103 });
  put(model, 'b', {
    name: 'wf.b',
    rootId: 'root',
    parentId: 'a',
    state: 'FAILURE',
    startedAt: 103,
    finishedAt: 110,
  });
  put(model, 'c1', { rootId: 'root', parentId: 'root', groupId: 'g', startedAt: 101, finishedAt: 102 });
  put(model, 'c2', { rootId: 'root', parentId: 'root', groupId: 'g', state: 'STARTED', startedAt: 101 });
  put(model, 'r', { rootId: 'r', parentId: 'r', name: 'app.flaky', state: 'RETRY', retries: 2 });
  put(model, 'other', { rootId: 'elsewhere' });

  it('is the same from any member', () => {
    const fromRoot = selectTaskFamily(model, 'root')!;
    for (const id of ['b', 'c2', 'a']) {
      const from = selectTaskFamily(model, id)!;
      expect(from.rootId).toBe('root');
      expect(from.nodes.map((n) => n.id)).toEqual(fromRoot.nodes.map((n) => n.id));
      expect(from.edges).toEqual(fromRoot.edges);
    }
  });

  it('holds chain and group edges as a tree, and members never seen as such', () => {
    const f = selectTaskFamily(model, 'a')!;
    expect(edgesOf(f)).toEqual(
      ['child:a>b', 'child:root>a', 'child:root>g', 'child:root>d', 'group:g>c1', 'group:g>c2'].sort(),
    );
    expect(f.nodes.find((n) => n.id === 'd')).toMatchObject({ seen: false, name: null, state: null });
    expect(f.nodes.find((n) => n.id === 'b')).toMatchObject({ seen: true, state: 'FAILURE', name: 'wf.b' });
    expect(f.nodes.find((n) => n.id === 'g')).toMatchObject({ kind: 'group', parent: 'root' });
    expect(f.nodes.some((n) => n.id === 'other')).toBe(false);
    // Depth first from the root, children by start time.
    expect(f.nodes[0]!.id).toBe('root');
    expect(f.finished).toBe(false);
  });

  it('gives the wall time and the critical path to the member that finished last', () => {
    const f = selectTaskFamily(model, 'c1')!;
    expect(f.wallSec).toBe(10);
    expect(f.criticalPath).toEqual({ ids: ['root', 'a', 'b'], sec: 10, secIsLowerBound: false });
  });

  it('a self-retried task is its own retry history, never its own parent', () => {
    const f = selectTaskFamily(model, 'r')!;
    expect(f.selfRetried).toEqual(['r']);
    expect(f.edges).toEqual([]);
    expect(f.nodes.map((n) => [n.id, n.parent, n.retries])).toEqual([['r', null, 2]]);
  });

  it('is null for a task not held', () => {
    expect(selectTaskFamily(model, 'nope')).toBeNull();
  });
});

describe('chords', () => {
  // What Celery leaves in Redis: header members with the group id, the body naming the header
  // member that finished last as parent_id, which does not list it among its children.
  function chord(bodyGroup: string | null): Model {
    const model = createModel(0);
    put(model, 'h1', { groupId: 'G', name: 'app.add', finishedAt: 10 });
    put(model, 'h2', { groupId: 'G', name: 'app.add', finishedAt: 12 });
    put(model, 'B', { parentId: 'h2', groupId: bodyGroup, name: 'app.echo', finishedAt: 13 });
    return model;
  }

  it.each([
    ['5.2 (body has no group)', null],
    ['5.6 (body carries the header group)', 'G'],
  ])('a body hangs from its header group: %s', (_label, bodyGroup) => {
    for (const id of ['h1', 'B']) {
      const f = selectTaskFamily(chord(bodyGroup), id)!;
      expect(edgesOf(f)).toEqual(['chord:G>B', 'group:G>h1', 'group:G>h2']);
      expect(f.rootId).toBe('G');
      expect(f.criticalPath.ids).toEqual(['h2', 'B']);
      expect(f.wallIsLowerBound).toBe(true);
      expect(f.wallSec).toBe(3);
      expect(f.finished).toBe(true);
    }
  });

  it('a task a group member sent and listed in its children is its child, not a chord body', () => {
    const model = chord(null);
    model.tasks.get('h2')!.children = ['B'];
    expect(edgesOf(selectTaskFamily(model, 'h1')!)).toEqual(['child:h2>B', 'group:G>h1', 'group:G>h2']);
  });

  it('a body named by a waiting header message is shown unseen under its group', () => {
    const model = createModel(0);
    put(model, 'h1', { groupId: 'G', chordId: 'B', state: 'PENDING' });
    const f = selectTaskFamily(model, 'h1')!;
    expect(edgesOf(f)).toEqual(['chord:G>B', 'group:G>h1']);
    expect(f.nodes.find((n) => n.id === 'B')).toMatchObject({ seen: false, state: null });
    expect(f.finished).toBe(false);
    expect(f.wallSec).toBeNull();
  });

  it('drops a link that would close a cycle', () => {
    const model = createModel(0);
    put(model, 'x', { parentId: 'y' });
    put(model, 'y', { parentId: 'x' });
    const f = selectTaskFamily(model, 'x')!;
    expect(f.nodes.map((n) => n.id).sort()).toEqual(['x', 'y']);
    expect(f.edges).toHaveLength(1);
  });
});

describe('a chord after a chain link', () => {
  it("hangs the body from the header group the link's children name, not from the link", () => {
    const model = createModel(0);
    put(model, 'a', { children: ['G', 'h1', 'h2'], startedAt: 1, finishedAt: 2 });
    put(model, 'h1', { groupId: 'G', parentId: 'a', startedAt: 2, finishedAt: 3 });
    put(model, 'h2', { groupId: 'G', parentId: 'a', startedAt: 2, finishedAt: 5 });
    put(model, 'B', { parentId: 'a', startedAt: 5, finishedAt: 6 });
    const f = selectTaskFamily(model, 'B')!;
    expect(edgesOf(f)).toEqual(['child:a>G', 'chord:G>B', 'group:G>h1', 'group:G>h2']);
    expect(f.criticalPath).toEqual({ ids: ['a', 'h2', 'B'], sec: 5, secIsLowerBound: false });
  });
});
