import { describe, expect, it } from 'vitest';
import { revoke, revokeFinishedLoss } from '../../src/control/actions/tasks.js';

const id = '1fd839f2-9c3e-4f5e-8a51-2b1f0c7d9e11';
const params = (state: string | null) => ({ taskIds: [id], name: 'app.boom', state });

// The revoke record's dialog: a running or queued task gets the plain confirmation; a finished one the
// second confirmation that names what a forced revoke costs on Celery >= 5.6.2, with "do nothing" first.
describe('revoke dialog', () => {
  it('a queued task: one plain confirmation, no choices, no force', () => {
    const d = revoke.dialog(params('RECEIVED'))!;
    expect(d.title).toBe('Revoke task');
    expect(d.choices).toBeNull();
    expect(revoke.choose?.(params('RECEIVED'), 1)).toEqual(params('RECEIVED'));
  });

  it('a FAILURE task: names the traceback and extended call lost on Celery >= 5.6.2', () => {
    const d = revoke.dialog(params('FAILURE'))!;
    expect(d.title).toBe('Revoke a finished task');
    expect(d.confirmLabel).toBe('Revoke anyway');
    const text = d.lines.join(' ');
    expect(text).toContain('already finished (FAILURE): there is nothing to revoke');
    expect(text).toContain('On Celery >= 5.6.2 its FAILURE result is overwritten with REVOKED');
    expect(text).toContain('traceback and the extended call (args, kwargs) are lost for good');
    expect(d.choices).toEqual(['do nothing', 'revoke anyway']);
  });

  it('a SUCCESS task: says a SUCCESS is kept', () => {
    const text = revoke.dialog(params('SUCCESS'))!.lines.join(' ');
    expect(text).toContain('a SUCCESS is kept');
    expect(text).not.toContain('traceback');
  });

  it('only "revoke anyway" forces; "do nothing" (the default pick) sends a refused revoke', () => {
    expect(revoke.choose?.(params('FAILURE'), 0)).toMatchObject({ force: false });
    expect(revoke.choose?.(params('FAILURE'), 1)).toMatchObject({ force: true });
  });

  it('the loss text the CLI refusal prints names the overwrite and SUCCESS', () => {
    expect(revokeFinishedLoss).toMatch(/^on Celery >= 5\.6\.2 every worker writes REVOKED meta at once/);
    expect(revokeFinishedLoss).toContain('a SUCCESS is never overwritten');
  });

  it('the screen guard only needs a selected task (the dialog handles finished ones)', () => {
    expect(revoke.guard?.({ kind: 'none' } as never)).toBe('no task selected');
  });
});

describe('revoke run', () => {
  it('"do nothing" on a finished task sends nothing; "revoke anyway" sends force', async () => {
    const calls: unknown[] = [];
    const controls = {
      revoke: (...args: unknown[]) => {
        calls.push(args);
        return Promise.resolve({ ok: true, kind: 'done' as const, summary: 'ok', replies: [] });
      },
    } as never;
    const none = await revoke.run(controls, { ...params('FAILURE'), force: false });
    expect(none).toMatchObject({ kind: 'refused', summary: expect.stringContaining('nothing sent') });
    expect(calls).toEqual([]);
    await revoke.run(controls, { ...params('FAILURE'), force: true });
    expect(calls).toEqual([[[id], { force: true }]]);
  });
});
