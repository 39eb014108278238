/**
 * The frame every subcommand body runs in: library console noise quieted while it runs, and a
 * UsageError (a bad flag value found after commander's own checks) reported as one line with
 * exit 2. Anything else propagates to main.ts, which reports it as an internal error.
 */
import { exitCodes } from '../../src/base/exit-codes.js';
import type { CliIo } from './io.js';
import { quietLibraryConsole } from './quiet-console.js';
import { UsageError } from './usage-error.js';

export async function runSubcommand(io: CliIo, body: () => Promise<void>): Promise<void> {
  const restoreConsole = quietLibraryConsole(io.stderr, io.env);
  try {
    await body();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`qtop: ${error.message}\n`);
    io.setExitCode(exitCodes.usage);
  } finally {
    restoreConsole();
  }
}
