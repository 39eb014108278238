/**
 * What qtop's MCP tools read from and write through: the live store of one cluster, its controls,
 * the queue search, the secrets to scrub, and the command log of this server. Built once by
 * mcp-run.ts; the tools never open connections of their own.
 */
import type { Clock } from '../../src/base/clock.js';
import type { CommandLogEntry, Controls } from '../../src/control/controls.js';
import type { HintOptions } from '../../src/hints/maths/types.js';
import type { QueueSearchResult } from '../../src/session/queue-search-api.js';
import type { Store } from '../../src/store/store.js';

/** The writes this server sent, for the `command_log` tool; each is also one line on stderr. */
export interface CommandLog {
  record(entry: CommandLogEntry): void;
  entries(): readonly CommandLogEntry[];
}

export interface McpContext {
  store: Store;
  clock: Clock;
  /** Passwords of the run's URLs: scrubbed from every answer. */
  secrets: (string | undefined)[];
  /** Masked broker URL. */
  broker: string;
  label: string | null;
  readOnly: boolean;
  hideArgs: boolean;
  hintOptions: Partial<HintOptions>;
  /** True with --allow-writes when the Redis user may write. */
  writesAllowed(): boolean;
  /** Resolves once the first pass of every source came back (or after a bound), so early calls see data. */
  ready(): Promise<void>;
  searchQueue(queue: string, text: string): Promise<QueueSearchResult>;
  controls: Controls;
  log: CommandLog;
}

/** At most this many entries are kept; older ones stay in the stderr log only. */
const logLimit = 500;

/** A command log that also writes each entry as one line to `write` (the server's stderr). */
export function createCommandLog(write: (line: string) => void, mask: (text: string) => string): CommandLog {
  const entries: CommandLogEntry[] = [];
  return {
    record(entry) {
      entries.push(entry);
      if (entries.length > logLimit) entries.shift();
      const kind = entry.outcome.kind ?? (entry.outcome.ok ? 'done' : 'error');
      write(mask(`qtop mcp: ${entry.command} ${entry.target}: ${kind}: ${entry.outcome.summary}\n`));
    },
    entries: () => entries,
  };
}
