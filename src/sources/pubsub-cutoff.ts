/**
 * Why the event subscriber lost its connection, told from the server's INFO. Redis closes a pub/sub
 * client whose output buffer passes `client-output-buffer-limit pubsub` (32 MB hard or 8 MB for 60 s
 * by default), which is what happens when events arrive faster than qtop reads them; from qtop's
 * side that close looks like any other. A restart or failover shows as a new `run_id`; a server that
 * stayed up closed only the subscriber. Newer servers also count buffer-limit closes
 * (`client_output_buffer_limit_disconnections`; redis-server 7.0.15 has no such field).
 */
import type { Redis } from 'ioredis';

/**
 * `cut-off`: the server counted a buffer-limit close meanwhile; `closed`: it stayed up and cannot say
 * more; `closed-not-limit`: it stayed up and counted no buffer-limit close; `restarted`: another
 * server process answers now; `unknown`: INFO could not be read.
 */
export type CutoffCause = 'cut-off' | 'closed' | 'closed-not-limit' | 'restarted' | 'unknown';

export interface CutoffProbe {
  /** Remember the counters now: after subscribing, and after each recovery. */
  mark(): Promise<void>;
  /** What the counters say happened since `mark`; `unknown` when INFO is denied or unavailable. */
  explain(): Promise<CutoffCause>;
}

interface Counters {
  /** `run_id` changes whenever the server restarts, and differs on every other server. */
  runId: string | null;
  cutoffs: number | null;
}

/** Tries of one read, so a command connection that reconnects a moment later still answers. */
const READ_TRIES = 4;
const RETRY_MS = 250;

/**
 * A probe reading `INFO` (default sections: server and stats, about 5 KB) on `redis`, the command
 * connection, since a subscriber can run nothing else. One INFO per subscription and per reconnect;
 * a user without +info only loses the detail.
 */
export function createCutoffProbe(redis: Redis): CutoffProbe {
  let before: Counters | null = null;
  const read = async (tries: number): Promise<Counters | null> => {
    for (let attempt = 1; ; attempt++) {
      try {
        const text = String(await redis.info());
        return {
          runId: /^run_id:(\w+)\s*$/m.exec(text)?.[1] ?? null,
          cutoffs: counter(text, 'client_output_buffer_limit_disconnections'),
        };
      } catch (error) {
        // A refusal (NOPERM: no +info) will not change; a connection still coming back may.
        if (attempt >= tries || (error as Error).name === 'ReplyError') return null;
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS).unref());
      }
    }
  };
  return {
    async mark() {
      // One try: a baseline read across an outage would compare the new server with itself.
      before = await read(1);
    },
    async explain() {
      const now = await read(READ_TRIES);
      const then = before;
      before = now;
      if (!now || !then) return 'unknown';
      if (now.runId !== then.runId) return 'restarted';
      if (now.cutoffs === null || then.cutoffs === null) return 'closed';
      return now.cutoffs > then.cutoffs ? 'cut-off' : 'closed-not-limit';
    },
  };
}

function counter(info: string, name: string): number | null {
  const match = new RegExp(`^${name}:(\\d+)\\s*$`, 'm').exec(info);
  return match ? Number(match[1]) : null;
}

/** The gap reason for events lost between `from` and `to` (ms), for `meta.sources.events.gaps`. */
export function eventGapReason(from: number, to: number, cause: CutoffCause): string {
  const span =
    `events lost between ${new Date(from).toISOString()} and ${new Date(to).toISOString()} ` +
    `(${((to - from) / 1000).toFixed(1)} s)`;
  switch (cause) {
    case 'cut-off':
      return (
        `${span}: Redis cut the subscriber off for falling behind (client-output-buffer-limit pubsub); ` +
        'raise that limit or give qtop more CPU'
      );
    case 'closed':
      return (
        `${span}: Redis closed only the subscriber while the server stayed up: most likely it cut qtop off ` +
        'for falling behind (client-output-buffer-limit pubsub), else someone ran CLIENT KILL'
      );
    case 'closed-not-limit':
      return `${span}: Redis closed the subscriber while the server stayed up, not for its buffer limit (CLIENT KILL, a proxy or the network)`;
    case 'restarted':
      return `${span}: Redis restarted or another server took over (a new run_id)`;
    default:
      return (
        `${span} (subscriber disconnected; if this repeats, Redis cut qtop off for falling behind: ` +
        'client-output-buffer-limit pubsub)'
      );
  }
}
