/**
 * The figures behind the list of every profile on the screen: each profile is looked at on its
 * own loop (the same one-shot collection as `qtop --json --all`, cut at --timeout + 1 s), again
 * `refreshMs` after its last look ended, so an unreachable profile shows its error and never
 * holds back the others' rows.
 */

import { type ClusterEntry, clusterRow } from '../../src/snapshot/all-rows.js';
import type { ClusterBoard, ClusterLine } from '../../views/all/cluster-lines.js';
import type { GlobalFlags } from '../config/config.js';
import { type CollectAllOptions, collectOne, profileConfigs } from './all-collect.js';

export interface Board extends ClusterBoard {
  /** Stop looking; a look under way finishes on its own and is dropped. */
  stop(): void;
}

/** How often each profile is looked at again, from the end of its last look. */
export const refreshMs = 5_000;

function pendingLine(name: string): ClusterLine {
  return {
    name,
    state: 'unknown',
    findings: [],
    workersUp: null,
    workersLost: null,
    ready: null,
    oldestWaitSec: null,
    failureRate: null,
    events: '?',
    connection: '…',
    error: null,
    pending: true,
  };
}

/** Starts looking at every profile of the config file; throws UsageError when it has none. */
export function startBoard(
  flags: GlobalFlags,
  env: NodeJS.ProcessEnv,
  options: CollectAllOptions & { refreshMs?: number },
): Board {
  const profiles = profileConfigs(flags, env);
  const lines = new Map<string, ClusterLine>(profiles.map((p) => [p.name, pendingLine(p.name)]));
  const listeners = new Set<() => void>();
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const set = (entry: ClusterEntry) => {
    if (stopped) return;
    lines.set(entry.name, { ...clusterRow(entry), pending: false });
    for (const listener of listeners) listener();
  };
  for (const { name, config, error } of profiles) {
    if (config === null) {
      set({ name, error: { code: 'config', message: error ?? 'invalid' } });
      continue;
    }
    const look = async () => {
      if (stopped) return;
      const entry = await collectOne(name, config, env, {
        windowMs: options.windowMs,
        limit: options.limit,
      }).catch(
        (err: unknown): ClusterEntry => ({
          name,
          error: { code: 'failed', message: err instanceof Error ? err.message : String(err) },
        }),
      );
      set(entry);
      if (stopped) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        void look();
      }, options.refreshMs ?? refreshMs);
      timers.add(timer);
    };
    void look();
  }
  return {
    lines: () => [...lines.values()],
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
