/**
 * What `qtop config` prints: the effective value of every setting, masked, and where it came
 * from. Built from the resolved RunConfig (so defaults show as the values qtop will really use)
 * and the layer sources (profiles.ts). Pure: the subcommand only does the I/O.
 */
import { maskUrl } from '../../src/redis/mask.js';
import type { RunConfig } from './config.js';
import { keySpecs, type LayerKey } from './config-keys.js';
import type { FileLayer, ValueSource } from './profiles.js';

/** One row of `qtop config`. */
export interface ConfigRow {
  /** The profile key name (`visibility_timeout`), so a row can be pasted into the file. */
  key: string;
  value: string | number | boolean | number[] | null;
  source: ValueSource | string;
}

/** The `qtop config --json` document. */
export interface ConfigDocument {
  schema: 'qtop/1';
  configFile: string | null;
  profile: string | null;
  profileChosenBy: string | null;
  profiles: string[];
  settings: ConfigRow[];
}

function effective(config: RunConfig, key: LayerKey): ConfigRow['value'] {
  const w = config.wire;
  const table: Record<LayerKey, ConfigRow['value']> = {
    broker: maskUrl(config.brokerUrl),
    backend: config.backendNote ?? maskUrl(config.backendUrl),
    masterName: config.masterName ?? null,
    keyprefix: w.globalKeyprefix,
    // The default separator is two control characters; print them so they can be seen and copied.
    sep: JSON.stringify(w.sep).slice(1, -1),
    prioritySteps: [...w.prioritySteps],
    fanoutPrefix: w.fanoutPrefix,
    fanoutPatterns: w.fanoutPatterns,
    fanoutPrefixLiteral: w.fanoutPrefixLiteral,
    backendKeyprefix: w.backendKeyprefix,
    visibilityTimeout: w.visibilityTimeout,
    controlExchange: w.controlExchange,
    unackedKey: w.unackedKey,
    unackedIndexKey: w.unackedIndexKey,
    eventExchange: w.eventExchange,
    defaultQueue: w.defaultQueue,
    redbeatPrefix: config.beat.prefix,
    // null: RedBeat runs without a lock (`redbeat_lock_key = None`).
    redbeatLockKey: config.beat.lockKey,
    queueInterval: config.cadence.queues / 1000,
    inspectInterval: config.cadence.inspect / 1000,
    resultsInterval: config.cadence.results / 1000,
    resultsScan: config.resultsScanBudget,
    maxTasks: config.model.maxTasks ?? null,
    peek: config.peek,
    timeout: config.timeoutMs / 1000,
    label: config.label,
    readOnly: config.readOnly,
    hideArgs: config.hideArgs,
  };
  return table[key];
}

/** Every setting with its masked value and source, plus where the file and profile came from. */
export function configDocument(
  config: RunConfig,
  sources: Record<LayerKey, ValueSource>,
  layer: FileLayer,
): ConfigDocument {
  const settings: ConfigRow[] = keySpecs.map((spec) => ({
    key: spec.toml,
    value: effective(config, spec.key),
    source: sources[spec.key],
  }));
  for (const [which, origin] of Object.entries(layer.secrets)) {
    if (origin) settings.push({ key: `${which}_password`, value: '***', source: origin.from });
  }
  return {
    schema: 'qtop/1',
    configFile: layer.file?.path ?? null,
    profile: layer.profile?.name ?? null,
    profileChosenBy: layer.chosenBy,
    profiles: layer.file ? [...layer.file.profiles.keys()] : [],
    settings,
  };
}

/** The same document as aligned text: a header line, then KEY VALUE SOURCE. */
export function formatConfigText(doc: ConfigDocument): string {
  const file = doc.configFile ?? 'none';
  const profile = doc.profile ? `profile ${doc.profile} (${doc.profileChosenBy})` : 'no profile';
  const lines = [`config file: ${file}; ${profile}; profiles: ${doc.profiles.join(', ') || 'none'}`];
  const shown = doc.settings.map((row) => [row.key, show(row.value), row.source] as const);
  const width = (i: 0 | 1) => Math.max(...shown.map((row) => row[i].length), i === 0 ? 3 : 5);
  const [w0, w1] = [width(0), width(1)];
  lines.push(`${'KEY'.padEnd(w0)}  ${'VALUE'.padEnd(w1)}  SOURCE`);
  for (const [key, value, source] of shown) lines.push(`${key.padEnd(w0)}  ${value.padEnd(w1)}  ${source}`);
  return `${lines.join('\n')}\n`;
}

function show(value: ConfigRow['value']): string {
  if (value === null) return '-';
  if (Array.isArray(value)) return value.join(',');
  if (value === '') return "''";
  return String(value);
}
