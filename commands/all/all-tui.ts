/**
 * `qtop --all` on a terminal, and `:all` on the live screen: the list of every profile, live;
 * Enter opens that cluster's live screen (its own session, connected when chosen and closed when
 * left), Esc there (with nothing else to close) or `:all` comes back to the list, q quits.
 * A profile that cannot be opened stays in the list with the reason on its note line.
 */
import { systemClock } from '../../src/base/clock.js';
import { exitCodes } from '../../src/base/exit-codes.js';
import { ConnectError, maskSecrets } from '../../src/redis/index.js';
import type { GlobalFlags, RunConfig } from '../config/config.js';
import { contextConfig } from '../config/context-config.js';
import { openSession, secretsOf, type TuiSession } from '../live/tui-session.js';
import type { CliIo } from '../shared/io.js';
import { UsageError } from '../shared/usage-error.js';
import { type Board, startBoard } from './all-board.js';

export interface AllTuiOptions {
  windowMs: number;
  limit: number;
  mouse: boolean;
}

/** Ink's and React's settings for a screen run (see commands/live/tui-run.ts). */
function screenEnv(): void {
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  process.env.NODE_ENV ??= 'production';
}

/** Run the list (and the clusters opened from it) until the operator quits. */
export async function runAllTui(
  flags: GlobalFlags,
  io: CliIo,
  options: AllTuiOptions,
  from: string | null = null,
): Promise<void> {
  let board: Board;
  try {
    board = startBoard(flags, io.env, options);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`qtop: ${error.message}\n`);
    io.setExitCode(exitCodes.usage);
    return;
  }
  screenEnv();
  const { runClusterList } = await import('../../views/all/render-all.js');
  const { runScreen } = await import('../../views/render.js');
  let last = from;
  let note: string | null = null;
  try {
    for (;;) {
      const choice = await runClusterList({ board, env: io.env, initial: last, note });
      if (choice.kind === 'quit') return;
      last = choice.name;
      note = null;
      let config: RunConfig;
      let session: TuiSession;
      try {
        config = contextConfig(choice.name, flags, io.env);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        note = `${choice.name}: ${error.message}`;
        continue;
      }
      try {
        session = await openSession(config, systemClock, choice.name);
      } catch (error) {
        if (!(error instanceof ConnectError)) throw error;
        note = `${choice.name}: ${maskSecrets(error.message, secretsOf(config))}`;
        continue;
      }
      try {
        session.start();
        const end = await runScreen({
          store: session.store,
          clock: systemClock,
          controls: session.controls,
          ...(session.searchQueue ? { searchQueue: session.searchQueue } : {}),
          broker: session.broker,
          label: session.label,
          hideArgs: session.hideArgs,
          context: session.context,
          env: io.env,
          mouse: options.mouse,
          showAll: true,
          escToList: true,
        });
        if (end.error !== null) {
          io.stderr.write(`qtop: ${maskSecrets(end.error, session.secrets)}\n`);
          io.setExitCode(exitCodes.internal);
          return;
        }
        if (end.next !== 'all') return;
      } finally {
        await session.close();
      }
    }
  } finally {
    board.stop();
  }
}
