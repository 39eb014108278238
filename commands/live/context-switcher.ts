/**
 * `:ctx NAME` on the command side (issue 10): resolve the profile, connect its session, and only
 * once it is connected show it and close the old one. Any failure (no such profile, a bad file,
 * unreachable, auth refused) closes what the attempt opened and leaves the current session on
 * screen, with a one-line reason scrubbed of passwords. Pure orchestration over injected
 * `resolve`/`open`, so the rules are tested without Redis.
 */
import { maskSecrets } from '../../src/redis/index.js';
import type {
  ContextList,
  ContextSource,
  ScreenSession,
  SwitchResult,
} from '../../src/session/screen-session.js';

/** What the switcher needs of a session. */
export interface SwitchableSession extends ScreenSession {
  secrets: (string | undefined)[];
  start(): void;
  close(): Promise<void>;
}

export interface ContextSwitcherDeps<C, S extends SwitchableSession> {
  /** The session on screen at start. */
  initial: S;
  /** The profile names, or why there are none. */
  profiles(): { names: string[]; error: string | null };
  /** The configuration of profile `name` and its passwords; throws when there is no such profile. */
  resolve(name: string): { config: C; secrets: (string | undefined)[] };
  /** Connect a session for `config`; throws with nothing left open when it cannot. */
  open(config: C, name: string): Promise<S>;
}

/** The source the screen gets, plus what the run owner needs. */
export interface ContextSwitcher<S extends SwitchableSession> extends ContextSource {
  /** The session on screen now. */
  current(): S;
  /** Every password of every session tried, to scrub from the run's last error line. */
  secrets(): (string | undefined)[];
  /** Close the current session; a switch still connecting closes its own when it ends. */
  close(): Promise<void>;
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? 'unknown error';
}

/** The switcher over `deps`; one switch at a time. */
export function createContextSwitcher<C, S extends SwitchableSession>(
  deps: ContextSwitcherDeps<C, S>,
): ContextSwitcher<S> {
  let current = deps.initial;
  let switching: string | null = null;
  let closed = false;
  const seen = new Set(deps.initial.secrets);
  const failed = (error: string, secrets: (string | undefined)[] = []): SwitchResult => ({
    kind: 'failed',
    error: maskSecrets(error, [...seen, ...secrets]),
  });

  return {
    list(): ContextList {
      return { ...deps.profiles(), current: current.context };
    },
    async switchTo(name, show) {
      if (closed) return failed('the screen is closing');
      if (switching !== null) return failed(`still connecting to ${switching}`);
      if (name === current.context) return { kind: 'unchanged', context: name };
      switching = name;
      try {
        let resolved: { config: C; secrets: (string | undefined)[] };
        try {
          resolved = deps.resolve(name);
        } catch (error) {
          return failed(oneLine(error));
        }
        for (const secret of resolved.secrets) seen.add(secret);
        let next: S;
        try {
          next = await deps.open(resolved.config, name);
        } catch (error) {
          return failed(oneLine(error), resolved.secrets);
        }
        if (closed) {
          await next.close();
          return failed('the screen closed while connecting');
        }
        const old = current;
        current = next;
        next.start();
        try {
          show(next);
        } finally {
          await old.close();
        }
        return { kind: 'switched', context: name };
      } finally {
        switching = null;
      }
    },
    current: () => current,
    secrets: () => [...seen],
    async close() {
      closed = true;
      await current.close();
    },
  };
}
