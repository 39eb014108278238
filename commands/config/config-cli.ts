/**
 * `qtop config`: the effective configuration, each value with its source (flag, env:NAME,
 * file:PROFILE, default), secrets masked. Reads no Redis, so it is safe to run anywhere, and a
 * bad value anywhere in the file is reported here as it would be by every other command.
 */
import type { Command } from 'commander';
import { exitCodes } from '../../src/base/exit-codes.js';
import type { CliIo } from '../shared/io.js';
import { UsageError } from '../shared/usage-error.js';
import { type GlobalFlags, resolveConfig } from './config.js';
import type { LayerKey, LayerValue } from './config-keys.js';
import { configDocument, formatConfigText } from './config-show.js';
import { layerValues, loadFileLayer } from './profiles.js';

const help = `
Precedence: flags, then environment (CELERY_BROKER_URL, CELERY_RESULT_BACKEND, QTOP_*), then the
profile of the config file ($XDG_CONFIG_HOME/qtop/config.toml, default ~/.config/qtop/config.toml;
--config FILE or QTOP_CONFIG), then qtop's defaults. The profile: --profile NAME, QTOP_PROFILE,
default_profile in the file, or a profile named 'default'. docs/configuration.md lists the keys.

Examples:
  qtop config
  qtop --profile prod config
  qtop config --profile staging --json | jq '.settings[] | select(.source != "default")'`;

/** Add `qtop config` to `program`. */
export function registerConfigCommand(program: Command, io: CliIo): void {
  program
    .command('config')
    .description('show the effective configuration and where each value came from (secrets masked)')
    .option('--json', 'print a JSON document instead of text')
    .addHelpText('after', help)
    .action((_flags: { json?: boolean }, command: Command) => {
      const flags = command.optsWithGlobals<GlobalFlags & { json?: boolean }>();
      try {
        const layer = loadFileLayer(flags, io.env);
        const config = resolveConfig(flags, io.env, layer);
        const raw = flags as Partial<Record<LayerKey, LayerValue>>;
        const doc = configDocument(config, layerValues(raw, io.env, layer).sources, layer);
        io.stdout.write(flags.json ? `${JSON.stringify(doc)}\n` : formatConfigText(doc));
        io.setExitCode(exitCodes.ok);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        io.stderr.write(`qtop: ${error.message}\n`);
        io.setExitCode(exitCodes.usage);
      }
    });
}
