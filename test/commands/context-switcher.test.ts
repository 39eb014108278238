import { describe, expect, it } from 'vitest';
import {
  type ContextSwitcherDeps,
  createContextSwitcher,
  type SwitchableSession,
} from '../../commands/live/context-switcher.js';
import type { ScreenSession } from '../../src/session/screen-session.js';

// The `:ctx` rules without Redis: connect first, show second, close the old last; a failure of
// any kind leaves the current session on screen, open, and the error free of passwords.

interface FakeSession extends SwitchableSession {
  name: string;
  started: boolean;
  closed: boolean;
}

function session(name: string, secrets: string[] = [], log: string[] = []): FakeSession {
  const s: FakeSession = {
    name,
    started: false,
    closed: false,
    context: name,
    broker: `redis://${name}:6379/0`,
    label: null,
    hideArgs: false,
    store: {} as ScreenSession['store'],
    controls: {} as ScreenSession['controls'],
    secrets,
    start() {
      s.started = true;
      log.push(`start ${name}`);
    },
    async close() {
      s.closed = true;
      log.push(`close ${name}`);
    },
  };
  return s;
}

interface Profile {
  secrets?: string[];
  /** What connecting does: a session, or an error to throw. */
  connect: 'ok' | Error;
}

function switcher(profiles: Record<string, Profile>, log: string[] = []) {
  const initial = session('a', ['initial-pw'], log);
  const opened: FakeSession[] = [];
  const gates = new Map<string, Promise<void>>();
  const deps: ContextSwitcherDeps<string, FakeSession> = {
    initial,
    profiles: () => ({ names: ['a', ...Object.keys(profiles)], error: null }),
    resolve(name) {
      const profile = profiles[name];
      if (!profile)
        throw new Error(`no profile '${name}' (profiles: a, ${Object.keys(profiles).join(', ')})`);
      return { config: name, secrets: profile.secrets ?? [] };
    },
    async open(config) {
      log.push(`open ${config}`);
      await gates.get(config);
      const profile = profiles[config]!;
      if (profile.connect instanceof Error) throw profile.connect;
      const next = session(config, profile.secrets ?? [], log);
      opened.push(next);
      return next;
    },
  };
  return { contexts: createContextSwitcher(deps), initial, opened, gates, log };
}

/** Make connecting to `name` wait until the returned function is called. */
function hold(gates: Map<string, Promise<void>>, name: string): () => void {
  let release = () => {};
  gates.set(
    name,
    new Promise<void>((resolve) => {
      release = resolve;
    }),
  );
  return () => release();
}

describe('context switcher', () => {
  it('lists the profiles with the one on screen', () => {
    const { contexts } = switcher({ b: { connect: 'ok' } });
    expect(contexts.list()).toEqual({ names: ['a', 'b'], current: 'a', error: null });
  });

  it('connects the new session, shows it, then closes the old one', async () => {
    const { contexts, initial, log } = switcher({ b: { connect: 'ok' } });
    const shown: string[] = [];
    const result = await contexts.switchTo('b', (s) => {
      shown.push(s.context ?? '');
      log.push('show b');
    });
    expect(result).toEqual({ kind: 'switched', context: 'b' });
    expect(shown).toEqual(['b']);
    expect(log).toEqual(['open b', 'start b', 'show b', 'close a']);
    expect(initial.closed).toBe(true);
    expect(contexts.current().context).toBe('b');
    expect(contexts.list().current).toBe('b');
  });

  it('an unknown profile changes nothing and says which profiles exist', async () => {
    const { contexts, initial, log } = switcher({ b: { connect: 'ok' } });
    const result = await contexts.switchTo('nosuch', () => log.push('show'));
    expect(result).toEqual({ kind: 'failed', error: "no profile 'nosuch' (profiles: a, b)" });
    expect(log).toEqual([]);
    expect(initial.closed).toBe(false);
    expect(contexts.current()).toBe(initial);
  });

  it('an unreachable or refusing cluster keeps the old session, and its error is masked', async () => {
    const refused = new Error('Redis refused the password s3cret for redis://:s3cret@b:6379/0 (WRONGPASS)');
    const { contexts, initial, log } = switcher({ b: { connect: refused, secrets: ['s3cret'] } });
    const result = await contexts.switchTo('b', () => log.push('show'));
    expect(result.kind).toBe('failed');
    const error = result.kind === 'failed' ? result.error : '';
    expect(error).not.toContain('s3cret');
    expect(error).toContain('redis://:***@b:6379/0');
    expect(log).toEqual(['open b']);
    expect(initial.closed).toBe(false);
    expect(contexts.current()).toBe(initial);
  });

  it('the same profile is left as it is', async () => {
    const { contexts, log } = switcher({});
    expect(await contexts.switchTo('a', () => log.push('show'))).toEqual({ kind: 'unchanged', context: 'a' });
    expect(log).toEqual([]);
  });

  it('runs one switch at a time', async () => {
    const { contexts, gates } = switcher({ b: { connect: 'ok' }, c: { connect: 'ok' } });
    const release = hold(gates, 'b');
    const first = contexts.switchTo('b', () => {});
    expect(await contexts.switchTo('c', () => {})).toEqual({
      kind: 'failed',
      error: 'still connecting to b',
    });
    release();
    expect(await first).toEqual({ kind: 'switched', context: 'b' });
    expect(await contexts.switchTo('c', () => {})).toEqual({ kind: 'switched', context: 'c' });
  });

  it('a session that connects after the screen closed is closed, never shown', async () => {
    const { contexts, gates, opened, initial } = switcher({ b: { connect: 'ok' } });
    const release = hold(gates, 'b');
    const shown: unknown[] = [];
    const pending = contexts.switchTo('b', (s) => shown.push(s));
    await contexts.close();
    expect(initial.closed).toBe(true);
    release();
    expect((await pending).kind).toBe('failed');
    expect(shown).toEqual([]);
    expect(opened[0]?.closed).toBe(true);
    expect(opened[0]?.started).toBe(false);
  });

  it('keeps every password it saw for the last error line', async () => {
    const { contexts } = switcher({ b: { connect: 'ok', secrets: ['pw-b'] } });
    await contexts.switchTo('b', () => {});
    expect(contexts.secrets()).toEqual(expect.arrayContaining(['initial-pw', 'pw-b']));
  });
});
