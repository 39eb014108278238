/**
 * The `qtop record` subcommand: flags and help only. The run (Redis, store, file) is imported
 * when the command runs, so `qtop --help` stays fast and loads no ioredis.
 */
import type { Command } from 'commander';
import { type GlobalFlags, resolveConfig } from '../config/config.js';
import { parseByteSize } from '../shared/byte-size.js';
import { parseDuration } from '../shared/duration.js';
import type { CliIo } from '../shared/io.js';
import { runSubcommand } from '../shared/subcommand-run.js';
import { UsageError } from '../shared/usage-error.js';

interface RecordFlags {
  maxSize?: string;
  duration?: string;
  force?: boolean;
}

/** Defaults: an hour, or 100 MB, whichever comes first. */
export const recordDefaults = { maxSize: '100MB', duration: '1h' };

/** Room for the header line and some actions: a smaller file could not hold a recording. */
const minBytes = 4096;

// Node timers cannot wait longer than 2^31 - 1 ms (24.8 days).
const longestMs = 2 ** 31 - 1;

const help = `
Connects like qtop --json --watch (reads only, never writes to Redis) and writes everything qtop
observes to FILE as NDJSON (schema qtop-record/1): a header line (masked broker URL, start time,
limits), then one line per observation. Stops by itself at --duration or --max-size, or on Ctrl-C
or SIGTERM, with a complete last line and one line on stderr saying why (exit 0). Passwords are
never written. Replay it with qtop replay FILE (the screen) or qtop --json --replay FILE --at TIME.

Examples:
  qtop record incident.ndjson -b redis://:secret@redis:6379/0
  qtop record incident.ndjson --duration 15m --max-size 20MB
  qtop --json --replay incident.ndjson --at +90s | jq '.queues[] | {name, total}'
  qtop replay incident.ndjson --speed 10`;

/** Add `qtop record` to `program`; global flags are read with `optsWithGlobals()`. */
export function registerRecordCommand(program: Command, io: CliIo): void {
  program
    .command('record')
    .description('record what qtop observes to a file, for replay after an incident')
    .argument('<file>', 'the recording to write (NDJSON, schema qtop-record/1)')
    .option('--max-size <size>', `stop before the file passes this size (default ${recordDefaults.maxSize})`)
    .option('--duration <duration>', `stop after this long (default ${recordDefaults.duration})`)
    .option('--force', 'overwrite FILE if it exists')
    .addHelpText('after', help)
    .action(async (file: string, _flags: RecordFlags, command: Command) => {
      const flags = command.optsWithGlobals<GlobalFlags & RecordFlags>();
      await runSubcommand(io, async () => {
        const config = resolveConfig(flags, io.env);
        const size = parseByteSize(flags.maxSize ?? recordDefaults.maxSize);
        if (!size.ok) throw new UsageError(`--max-size ${size.reason}`);
        if (size.bytes < minBytes)
          throw new UsageError(`--max-size must be at least 4KB, got '${flags.maxSize}'`);
        const duration = parseDuration(flags.duration ?? recordDefaults.duration);
        if (!duration.ok) throw new UsageError(`--duration ${duration.reason}`);
        const durationMs = Math.round(duration.sec * 1000);
        if (durationMs > longestMs)
          throw new UsageError(`--duration must be at most 24d, got '${flags.duration}'`);
        const { runRecord } = await import('./record-run.js');
        await runRecord(config, io, { file, maxBytes: size.bytes, durationMs, force: flags.force === true });
      });
    });
}
