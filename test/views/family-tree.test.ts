/** The workflow tree view: its lines, folding, and the UI state that opens and folds it. */
import { describe, expect, it } from 'vitest';
import { createModel } from '../../src/store/create-model.js';
import { familyRowText, familyTreeRows } from '../../src/store/family-tree-rows.js';
import type { Model, TaskRecord } from '../../src/store/model.js';
import { selectTaskFamily } from '../../src/store/select-task-family.js';
import { createTaskRecord } from '../../src/store/task-records.js';
import { familyLines } from '../../views/present/family-lines.js';
import { themeFor } from '../../views/present/theme.js';
import { initialUi, listIdOf, topView, uiReducer } from '../../views/state/ui-state.js';

function put(model: Model, id: string, over: Partial<TaskRecord>): void {
  model.tasks.set(
    id,
    Object.assign(createTaskRecord(id, 0), { state: 'SUCCESS', name: 'app.add', worker: 'w1@h', ...over }),
  );
}

// A chord: header h1, h2 (group G), body B sent by h2; h1 also retried itself once.
const model = createModel(0);
put(model, 'h1', { groupId: 'G', startedAt: 10, finishedAt: 11, runtime: 1, parentId: 'h1', retries: 1 });
put(model, 'h2', { groupId: 'G', startedAt: 10, finishedAt: 12, runtime: 2 });
put(model, 'B', { parentId: 'h2', name: 'app.echo\u001b[31m', startedAt: 12, finishedAt: 13, runtime: 1 });
const family = selectTaskFamily(model, 'h1')!;

describe('family tree rows', () => {
  it('draws guides, marks the critical path and this task, and folds a subtree', () => {
    const text = familyTreeRows(family).map((row) => familyRowText(row, family));
    expect(text).toEqual([
      ' chord of 2: 2 SUCCESS G',
      ' ├─ h1  app.add  SUCCESS  1.0s  w1@h retried 1x  <',
      '*├─ h2  app.add  SUCCESS  2.0s  w1@h',
      '*└─ body B  app.echo\u001b[31m  SUCCESS  1.0s  w1@h',
    ]);
    const folded = familyTreeRows(family, new Set(['G']), true);
    expect(folded.map((row) => familyRowText(row, family))).toEqual([' chord of 2: 2 SUCCESS G [+3]']);
    expect(familyTreeRows(family, new Set(), true)[3]!.prefix).toBe('`- ');
  });

  it('as screen lines: sanitized, each naming its node, tasks linking to their detail', () => {
    const lines = familyLines(family, new Set(), themeFor({ TERM: 'xterm-256color', NO_COLOR: '1' }), 200);
    expect(lines[0]!.text).toBe(
      'workflow  3 tasks · finished · wall 3.0s · critical path 2 of 3 tasks, 3.0s',
    );
    const nodes = lines.filter((l) => l.node !== undefined);
    expect(nodes.map((l) => l.node)).toEqual(['G', 'h1', 'h2', 'B']);
    expect(nodes.map((l) => l.link?.kind ?? null)).toEqual([null, 'task', 'task', 'task']);
    expect(lines.every((l) => !l.text.includes('\u001b'))).toBe(true);
    expect(lines.at(-1)!.text).toMatch(/^retried itself/);
    // Narrow: the headline takes two lines.
    const narrow = familyLines(family, new Set(), themeFor({ TERM: 'xterm-256color', NO_COLOR: '1' }), 60);
    expect(narrow[1]!.text.trim()).toBe('critical path 2 of 3 tasks, 3.0s');
  });
});

describe('ui state', () => {
  it('opens the tree as a detail view and folds nodes of the tree on top only', () => {
    const opened = uiReducer(initialUi, {
      type: 'detail/opened',
      view: { kind: 'family', id: 'h1', collapsed: [] },
    });
    expect(listIdOf(topView(opened))).toBe('family:h1');
    const folded = uiReducer(opened, { type: 'family/toggled', node: 'G' });
    expect(topView(folded)).toEqual({ kind: 'family', id: 'h1', collapsed: ['G'] });
    expect(topView(uiReducer(folded, { type: 'family/toggled', node: 'G' }))).toEqual({
      kind: 'family',
      id: 'h1',
      collapsed: [],
    });
    expect(uiReducer(initialUi, { type: 'family/toggled', node: 'G' })).toBe(initialUi);
  });
});
