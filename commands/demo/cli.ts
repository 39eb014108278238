/**
 * The `qtop demo` subcommand: flags and help only. The run (redis-server, Celery workers, the
 * screen) is imported when the command runs, so `qtop --help` stays fast.
 */
import type { Command } from 'commander';
import type { GlobalFlags } from '../config/config.js';
import { parseDuration } from '../shared/duration.js';
import type { CliIo } from '../shared/io.js';
import { runSubcommand } from '../shared/subcommand-run.js';
import { UsageError } from '../shared/usage-error.js';

interface DemoCliFlags {
  simulated?: boolean;
  printUrl?: boolean;
  duration?: string;
}

const help = `
Starts a private redis-server on a free port (no persistence, its own temp dir) and three real
Celery 5.2 workers of the test app (/usr/bin/python3 -m celery), sends a steady mix of fast and
slow tasks, failures, self-retries, priorities, ETA tasks, a queue that builds a backlog and one
nobody consumes, and opens the live screen on it (label 'demo'). On q, Ctrl-C or SIGTERM it
stops everything it started and removes its temp dir.

Needs: apt-get install redis-server python3-celery python3-redis
Without Celery: qtop demo --simulated (wire-level simulated workers; needs redis-server only).

Examples:
  qtop demo
  qtop demo --simulated
  qtop demo --print-url --duration 10m      then, elsewhere: qtop -b <printed URL>`;

/** Add `qtop demo` to `program`; global flags (--hide-args, --label, ...) via `optsWithGlobals()`. */
export function registerDemoCommand(program: Command, io: CliIo): void {
  program
    .command('demo')
    .description('a private Redis and Celery workers with realistic traffic, and the live screen on them')
    .option('--simulated', 'wire-level simulated workers instead of Celery (needs redis-server only)')
    .option('--print-url', 'no screen: print the broker URL and keep the cluster up until interrupted')
    .option('--duration <duration>', 'stop by itself after this long, e.g. 90s or 10m')
    .addHelpText('after', help)
    .action(async (_flags: DemoCliFlags, command: Command) => {
      const flags = command.optsWithGlobals<GlobalFlags & DemoCliFlags>();
      await runSubcommand(io, async () => {
        let durationSec: number | undefined;
        if (flags.duration !== undefined) {
          const parsed = parseDuration(flags.duration);
          if (!parsed.ok) throw new UsageError(`--duration ${parsed.reason}`);
          durationSec = parsed.sec;
        }
        const { runDemo } = await import('./run.js');
        await runDemo({ ...flags, ...(durationSec === undefined ? {} : { durationSec }) }, io);
      });
    });
}
