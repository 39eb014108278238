/**
 * The config file: where it lives (XDG), reading it with a maintained TOML parser, and checking
 * every key of every `[profiles.NAME]` table up front, so a typo in a profile you are not using
 * today still fails loudly, as one line naming the file, the key and the reason.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Toml from 'smol-toml';
import { UsageError } from '../shared/usage-error.js';
import { type KeySpec, keySpecs, type LayerKey, type LayerValue, parseValue } from './config-keys.js';

/** Where a secret comes from instead of the URL: an environment variable or a file. */
export interface SecretSources {
  passwordEnv?: string;
  passwordFile?: string;
  backendPasswordEnv?: string;
  backendPasswordFile?: string;
}

/** One `[profiles.NAME]` table, checked. */
export interface FileProfile {
  name: string;
  values: Partial<Record<LayerKey, LayerValue>>;
  secrets: SecretSources;
  /** The `[profiles.NAME.check]` table, checked by `qtop check` (it knows the thresholds). */
  check: Record<string, unknown> | null;
}

/** A parsed config file. */
export interface ConfigFile {
  path: string;
  defaultProfile: string | null;
  profiles: Map<string, FileProfile>;
}

const secretKeys: Record<string, keyof SecretSources> = {
  password_env: 'passwordEnv',
  password_file: 'passwordFile',
  backend_password_env: 'backendPasswordEnv',
  backend_password_file: 'backendPasswordFile',
};
const specByToml = new Map<string, KeySpec>(keySpecs.map((spec) => [spec.toml, spec]));

/** A bad value in the file: `FILE: KEY: REASON`, exit 2 like every usage error. */
export function fileError(file: string, key: string, reason: string): UsageError {
  return new UsageError(`${file}: ${key}: ${reason}`);
}

/**
 * The config file to read and whether the user named it: `--config FILE`, else `QTOP_CONFIG`,
 * else `$XDG_CONFIG_HOME/qtop/config.toml` (default `~/.config`). Only the environment given is
 * read (not `os.homedir()`), so tests and `env -i` runs see no developer's file.
 */
export function configPath(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
): { path: string | null; named: boolean } {
  const named = flag ?? env.QTOP_CONFIG;
  if (named) return { path: path.resolve(named), named: true };
  const base = env.XDG_CONFIG_HOME || (env.HOME ? path.join(env.HOME, '.config') : null);
  return { path: base ? path.join(base, 'qtop', 'config.toml') : null, named: false };
}

function parseToml(file: string, text: string): Record<string, unknown> {
  // Loaded only when a file exists, so `qtop --help` without one never pays for the parser.
  const { parse, TomlError } = createRequire(import.meta.url)('smol-toml') as typeof Toml;
  try {
    return parse(text) as Record<string, unknown>;
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const reason = error.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
    throw new UsageError(`${file}:${error.line}:${error.column}: invalid TOML: ${reason}`);
  }
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function checkProfile(file: string, name: string, table: Record<string, unknown>): FileProfile {
  const profile: FileProfile = { name, values: {}, secrets: {}, check: null };
  for (const [key, raw] of Object.entries(table)) {
    const where = `profiles.${name}.${key}`;
    const spec = specByToml.get(key);
    if (spec) {
      const parsed = parseValue(spec, raw);
      if (!parsed.ok) throw fileError(file, where, parsed.reason);
      profile.values[spec.key] = parsed.value;
    } else if (key in secretKeys) {
      if (typeof raw !== 'string' || raw === '') throw fileError(file, where, 'must be a non-empty string');
      profile.secrets[secretKeys[key]!] = raw;
    } else if (key === 'check') {
      if (!isTable(raw)) throw fileError(file, where, 'must be a table ([profiles.NAME.check])');
      profile.check = raw;
    } else {
      throw fileError(
        file,
        where,
        `unknown key (known: ${[...specByToml.keys(), ...Object.keys(secretKeys)].join(', ')}, check)`,
      );
    }
  }
  return profile;
}

/** Read and check the file; null when it does not exist and was not named. */
export function readConfigFile(file: string, named: boolean): ConfigFile | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !named) return null;
    throw new UsageError(`${file}: cannot read the config file (${code ?? String(error)})`);
  }
  const doc = parseToml(file, text);
  const out: ConfigFile = { path: file, defaultProfile: null, profiles: new Map() };
  for (const [key, value] of Object.entries(doc)) {
    if (key === 'default_profile') {
      if (typeof value !== 'string') throw fileError(file, key, 'must be a profile name (a string)');
      out.defaultProfile = value;
    } else if (key === 'profiles') {
      if (!isTable(value)) throw fileError(file, key, 'must hold [profiles.NAME] tables');
      for (const [name, table] of Object.entries(value)) {
        if (!isTable(table)) throw fileError(file, `profiles.${name}`, 'must be a table');
        out.profiles.set(name, checkProfile(file, name, table));
      }
    } else {
      throw fileError(file, key, 'unknown top-level key (settings go in [profiles.NAME] tables)');
    }
  }
  if (out.defaultProfile !== null && !out.profiles.has(out.defaultProfile)) {
    throw fileError(file, 'default_profile', `no [profiles.${out.defaultProfile}] table`);
  }
  return out;
}
