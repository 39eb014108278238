/**
 * The `qtop serve` subcommand: flags and help. prom-client, ioredis and the collector load only
 * when it runs. Binds 127.0.0.1 unless told otherwise: metrics name queues, tasks and hosts.
 */
import type { Command } from 'commander';
import { hintsDefaults } from '../../src/hints/maths/defaults.js';
import { type GlobalFlags, resolveConfig } from '../config/config.js';
import { parseDuration } from '../shared/duration.js';
import type { CliIo } from '../shared/io.js';
import { runSubcommand } from '../shared/subcommand-run.js';
import { UsageError } from '../shared/usage-error.js';

interface ServeFlags {
  metrics?: string;
  target?: string;
  waitTarget?: string;
  hintsWindow?: string;
}

const help = `
Exposes Prometheus text at http://HOST:PORT/metrics. Where a metric means what one of
celery-exporter's does, it has the same name and labels (celery_queue_length{queue_name},
celery_task_succeeded_total{name,hostname,queue_name}, celery_task_runtime, celery_worker_up, ...),
so existing dashboards keep working; qtop_* metrics add pools, oldest age and the hints.
celery_queue_length counts every priority list of a queue (celery-exporter counts only the base
list). For KEDA or an HPA external metric, scale on qtop_queue_slots_needed{queue}.
More in docs/monitoring.md.

Examples:
  qtop serve --metrics 127.0.0.1:9808
  qtop --profile prod serve --metrics 0.0.0.0:9808 --target 2m
  curl -s localhost:9808/metrics | grep '^celery_queue_length'`;

/** `HOST:PORT`, `[v6]:PORT` or `:PORT` (then 127.0.0.1). */
export function parseListen(value: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(value.trim());
  const port = Number(match?.[3]);
  if (!match || !Number.isInteger(port) || port > 65_535)
    throw new UsageError(`--metrics expected HOST:PORT like 127.0.0.1:9808, got '${value}'`);
  return { host: match[1] ?? (match[2] || '127.0.0.1'), port };
}

function seconds(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = parseDuration(value);
  if (!parsed.ok) throw new UsageError(`${flag} ${parsed.reason}`);
  return parsed.sec;
}

/** Add `qtop serve` to `program`; global flags are read with `optsWithGlobals()`. */
export function registerServeCommand(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description('serve Prometheus metrics (celery-exporter compatible names, plus qtop_* hints)')
    .option('--metrics <host:port>', 'where to listen (default 127.0.0.1:9808)')
    .option('--target <duration>', 'drain target of the slots figures (default 5m)')
    .option('--wait-target <duration>', 'wait target of the slots figures (default 30s)')
    .option('--hints-window <duration>', 'rates behind the hints look back this far (default 60s)')
    .addHelpText('after', help)
    .action(async (_flags: ServeFlags, command: Command) => {
      const flags = command.optsWithGlobals<GlobalFlags & ServeFlags>();
      await runSubcommand(io, async () => {
        const config = resolveConfig(flags, io.env);
        const listen = parseListen(flags.metrics ?? '127.0.0.1:9808');
        const { runServe } = await import('./run.js');
        await runServe(config, io, {
          ...listen,
          targetSec: seconds('--target', flags.target, hintsDefaults.targetSec),
          waitTargetSec: seconds('--wait-target', flags.waitTarget, hintsDefaults.waitTargetSec),
          windowSec: seconds('--hints-window', flags.hintsWindow, 60),
        });
      });
    });
}
