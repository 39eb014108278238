/**
 * Named profiles and the precedence of every setting: flag, then environment, then the chosen
 * profile of the config file, then qtop's default. Kept apart from config.ts so resolveConfig
 * stays a plain validator and `qtop config` can show where each value came from.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../shared/usage-error.js';
import { type ConfigFile, configPath, type FileProfile, fileError, readConfigFile } from './config-file.js';
import { keySpecs, type LayerKey, type LayerValue, parseValue } from './config-keys.js';

/** Where one effective value came from, as `qtop config` prints it. */
export type ValueSource = 'flag' | `env:${string}` | `file:${string}` | 'default';

/** The chosen profile of the config file (or none), with its secrets already read. */
export interface FileLayer {
  file: ConfigFile | null;
  profile: FileProfile | null;
  /** Why this profile: `--profile`, `QTOP_PROFILE`, `default_profile`, or a profile named `default`. */
  chosenBy: string | null;
  values: Partial<Record<LayerKey, LayerValue>>;
  /** Passwords read from `password_env`/`password_file`, for masking and for `qtop config`. */
  secrets: { broker: SecretOrigin | null; backend: SecretOrigin | null };
}

export interface SecretOrigin {
  password: string;
  /** e.g. `file:prod password_env=REDIS_PASSWORD`. */
  from: string;
}

/** The flags this module reads besides the layered keys. */
export interface ProfileFlags {
  config?: string;
  profile?: string;
}

/** No file, no profile: what callers pass to skip the file layer (tests, `env -i` style runs). */
export const emptyFileLayer: FileLayer = Object.freeze({
  file: null,
  profile: null,
  chosenBy: null,
  values: {},
  secrets: { broker: null, backend: null },
});

function readSecret(
  file: ConfigFile,
  profile: FileProfile,
  env: NodeJS.ProcessEnv,
  which: 'broker' | 'backend',
) {
  const [envKey, fileKey] =
    which === 'broker'
      ? ['password_env', 'password_file']
      : ['backend_password_env', 'backend_password_file'];
  const fromEnv = which === 'broker' ? profile.secrets.passwordEnv : profile.secrets.backendPasswordEnv;
  const fromFile = which === 'broker' ? profile.secrets.passwordFile : profile.secrets.backendPasswordFile;
  const where = (key: string) => `profiles.${profile.name}.${key}`;
  if (fromEnv !== undefined) {
    const value = env[fromEnv];
    if (value === undefined || value === '')
      throw fileError(file.path, where(envKey), `environment variable ${fromEnv} is not set`);
    return { password: value, from: `file:${profile.name} ${envKey}=${fromEnv}` };
  }
  if (fromFile !== undefined) {
    // Relative to the config file, so a profile and its secret file can move together.
    const secretPath = path.resolve(path.dirname(file.path), fromFile);
    try {
      const value = fs.readFileSync(secretPath, 'utf8').replace(/\r?\n$/, '');
      return { password: value, from: `file:${profile.name} ${fileKey}=${secretPath}` };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw fileError(file.path, where(fileKey), `cannot read ${secretPath} (${code})`);
    }
  }
  return null;
}

/** Read the config file and pick the profile: `--profile`, `QTOP_PROFILE`, `default_profile`, `default`. */
export function loadFileLayer(flags: ProfileFlags, env: NodeJS.ProcessEnv): FileLayer {
  const where = configPath(flags.config, env);
  const file = where.path === null ? null : readConfigFile(where.path, where.named);
  const [name, chosenBy] =
    flags.profile !== undefined
      ? [flags.profile, '--profile']
      : env.QTOP_PROFILE
        ? [env.QTOP_PROFILE, 'QTOP_PROFILE']
        : file?.defaultProfile
          ? [file.defaultProfile, 'default_profile']
          : file?.profiles.has('default')
            ? ['default', "the profile named 'default'"]
            : [null, null];
  if (name === null) return { ...emptyFileLayer, file };
  if (file === null)
    throw new UsageError(
      `profile '${name}' (${chosenBy}): no config file at ${where.path ?? '~/.config/qtop/config.toml'}`,
    );
  const profile = file.profiles.get(name);
  if (!profile) {
    const known = [...file.profiles.keys()].join(', ') || 'none';
    throw new UsageError(`${file.path}: no [profiles.${name}] table for ${chosenBy} (profiles: ${known})`);
  }
  const secrets = {
    broker: readSecret(file, profile, env, 'broker'),
    backend: readSecret(file, profile, env, 'backend'),
  };
  return { file, profile, chosenBy, values: { ...profile.values }, secrets };
}

/** `url` with `password` added as kombu reads it (`?password=`), unless the URL carries one already. */
export function withPassword(url: string, password: string): string {
  if (/^[a-z+]+:\/\/[^/@;?]*:[^@/;]*@/i.test(url) || /[?&]password=/.test(url)) return url;
  return `${url}${url.includes('?') ? '&' : '?'}password=${encodeURIComponent(password)}`;
}

/**
 * Each layered key's effective value and its source: a flag, else the first environment variable
 * set (checked; an error names the variable), else the profile, else nothing (resolveConfig's
 * default). The profile's password goes into whichever broker/backend URL won, if it has none.
 */
export function layerValues(
  flags: Partial<Record<LayerKey, LayerValue>>,
  env: NodeJS.ProcessEnv,
  layer: FileLayer,
): { values: Partial<Record<LayerKey, LayerValue>>; sources: Record<LayerKey, ValueSource> } {
  const values: Partial<Record<LayerKey, LayerValue>> = {};
  const sources = {} as Record<LayerKey, ValueSource>;
  for (const spec of keySpecs) {
    const flag = flags[spec.key];
    // commander defaults `--no-fanout-patterns` to true: only false means the flag was given.
    if (flag !== undefined && !(spec.key === 'fanoutPatterns' && flag === true)) {
      values[spec.key] = flag;
      sources[spec.key] = 'flag';
      continue;
    }
    const envName = spec.env.find((name) => env[name] !== undefined);
    if (envName !== undefined) {
      const parsed = parseValue(spec, env[envName]);
      if (!parsed.ok) throw new UsageError(`${envName}: ${parsed.reason}`);
      values[spec.key] = parsed.value;
      sources[spec.key] = `env:${envName}`;
    } else if (layer.values[spec.key] !== undefined) {
      values[spec.key] = layer.values[spec.key]!;
      sources[spec.key] = `file:${layer.profile?.name}`;
    } else sources[spec.key] = 'default';
  }
  const { broker, backend } = layer.secrets;
  // A profile with a password and no URL means the default broker with that password.
  if (broker && values.broker === undefined) values.broker = 'redis://localhost:6379/0';
  if (broker && typeof values.broker === 'string')
    values.broker = withPassword(values.broker, broker.password);
  if (backend && typeof values.backend === 'string')
    values.backend = withPassword(values.backend, backend.password);
  return { values, sources };
}
