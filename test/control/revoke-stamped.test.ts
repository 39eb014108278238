import { afterEach, describe, expect, it } from 'vitest';
import { stampRevokeOutcome } from '../../commands/control/revoke.js';
import { parseStampArg, revokeByStampRequest } from '../../src/celery/stamps.js';
import type { JsonObject } from '../../src/celery/types.js';
import { revokeStamped, stampChoices } from '../../src/control/actions/stamps.js';
import type { SelectionFacts, Target } from '../../src/control/selection.js';
import { initialUi } from '../../views/state/ui-state.js';
import { resultMeta, resultsAction } from '../store/task-fixtures.js';
import { renderScreen } from '../views/render-screen.js';

const facts = (target: Target | null): SelectionFacts => ({
  target,
  message: null,
  taskEvents: true,
  workersUp: () => ['w1@vm'],
  consumersOf: () => [],
  workerLoad: () => ({ queues: null, active: null }),
  worker: () => null,
  failedGroups: () => [],
  pausedOn: () => [],
});

const task = (stamps: JsonObject | null): Target => ({
  kind: 'task',
  id: 't-1',
  name: 'app.add',
  state: 'PENDING',
  row: null,
  stamps,
});

describe('revoke by stamp: the pure parts', () => {
  it('parses KEY=VALUE with the value after the first =', () => {
    expect(parseStampArg('batch=b-7')).toEqual({ key: 'batch', value: 'b-7' });
    expect(parseStampArg('k=a=b:c')).toEqual({ key: 'k', value: 'a=b:c' });
    expect(parseStampArg('k=')).toEqual({ key: 'k', value: '' });
    expect(parseStampArg('=v')).toBeNull();
    expect(parseStampArg('novalue')).toBeNull();
  });

  it('keeps a stamp value as read (a number stays a number: Celery compares with ==)', () => {
    expect(revokeByStampRequest([{ key: 'n', value: 5 }]).arguments.headers).toEqual({ n: 5 });
    expect(
      revokeByStampRequest([
        { key: 'k', value: 'a' },
        { key: 'k', value: 'b' },
      ]).arguments,
    ).toEqual({
      headers: { k: ['a', 'b'] },
      terminate: false,
      signal: 'SIGTERM',
    });
  });

  it('offers one choice per stamp and per item of a list stamp, none for an absent one', () => {
    expect(stampChoices({ a: 'x', b: ['y', 'z'], gone: null, n: 3 })).toEqual([
      { key: 'a', value: 'x' },
      { key: 'b', value: 'y' },
      { key: 'b', value: 'z' },
      { key: 'n', value: 3 },
    ]);
    expect(stampChoices(null)).toEqual([]);
  });

  it('the record: guarded on stamps, the dialog lists them, the pick is what is sent', () => {
    expect(revokeStamped.guard!(facts(null))).toBe('no task selected');
    expect(revokeStamped.guard!(facts(task(null)))).toContain('carries no stamps');
    const sel = facts(task({ batch: 'b-7', mon: 'm\x1b[31m1' }));
    expect(revokeStamped.guard!(sel)).toBeNull();
    const start = revokeStamped.start!(sel);
    if (!('params' in start)) throw new Error('expected params');
    const dialog = revokeStamped.dialog(start.params)!;
    // Cluster text is sanitized: no escape sequence reaches the terminal.
    expect(dialog.choices).toEqual(['batch=b-7', expect.stringMatching(/^mon=m.*1$/)]);
    expect(dialog.choices!.join('')).not.toContain('\x1b');
    const picked = revokeStamped.choose!(start.params, 1);
    expect(picked.stamps).toEqual([{ key: 'mon', value: 'm\x1b[31m1' }]);
    expect(revokeStamped.describe(picked)).toBe('stamp mon=m\x1b[31m1');
  });

  const ok = (node: string) => ({ node, status: 'ok' as const, message: 'flagged as revoked' });
  const tooOld = (node: string) => ({
    node,
    status: 'error' as const,
    message: "KeyError('revoke_by_stamped_headers')",
  });

  it('outcome: every worker took it -> done', () => {
    expect(stampRevokeOutcome('revoked X', [ok('a'), ok('b')], {})).toMatchObject({
      ok: true,
      kind: 'done',
      summary: 'revoked X',
      details: { unsupported: [] },
    });
  });

  it('outcome: every worker too old (Celery 5.2) -> refused, nothing revoked, named', () => {
    const out = stampRevokeOutcome('revoked X', [tooOld('a'), tooOld('b')], {});
    expect(out.kind).toBe('refused');
    expect(out.summary).toContain('revoke by stamp needs Celery >= 5.3 workers (a, b answered');
    expect(out.summary).toContain('nothing was revoked');
    expect(out.details).toMatchObject({ unsupported: ['a', 'b'] });
  });

  it('outcome: a mixed cluster -> partial, naming the workers that will still run them', () => {
    const out = stampRevokeOutcome('revoked X', [ok('new'), tooOld('old')], {});
    expect(out.kind).toBe('partial');
    expect(out.summary).toMatch(/^revoked X on 1 of 2 workers; old do not know the command/);
    expect(out.summary).toContain('will run tasks carrying the stamp');
    const silent = stampRevokeOutcome(
      'revoked X',
      [ok('a'), { node: 'b', status: 'no-reply', message: '' }],
      {},
    );
    expect(silent.kind).toBe('partial');
    expect(silent.summary).toContain('did not reply (b)');
    expect(stampRevokeOutcome('revoked X', [], {}).kind).toBe('refused');
  });
});

describe('revoke by stamp on the screen', () => {
  let screen: Awaited<ReturnType<typeof renderScreen>> | undefined;
  afterEach(() => screen?.unmount());

  it('V on a stamped task lists its stamps; the picked one is sent', async () => {
    const id = '99999999-0000-4000-8000-000000000001';
    screen = await renderScreen({
      columns: 120,
      rows: 30,
      initial: { ...initialUi, panel: 'tasks', details: [{ kind: 'task', id }] },
    });
    const extended = { name: 'app.add', args: [], kwargs: {}, worker: null, retries: 0, queue: 'celery' };
    screen.store.dispatch(
      resultsAction(
        screen.clock.now(),
        'get',
        resultMeta(id, 'FAILURE', { extended: { ...extended, stamps: { batch: 'b-7', mon: ['m1', 'm2'] } } }),
      ),
    );
    await screen.advance(1000);
    await screen.waitForFrame('batch=b-7');
    await screen.press('task.revoke-stamped');
    await screen.waitForFrame('Revoke by stamp');
    expect(screen.lastFrame()).toContain('> batch=b-7');
    expect(screen.lastFrame()).toContain('mon=m2');
    await screen.press('confirm.choice-down');
    await screen.press('confirm.choice-down');
    expect(screen.lastFrame()).toContain('> mon=m2');
    await screen.press('confirm.focus');
    await screen.press('confirm.accept');
    await screen.waitForFrame('revoke --stamped');
    expect(screen.controls.calls).toEqual([
      { method: 'revokeStamped', args: [[{ key: 'mon', value: 'm2' }]] },
    ]);
  });
});
