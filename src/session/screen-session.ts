/**
 * What the command layer hands the screen: one connected cluster (`ScreenSession`) and, for
 * `:ctx`, the profiles it can switch to (`ContextSource`). Types only: commands/live implements
 * them, views/ consume them, so neither imports the other.
 */
import type { Controls } from '../control/controls.js';
import type { Store } from '../store/store.js';
import type { QueueSearch } from './queue-search-api.js';

/** One cluster as the screen shows it: what a switch swaps in. */
export interface ScreenSession {
  store: Store;
  controls: Controls;
  searchQueue?: QueueSearch;
  /** The broker URL with its password masked. */
  broker: string;
  label: string | null;
  /** The config profile it came from; null when flags or the environment named the cluster. */
  context: string | null;
  hideArgs: boolean;
}

/** The profiles `:ctx` can switch to. */
export interface ContextList {
  names: string[];
  /** The profile on screen, or null. */
  current: string | null;
  /** Why there is no list (no config file, a bad one); null when `names` is it. */
  error: string | null;
}

/** How a switch ended; `failed` leaves the screen on the cluster it was on. */
export type SwitchResult =
  | { kind: 'switched'; context: string }
  | { kind: 'unchanged'; context: string }
  | { kind: 'failed'; error: string };

/**
 * What the command layer hands the screen run. `switchTo` calls `show` with the new, connected
 * session before it tears the old one down, and never after the run ended.
 */
export interface ContextSource {
  list(): ContextList;
  switchTo(name: string, show: (session: ScreenSession) => void): Promise<SwitchResult>;
}

/** The source as the view uses it, with `show` already bound by views/render.tsx. */
export interface Contexts {
  list(): ContextList;
  switchTo(name: string): Promise<SwitchResult>;
}
