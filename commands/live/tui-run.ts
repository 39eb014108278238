/**
 * `qtop` on a terminal: the live screen. Opens the start-up cluster's session (tui-session.ts:
 * store fed by an interactive collector, controls on a connection of their own), then loads Ink
 * only now, through a dynamic import of views/render. `:ctx NAME` switches to another profile of
 * the config file through the context switcher, which connects first and swaps second.
 * Connection failures at start are one line and exit 3/4, like `--json`; a crash of the screen
 * is one line after the terminal is restored, exit 1. `:all` ends the run asking for the list
 * of every profile, which the caller opens (commands/all/all-tui.ts).
 */
import { systemClock } from '../../src/base/clock.js';
import { exitCodes } from '../../src/base/exit-codes.js';
import { ConnectError, exitCodeFor, maskSecrets } from '../../src/redis/index.js';
import type { GlobalFlags, RunConfig } from '../config/config.js';
import { contextConfig, profileNames, startContext } from '../config/context-config.js';
import type { CliIo } from '../shared/io.js';
import { createContextSwitcher } from './context-switcher.js';
import { openSession, secretsOf, type TuiSession } from './tui-session.js';

/** Run the interactive screen until the operator leaves it; `flags` resolve the profiles `:ctx` switches to. */
export async function runTui(
  config: RunConfig,
  io: CliIo,
  flags: GlobalFlags = {},
  options: { mouse?: boolean } = {},
): Promise<{ next?: 'all'; from?: string | null }> {
  const clock = systemClock;
  let session: TuiSession;
  try {
    session = await openSession(config, clock, startContext(flags, io.env));
  } catch (error) {
    if (!(error instanceof ConnectError)) throw error;
    io.stderr.write(`qtop: ${error.message}\n`);
    io.setExitCode(exitCodeFor(error.code));
    return {};
  }
  const contexts = createContextSwitcher({
    initial: session,
    profiles: () => profileNames(flags, io.env),
    resolve: (name) => {
      const next = contextConfig(name, flags, io.env);
      return { config: next, secrets: secretsOf(next) };
    },
    open: (next: RunConfig, name) => openSession(next, clock, name),
  });
  let next: 'all' | null = null;
  let from: string | null = null;
  try {
    session.start();
    // Ink renders only the last frame, at exit, when it believes it runs in CI (is-in-ci reads
    // CI and CONTINUOUS_INTEGRATION when Ink is first imported). stdout is a terminal here and
    // the operator asked for the screen, so those variables must not blank it.
    delete process.env.CI;
    delete process.env.CONTINUOUS_INTEGRATION;
    // React's development build (the default without NODE_ENV) checks every element at run
    // time; measured here it doubled the screen's CPU cost per frame.
    process.env.NODE_ENV ??= 'production';
    const { runScreen } = await import('../../views/render.js');
    const end = await runScreen({
      store: session.store,
      clock,
      controls: session.controls,
      ...(session.searchQueue ? { searchQueue: session.searchQueue } : {}),
      broker: session.broker,
      label: session.label,
      hideArgs: session.hideArgs,
      context: session.context,
      contexts,
      env: io.env,
      mouse: options.mouse !== false,
      showAll: profileNames(flags, io.env).names.length > 0,
    });
    if (end.error !== null) {
      io.stderr.write(`qtop: ${maskSecrets(end.error, contexts.secrets())}\n`);
      io.setExitCode(exitCodes.internal);
    }
    next = end.next ?? null;
  } finally {
    from = contexts.current().context;
    await contexts.close();
  }
  // `:all`: this cluster's session is closed; the caller opens the list (commands/all/all-tui.ts).
  return next === 'all' ? { next, from } : {};
}
