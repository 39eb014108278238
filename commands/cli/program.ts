/**
 * The commander program: global flags and subcommands. Actions import their modules
 * lazily, so `qtop --version` and `qtop --help` load neither Ink nor ioredis.
 */
import { Command, Option } from 'commander';
import { exitCodes } from '../../src/base/exit-codes.js';
import { registerCheckCommand } from '../check/cli.js';
import { type GlobalFlags, resolveConfig } from '../config/config.js';
import { registerConfigCommand } from '../config/config-cli.js';
import { registerControlCommands } from '../control/cli.js';
import { registerDemoCommand } from '../demo/cli.js';
import { registerHintsCommand } from '../hints/cli.js';
import { registerMcpCommand } from '../mcp/mcp-cli.js';
import { registerRecordCommand } from '../record/record-cli.js';
import { registerReplayCommand } from '../record/replay-cli.js';
import { registerServeCommand } from '../serve/cli.js';
import type { CliIo } from '../shared/io.js';
import { quietLibraryConsole } from '../shared/quiet-console.js';
import { UsageError } from '../shared/usage-error.js';
import { readVersion } from '../shared/version.js';
import { registerTaskCommand } from '../task/cli.js';
import { registerCompletionCommand } from './completion.js';

interface TopFlags {
  all?: boolean;
  json?: boolean;
  watch?: boolean;
  interval?: string;
  window?: string;
  limit?: string;
  replay?: string;
  at?: string;
  /** False with --no-mouse. */
  mouse?: boolean;
}

const examples = `
Examples:
  qtop                                   open the live screen (broker from CELERY_BROKER_URL)
  qtop -b redis://:secret@redis:6379/0   watch another broker
  qtop --json | jq '.queues[] | {name, ready}'
  qtop --json --watch --interval 5 | jq -c '.totals'
  qtop --json --replay incident.ndjson --at +90s   a recording (qtop record) as it was 90 s in

Exit codes: 0 ok, 1 internal error, 2 usage, 3 cannot connect, 4 auth refused or no permission,
5 partial data (a source failed).`;

function addGlobalOptions(program: Command): void {
  program
    .option('-b, --broker <url>', 'broker URL (env CELERY_BROKER_URL; default redis://localhost:6379/0)')
    .option('--backend <url>', 'result backend URL (env CELERY_RESULT_BACKEND; default: the broker)')
    .option('--keyprefix <prefix>', 'kombu global_keyprefix (env QTOP_KEYPREFIX)')
    .addOption(
      new Option(
        '--sep <sep>',
        'kombu transport option sep: in binding members and priority list names (default \\x06\\x16; Celery\'s priority recipe uses ":")',
      ),
    )
    .option('--priority-steps <list>', 'kombu priority_steps, e.g. 0,3,6,9')
    .option('--fanout-prefix <value>', "kombu fanout_prefix: true, false, or a prefix such as '/{db}.'")
    .option('--no-fanout-patterns', 'kombu fanout_patterns=False')
    .option('--fanout-prefix-literal', "Sentinel with kombu < 5.4: workers use the literal '/{db}.' prefix")
    .option(
      '--backend-keyprefix <prefix>',
      'Celery result_backend_transport_options global_keyprefix (env QTOP_BACKEND_KEYPREFIX)',
    )
    .option('--visibility-timeout <s>', 'kombu visibility_timeout in seconds (default 3600)')
    .option('--control-exchange <name>', 'Celery control_exchange (default celery)')
    .option('--unacked-key <key>', 'kombu unacked_key (default unacked)')
    .option('--unacked-index-key <key>', 'kombu unacked_index_key (default unacked_index)')
    .option('--event-exchange <name>', 'Celery event_exchange (default celeryev)')
    .option('--default-queue <name>', 'Celery task_default_queue (default celery)')
    .option('--redbeat-prefix <prefix>', 'RedBeat redbeat_key_prefix (default redbeat:)')
    .option(
      '--redbeat-lock-key <key>',
      "RedBeat redbeat_lock_key (default {prefix}:lock; 'none' when RedBeat runs without a lock)",
    )
    .option('--master-name <name>', 'Sentinel master name (for sentinel:// URLs)')
    .option('--max-tasks <n>', 'most tasks held in memory (default 10000)')
    .option('--peek <n>', 'messages peeked per queue (default 10)')
    .option('--queue-interval <s>', 'seconds between queue samples (default 1)')
    .option('--inspect-interval <s>', 'seconds between inspect rounds (default 5)')
    .option('--results-interval <s>', 'seconds between result-backend scan pages (default 2)')
    .option('--results-scan <n>', 'most existing result keys read per page (default 500)')
    .option(
      '--timeout <s>',
      'bound on connecting, on one control round, and on an outage before --watch gives up (default 5)',
    )
    .option('--label <name>', 'environment label shown in the header, e.g. prod')
    .option('--read-only', 'never write to Redis (no control actions)')
    .option('--hide-args', 'hide task args, kwargs and results (shared screens)')
    .option('--config <file>', 'config file (env QTOP_CONFIG; default $XDG_CONFIG_HOME/qtop/config.toml)')
    .option('--profile <name>', 'profile of the config file (env QTOP_PROFILE; default: default_profile)');
}

