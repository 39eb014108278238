/**
 * Which settings a `:ctx NAME` switch takes from where. The start-up precedence (flag, then
 * environment, then profile, then default) holds, except for the settings that say *which*
 * cluster and how its names look on the wire: `-b URL` or `CELERY_BROKER_URL` chose the first
 * cluster, and letting them win again would "switch" to the same broker under another name.
 * Those come from the new profile alone (or qtop's defaults). Run-wide choices stay with the
 * operator: `--read-only` and `--hide-args` stay on for every cluster switched to, and cadences,
 * `--timeout`, `--peek` and `--max-tasks` keep their flag and environment values.
 */

import { UsageError } from '../shared/usage-error.js';
import { type GlobalFlags, type RunConfig, resolveConfig } from './config.js';
import { configPath, readConfigFile } from './config-file.js';
import { keySpecs, type LayerKey } from './config-keys.js';
import { loadFileLayer } from './profiles.js';

/** The settings that belong to one cluster: never carried from the command line to another. */
export const clusterKeys: readonly LayerKey[] = [
  'broker',
  'backend',
  'masterName',
  'keyprefix',
  'sep',
  'prioritySteps',
  'fanoutPrefix',
  'fanoutPatterns',
  'fanoutPrefixLiteral',
  'backendKeyprefix',
  'visibilityTimeout',
  'controlExchange',
  'unackedKey',
  'unackedIndexKey',
  'eventExchange',
  'defaultQueue',
  'redbeatPrefix',
  'redbeatLockKey',
  'label',
];

const clusterEnv = new Set(
  keySpecs.filter((spec) => clusterKeys.includes(spec.key)).flatMap((spec) => spec.env),
);

/** The profile names of the config file, in file order, or why there are none. */
export function profileNames(
  flags: GlobalFlags,
  env: NodeJS.ProcessEnv,
): { names: string[]; error: string | null } {
  const where = configPath(flags.config, env);
  if (where.path === null)
    return { names: [], error: 'no config file (neither XDG_CONFIG_HOME nor HOME is set)' };
  try {
    const file = readConfigFile(where.path, where.named);
    if (file === null) return { names: [], error: `no config file at ${where.path}` };
    return { names: [...file.profiles.keys()], error: null };
  } catch (error) {
    if (error instanceof UsageError) return { names: [], error: error.message };
    throw error;
  }
}

/**
 * The run configuration of profile `name` for a switch (see the module comment). Throws a
 * UsageError naming the known profiles when there is no such profile, or the file's own error.
 */
export function contextConfig(name: string, flags: GlobalFlags, env: NodeJS.ProcessEnv): RunConfig {
  const known = profileNames(flags, env);
  if (known.error !== null) throw new UsageError(known.error);
  if (!known.names.includes(name)) {
    throw new UsageError(`no profile '${name}' (profiles: ${known.names.join(', ') || 'none'})`);
  }
  const kept: GlobalFlags = { ...flags, profile: name };
  for (const key of clusterKeys) delete kept[key];
  const keptEnv = Object.fromEntries(Object.entries(env).filter(([key]) => !clusterEnv.has(key)));
  return resolveConfig(kept, keptEnv);
}

/**
 * The profile the start-up cluster came from, for the header and the `:ctx` list: the chosen
 * profile, unless a flag or the environment named the broker instead (then the cluster on screen
 * is not that profile's, and calling it so would mislead).
 */
export function startContext(flags: GlobalFlags, env: NodeJS.ProcessEnv): string | null {
  const brokerSpec = keySpecs.find((spec) => spec.key === 'broker');
  if (flags.broker !== undefined || brokerSpec?.env.some((name) => env[name] !== undefined)) return null;
  try {
    return loadFileLayer(flags, env).profile?.name ?? null;
  } catch {
    return null; // resolveConfig already read it; a file changed since is not worth failing for
  }
}
