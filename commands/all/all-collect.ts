/**
 * One qtop/1 snapshot per configured profile, all profiles at once: each runs the same headless
 * collection as `qtop --json` on its own captured output, so a slow or unreachable cluster never
 * holds the others back, and each is cut off at `--timeout` + 1 s whatever it is waiting on.
 */

import type { ClusterEntry } from '../../src/snapshot/all-rows.js';
import type { Snapshot } from '../../src/snapshot/select-snapshot.js';
import type { GlobalFlags, RunConfig } from '../config/config.js';
import { contextConfig, profileNames } from '../config/context-config.js';
import { UsageError } from '../shared/usage-error.js';
import { capturedIo } from './captured-io.js';

export interface CollectAllOptions {
  windowMs: number;
  limit: number;
}

/** Each profile's run configuration, or why it has none (a missing password_env, a bad URL). */
export function profileConfigs(
  flags: GlobalFlags,
  env: NodeJS.ProcessEnv,
): { name: string; config: RunConfig | null; error: string | null }[] {
  const known = profileNames(flags, env);
  if (known.error !== null) throw new UsageError(`--all reads the config file's profiles: ${known.error}`);
  if (known.names.length === 0) throw new UsageError('--all: the config file has no profiles');
  return known.names.map((name) => {
    try {
      return { name, config: contextConfig(name, flags, env), error: null };
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      return { name, config: null, error: error.message };
    }
  });
}

/** The snapshot (or error) of one profile, within `config.timeoutMs` + 1 s. */
export async function collectOne(
  name: string,
  config: RunConfig,
  env: NodeJS.ProcessEnv,
  options: CollectAllOptions,
): Promise<ClusterEntry> {
  const { runJson } = await import('../live/json-run.js');
  const captured = capturedIo(env);
  const limitMs = config.timeoutMs + 1_000;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), limitMs);
  });
  try {
    const run = runJson(config, captured.io, { watch: false, intervalMs: 2_000, ...options }).then(
      () => 'done' as const,
    );
    const outcome = await Promise.race([run, late]);
    if (outcome === 'late') {
      // Its sockets give up by themselves at --timeout; the answer does not wait for them.
      run.catch(() => {});
      return {
        name,
        error: { code: 'timeout', message: `no answer within ${limitMs / 1000} s (--timeout + 1 s)` },
      };
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return { name, error: { code: 'config', message: error.message } };
  } finally {
    clearTimeout(timer);
  }
  const line = captured.stdout().trim().split('\n')[0] ?? '';
  try {
    const parsed = JSON.parse(line) as Snapshot | { error: { code: string; message: string } };
    if ('error' in parsed) return { name, error: parsed.error };
    return { name, snapshot: parsed };
  } catch {
    const message =
      captured
        .stderr()
        .replace(/^qtop: /, '')
        .trim() || 'no snapshot';
    return { name, error: { code: 'failed', message } };
  }
}

/** Every profile's entry, in the config file's order, collected concurrently. */
export async function collectAll(
  flags: GlobalFlags,
  env: NodeJS.ProcessEnv,
  options: CollectAllOptions,
): Promise<ClusterEntry[]> {
  return Promise.all(
    profileConfigs(flags, env).map(({ name, config, error }) =>
      config === null
        ? Promise.resolve<ClusterEntry>({ name, error: { code: 'config', message: error ?? 'invalid' } })
        : collectOne(name, config, env, options),
    ),
  );
}