/** Build the program; `io` carries stdout/stderr/env/exit code so tests can run it in-process. */
export function createProgram(io: CliIo): Command {
  const program = new Command('qtop')
    .description('A terminal operations console for Celery clusters on Redis')
    .version(readVersion(), '-V, --version')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(text.startsWith('error:') ? `qtop: ${text}` : text),
    })
    .exitOverride((error) => {
      // commander's own exits (help, version, bad flags) become exit codes, not process.exit
      io.setExitCode(error.exitCode === 0 ? exitCodes.ok : exitCodes.usage);
      throw error;
    })
    .showHelpAfterError('(qtop --help lists the options)')
    .addHelpText('after', examples);
  addGlobalOptions(program);
  program
    .option('--json', 'print one JSON snapshot (schema qtop/1) and exit')
    .option(
      '--all',
      'every profile of the config file at once: a live list on a terminal (Enter opens one), a table in a pipe, schema qtop-all/1 with --json',
    )
    .option('--watch', 'with --json: print a snapshot every interval as NDJSON until interrupted')
    .option('--interval <s>', 'with --watch: seconds between snapshots (default 2)')
    .option('--window <s>', 'with --json: longest time spent collecting (default 1.5)')
    .option('--limit <n>', 'with --json: most tasks listed (default 500)')
    .option('--replay <file>', 'with --json: the snapshot of a recording (qtop record) instead of Redis')
    .option('--at <time>', 'with --replay: start, end, +90s, -30s or an ISO time (default end)')
    .option('--no-mouse', 'the live screen leaves the mouse to the terminal (no clicks or wheel in qtop)')
    .action(async (flags: GlobalFlags & TopFlags) => {
      await runTop(flags, io);
    });
  registerControlCommands(program, io);
  registerHintsCommand(program, io);
  registerTaskCommand(program, io);
  registerConfigCommand(program, io);
  registerCheckCommand(program, io);
  registerServeCommand(program, io);
  registerMcpCommand(program, io);
  registerCompletionCommand(program, io);
  registerDemoCommand(program, io);
  registerRecordCommand(program, io);
  registerReplayCommand(program, io);
  return program;
}

async function runTop(flags: GlobalFlags & TopFlags, io: CliIo): Promise<void> {
  const restoreConsole = quietLibraryConsole(io.stderr, io.env);
  try {
    // A recording needs no broker, so neither the environment nor the config file is read for it.
    if (flags.replay !== undefined) {
      const { runReplayJson } = await import('../record/replay-json.js');
      await runReplayJson(
        {
          file: flags.replay,
          at: flags.at,
          json: flags.json === true,
          watch: flags.watch === true,
          limit: countFlag('--limit', flags.limit, 500),
          label: flags.label,
          hideArgs: flags.hideArgs === true,
        },
        io,
      );
      return;
    }
    if (flags.at !== undefined) throw new UsageError('--at goes with --replay FILE');
    if (flags.all) {
      if (flags.watch) throw new UsageError('--all takes one look; --watch goes with a single cluster');
      if (!flags.json && io.stdout.isTTY) {
        const { runAllTui } = await import('../all/all-tui.js');
        await runAllTui(flags, io, {
          windowMs: secondsFlag('--window', flags.window, 1_500),
          limit: countFlag('--limit', flags.limit, 500),
          mouse: flags.mouse !== false,
        });
        return;
      }
      const { runAll } = await import('../all/all-run.js');
      await runAll(flags, io, {
        json: flags.json === true,
        windowMs: secondsFlag('--window', flags.window, 1_500),
        limit: countFlag('--limit', flags.limit, 500),
      });
      return;
    }
    const config = resolveConfig(flags, io.env);
    if (flags.watch && !flags.json) throw new UsageError('--watch goes with --json');
    if (flags.json) {
      const { runJson } = await import('../live/json-run.js');
      await runJson(config, io, {
        watch: flags.watch === true,
        intervalMs: secondsFlag('--interval', flags.interval, 2_000),
        windowMs: secondsFlag('--window', flags.window, 1_500),
        limit: countFlag('--limit', flags.limit, 500),
      });
      return;
    }
    if (!io.stdout.isTTY) {
      throw new UsageError(
        'stdout is not a terminal: use qtop --json (or --json --watch) for scripts and pipes',
      );
    }
    const { runTui } = await import('../live/tui-run.js');
    const end = await runTui(config, io, flags, { mouse: flags.mouse !== false });
    if (end.next === 'all') {
      const { runAllTui } = await import('../all/all-tui.js');
      await runAllTui(
        flags,
        io,
        {
          windowMs: secondsFlag('--window', flags.window, 1_500),
          limit: countFlag('--limit', flags.limit, 500),
          mouse: flags.mouse !== false,
        },
        end.from ?? null,
      );
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`qtop: ${error.message}\n`);
      io.setExitCode(exitCodes.usage);
      return;
    }
    throw error;
  } finally {
    restoreConsole();
  }
}

function secondsFlag(flag: string, value: string | undefined, fallbackMs: number): number {
  if (value === undefined) return fallbackMs;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0)
    throw new UsageError(`${flag} must be a positive number, got '${value}'`);
  return Math.round(parsed * 1000);
}

function countFlag(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new UsageError(`${flag} must be a whole number, got '${value}'`);
  return parsed;
}
