/**
 * THE key binding table. One record per command drives the key router, the footer, the `?`
 * help overlay, read-only mode (write bindings vanish) and the key table of docs/keys.md; tests press
 * bindings by id. Keys are lists (aliases are first-class); a key is bound once per scope.
 * A binding that cannot act now returns a reason from `disabledReason`, which is flashed.
 */

import type { Scope } from '../state/current-view.js';
import { beatBindings } from './bindings/beat.js';
import { bulkBindings } from './bindings/bulk.js';
import { globalBindings } from './bindings/global.js';
import { hintBindings } from './bindings/hints.js';
import { listBindings } from './bindings/lists.js';
import { modalBindings } from './bindings/modals.js';
import { queueBindings } from './bindings/queues.js';
import { replayBindings } from './bindings/replay.js';
import { taskBindings } from './bindings/tasks.js';
import { workerBindings } from './bindings/workers.js';
import type { Binding } from './context/binding.js';

export type { Binding } from './context/binding.js';

/** Every binding qtop has, grouped by scope (one file each in bindings/); the one table every key reader uses. */
export const keymap: Binding[] = [
  ...globalBindings,
  ...listBindings,
  ...queueBindings,
  ...workerBindings,
  ...taskBindings,
  ...hintBindings,
  ...beatBindings,
  ...replayBindings,
  ...modalBindings,
  ...bulkBindings,
];

/** Bindings by id (tests press by id). */
export const bindingById: ReadonlyMap<string, Binding> = new Map(keymap.map((b) => [b.id, b]));

/**
 * The scopes that are live for a view scope and an open modal, most specific first; `replaying`
 * adds the replay keys (no view binds them, so their place only orders the footer).
 */
export function activeScopes(viewScope: Scope, modal: Scope | null, replaying = false): Scope[] {
  if (modal !== null) return [modal, 'always'];
  return replaying
    ? [viewScope, 'replay', 'list', 'global', 'always']
    : [viewScope, 'list', 'global', 'always'];
}

/** The binding a key triggers in these scopes (the first scope that binds it wins). */
export function resolveKey(key: string, scopes: Scope[]): Binding | null {
  for (const scope of scopes) {
    const found = keymap.find((b) => b.scopes.includes(scope) && b.keys.includes(key));
    if (found) return found;
  }
  return null;
}

/** Bindings an operator can use in these scopes: without write bindings when `canWrite` is false. */
export function visibleBindings(scopes: Scope[], canWrite: boolean): Binding[] {
  return keymap.filter((b) => b.scopes.some((s) => scopes.includes(s)) && (canWrite || !b.write));
}
