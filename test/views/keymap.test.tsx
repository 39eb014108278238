import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import { render, useInput } from 'ink';
import { describe, expect, it } from 'vitest';
import { displayKey, keyName } from '../../views/keys/key-names.js';
import { keyTableMarkdown } from '../../views/keys/key-table.js';
import { activeScopes, keymap, resolveKey, visibleBindings } from '../../views/keys/keymap.js';
import type { Scope } from '../../views/state/current-view.js';
import { keySequence } from './key-input.js';

const viewScopes: Scope[] = [
  'queues',
  'workers',
  'tasks',
  'runtimes',
  'failures',
  'log',
  'task',
  'worker',
  'queue',
];

describe('keymap', () => {
  it('has unique `scope.verb` ids, and a label and help for each', () => {
    const ids = keymap.map((b) => b.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const b of keymap) {
      expect(b.id).toMatch(/^[a-z]+\.[a-z-]+$/);
      expect(b.label.length).toBeGreaterThan(0);
      expect(b.help).toMatch(/\.$/);
      expect(b.keys.length).toBeGreaterThan(0);
    }
  });

  it('binds every key once per scope', () => {
    const seen = new Map<string, string>();
    for (const b of keymap) {
      for (const scope of b.scopes) {
        for (const key of b.keys) {
          const where = `${scope} ${key}`;
          expect(seen.get(where), `${where} bound by ${seen.get(where)} and ${b.id}`).toBeUndefined();
          seen.set(where, b.id);
        }
      }
    }
  });

  it('never lets a view or list key shadow a global key', () => {
    const globalKeys = keymap.filter((b) => b.scopes.includes('global') || b.scopes.includes('always'));
    for (const scope of viewScopes) {
      for (const g of globalKeys) {
        for (const key of g.keys) expect(resolveKey(key, activeScopes(scope, null))?.id).toBe(g.id);
      }
    }
  });

  it('lets Ctrl-C quit from every modal, and modals take every other key', () => {
    for (const modal of ['help', 'filter', 'prompt', 'input', 'confirm'] as const) {
      expect(resolveKey('ctrl+c', activeScopes('tasks', modal))?.id).toBe('app.interrupt');
      expect(resolveKey('q', activeScopes('tasks', modal))?.scopes ?? []).not.toContain('global');
    }
  });

  it('marks every confirming binding as a write, and removes writes when qtop may not write', () => {
    for (const b of keymap.filter((b) => b.danger)) expect(b.write).toBe(true);
    const all = viewScopes.flatMap((s) => activeScopes(s, null));
    expect(visibleBindings(all, false).some((b) => b.write)).toBe(false);
    expect(visibleBindings(all, true).some((b) => b.id === 'task.revoke')).toBe(true);
  });

  it('generates the key table of docs/keys.md with every command', () => {
    const table = keyTableMarkdown();
    for (const b of keymap) expect(table).toContain(`| \`${b.id}\` |`);
  });

  // docs/keys.md holds the generated table between markers; it must not drift from the keymap.
  const keysPage = fs.readFileSync('docs/keys.md', 'utf8');
  const inKeysPage = /<!-- keys:start -->\n([\s\S]*?)\n<!-- keys:end -->/.exec(keysPage)?.[1];
  it('docs/keys.md key table equals the generated one', () => {
    expect(inKeysPage).toBe(keyTableMarkdown());
  });

  // The README shows ten keys to start with, written by hand: each must be one the keymap binds.
  const readme = fs.readFileSync('README.md', 'utf8');
  const shortList = /<!-- keys-short:start -->\n([\s\S]*?)\n<!-- keys-short:end -->/.exec(readme)?.[1];
  it('README short key list names only keys the keymap binds', () => {
    const bound = new Set(keymap.flatMap((b) => b.keys.map((k) => displayKey(k, true))));
    const rows = (shortList ?? '').split('\n').slice(2);
    expect(rows).toHaveLength(10);
    for (const row of rows) {
      const keys = [...(row.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
      expect(keys.length, row).toBeGreaterThan(0);
      for (const key of keys) expect(bound.has(key), `${key} in: ${row}`).toBe(true);
    }
  });

  it('names every bound key exactly as Ink reports it (each key is reachable)', async () => {
    const names = [...new Set(keymap.flatMap((b) => b.keys))];
    const got: (string | null)[] = [];
    function Probe() {
      useInput((input, key) => {
        got.push(keyName(input, key));
      });
      return null;
    }
    const stdin = Object.assign(new EventEmitter(), {
      isTTY: true,
      data: null as string | null,
      setEncoding() {},
      setRawMode() {},
      resume() {},
      pause() {},
      ref() {},
      unref() {},
      read() {
        const data = this.data;
        this.data = null;
        return data;
      },
    });
    const stdout = Object.assign(new EventEmitter(), { columns: 80, rows: 24, write: () => true });
    const app = render(<Probe />, {
      stdin: stdin as unknown as NodeJS.ReadStream,
      stdout: stdout as unknown as NodeJS.WriteStream,
      debug: true,
      exitOnCtrlC: false,
      patchConsole: false,
    });
    await new Promise((r) => setImmediate(r));
    for (const name of names) {
      stdin.data = keySequence(name);
      stdin.emit('readable');
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
    }
    app.unmount();
    expect(got).toEqual(names);
  });
});
