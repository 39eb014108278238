import { describe, expect, it } from 'vitest';
import type { ContextList, Contexts, ScreenSession, SwitchResult } from '../../src/session/screen-session.js';
import type { ScreenDeps } from '../../views/hooks/store-context.js';
import { parsePrompt, promptCommandLines, promptCommands } from '../../views/keys/context/prompt-commands.js';
import { contextSegments } from '../../views/present/context-parts.js';
import { sessionDeps, switchedUi } from '../../views/screen/context-screen.js';
import { contextListText, listContexts, switchContext } from '../../views/state/context-switch.js';
import { createViewFrames } from '../../views/state/view-frame.js';
import { createFakeClock } from '../helpers/fake-clock.js';
import { clusterStore } from './cluster-fixture.js';
import { fakeControls } from './render-screen.js';

// `:ctx` in the view: parsing, the list line, what the prompt says while and after switching,
// and the dependencies a remount on the new cluster gets.

type Flashed = { text: string; level: string };

function recorder() {
  const flashed: Flashed[] = [];
  return { flashed, flash: (text: string, level = 'info') => flashed.push({ text, level }) };
}

function fakeContexts(list: ContextList, result: SwitchResult): Contexts & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    list: () => list,
    switchTo: async (name) => {
      asked.push(name);
      return result;
    },
  };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe(':ctx parsing', () => {
  it.each([
    ['ctx', { kind: 'contexts' }],
    ['ctx   ', { kind: 'contexts' }],
    ['contexts', { kind: 'contexts' }],
    ['ctx staging', { kind: 'context', name: 'staging' }],
    ['CTX staging', { kind: 'context', name: 'staging' }],
    ['context prod-eu', { kind: 'context', name: 'prod-eu' }],
  ])(':%s', (line, intent) => {
    expect(parsePrompt(line)).toEqual(intent);
  });

  it('is listed for the help overlay, which keeps each command whole within the width', () => {
    expect(promptCommands).toContain(':ctx [PROFILE]');
    const lines = promptCommandLines(78);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(78);
    expect(lines.join('  ')).toBe(promptCommands.join('  '));
  });
});

describe('the :ctx list line', () => {
  it('names every profile and marks the current one', () => {
    const text = contextListText({ names: ['staging', 'prod'], current: 'prod', error: null });
    expect(text).toBe('profiles: staging, prod (current) · :ctx NAME switches');
  });

  it('says why there is no list, and that there are no profiles', () => {
    expect(contextListText({ names: [], current: null, error: 'no config file at /x' })).toBe(
      'profiles: no config file at /x',
    );
    expect(contextListText({ names: [], current: null, error: null })).toContain('no profiles');
  });

  it('shows a profile name with terminal controls as visible escapes', () => {
    expect(contextListText({ names: ['a\u001b[2Jb'], current: null, error: null })).not.toContain('\u001b');
  });

  it('is an info toast, or an error one without profiles or without contexts', () => {
    const ok = recorder();
    listContexts(
      fakeContexts({ names: ['a'], current: 'a', error: null }, { kind: 'unchanged', context: 'a' }),
      ok.flash,
    );
    expect(ok.flashed).toEqual([{ text: 'profiles: a (current) · :ctx NAME switches', level: 'info' }]);
    const none = recorder();
    listContexts(null, none.flash);
    expect(none.flashed[0]).toMatchObject({ level: 'error', text: expect.stringContaining('cannot switch') });
  });
});

describe(':ctx NAME', () => {
  it('says it is connecting, then nothing more on success (the new screen says it)', async () => {
    const { flashed, flash } = recorder();
    const contexts = fakeContexts(
      { names: [], current: null, error: null },
      { kind: 'switched', context: 'b' },
    );
    switchContext(contexts, 'b', flash);
    await settle();
    expect(contexts.asked).toEqual(['b']);
    expect(flashed).toEqual([{ text: 'connecting to profile b…', level: 'info' }]);
  });

  it('shows why a switch failed as one error line', async () => {
    const { flashed, flash } = recorder();
    const failed: SwitchResult = { kind: 'failed', error: "no profile 'nosuch' (profiles: a, b)" };
    switchContext(fakeContexts({ names: [], current: null, error: null }, failed), 'nosuch', flash);
    await settle();
    expect(flashed.at(-1)).toEqual({
      text: ":ctx nosuch: no profile 'nosuch' (profiles: a, b)",
      level: 'error',
    });
  });

  it('says so when the profile is already on screen', async () => {
    const { flashed, flash } = recorder();
    const same: SwitchResult = { kind: 'unchanged', context: 'a' };
    switchContext(fakeContexts({ names: [], current: 'a', error: null }, same), 'a', flash);
    await settle();
    expect(flashed.at(-1)).toEqual({ text: 'already on profile a', level: 'info' });
  });

  it('refuses without contexts (a replay, a test screen)', () => {
    const { flashed, flash } = recorder();
    switchContext(null, 'a', flash);
    expect(flashed).toEqual([{ text: expect.stringContaining('cannot switch'), level: 'error' }]);
  });
});

describe('the remount on the new cluster', () => {
  const clock = createFakeClock();
  const session: ScreenSession = {
    store: clusterStore(clock),
    controls: fakeControls(false),
    broker: 'redis://:***@b.example:6379/0',
    label: null,
    context: 'b',
    hideArgs: true,
  };

  it('takes every cluster field from the new session and keeps the rest of the run', () => {
    const frames = createViewFrames(session.store, clock);
    const quit = () => {};
    const old = {
      frames: createViewFrames(clusterStore(clock), clock),
      controls: fakeControls(),
      clock,
      theme: { color: false, ascii: false },
      broker: 'redis://a.example:6379/0',
      label: 'A',
      hideArgs: false,
      searchQueue: async () => ({ matches: [], scanned: 0, total: 0, done: true }),
      context: 'a',
      quit,
    } as unknown as ScreenDeps;
    const next = sessionDeps(old, session, frames);
    expect(next).toMatchObject({
      frames,
      broker: session.broker,
      label: null,
      context: 'b',
      hideArgs: true,
      quit,
    });
    expect(next.controls).toBe(session.controls);
    expect(next.theme).toBe(old.theme);
    // the old broker's search must not survive on the new cluster
    expect(next.searchQueue).toBeUndefined();
  });

  it('starts from a fresh UI state (no dialog carried over) with a toast naming the cluster', () => {
    const ui = switchedUi(session, clock);
    expect(ui.modal).toBeNull();
    expect(ui.panel).toBe('overview');
    expect(ui.flash).toEqual({
      text: 'switched to b (redis://:***@b.example:6379/0) · read-only',
      level: 'ok',
      at: clock.now(),
    });
  });
});

describe('the header context segment', () => {
  const text = (context: string | null, label: string | null) =>
    contextSegments(context, label)
      .map((s) => s.text)
      .join('');

  it('names the profile unless the label badge already does', () => {
    expect(text('staging', null)).toBe('ctx staging  ');
    expect(text('prod', 'production')).toBe('ctx prod  ');
    expect(text('staging', 'STAGING')).toBe('');
    expect(text(null, 'X')).toBe('');
  });
});
