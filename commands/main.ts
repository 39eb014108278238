#!/usr/bin/env node
// The `qtop` executable. Only commander and the program definition load here; each command
// imports what it needs when it runs, so `--version` and `--help` stay fast and never touch Redis.
import { CommanderError } from 'commander';
import { maskSecrets } from '../src/redis/mask.js';
import { createProgram } from './cli/program.js';
import { processIo } from './shared/io.js';
import { isReaderGone } from './shared/output-gone.js';

// A reader that goes away (`qtop --json --watch | head -1`, a hung-up terminal) is a normal
// end, not a crash: stop the way SIGTERM does, so a pidbox round in flight still removes its
// reply binding.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (!isReaderGone(error)) throw error;
    process.emit('SIGTERM', 'SIGTERM');
  });
}

// `ps` shows the command line: a broker URL given as a flag would show its password there.
process.title = maskSecrets(['qtop', ...process.argv.slice(2)].join(' '), []);

const io = processIo();
createProgram(io)
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    // commander already printed help, the version or its usage error, and set the exit code
    if (error instanceof CommanderError) return;
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`qtop: ${message.split('\n')[0]}\n`);
    io.setExitCode(1);
  });
