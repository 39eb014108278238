/**
 * How a control subcommand runs: config from the global flags, `--read-only` refusal before any
 * connection, connect (exit 3/4 with one line), an up-front write-permission probe for write commands
 * (exit 4), Ctrl-C wired to an AbortSignal (rounds clean up their reply binding, exit 130), then the
 * action, its outcome printed as text or `--json`, and the exit code of its kind (control-outcome.ts).
 */
import type { Redis } from 'ioredis';
import { systemClock } from '../../src/base/clock.js';
import type { WireOptions } from '../../src/celery/options.js';
import { type ControlOutcome, readOnlyModeReason } from '../../src/control/controls.js';
import { ConnectError, exitCodeFor, maskSecrets } from '../../src/redis/index.js';
import { connectControlClients, runTargets } from '../config/cluster-connect.js';
import { type GlobalFlags, type RunConfig, resolveConfig } from '../config/config.js';
import type { CliIo } from '../shared/io.js';
import { quietLibraryConsole } from '../shared/quiet-console.js';
import { UsageError } from '../shared/usage-error.js';
import { type ControlLookup, emptyLookup } from './context.js';
import { type ControlsHandle, createControls, probeWriteAccess } from './controls.js';
import { exitCodeOf, outcome } from './outcome.js';
import { printOutcome } from './print.js';

/** What an action gets: the controls, plus the clients for the few reads a CLI confirmation needs. */
export interface ControlRunEnv {
  controls: ControlsHandle;
  broker: Redis;
  backend: Redis | null;
  wire: WireOptions;
  config: RunConfig;
  lookup: ControlLookup;
}

/** How one subcommand runs: its name, whether it writes, and what to read first. */
export interface ControlRunSpec {
  /** Shown in JSON output: `revoke`, `queue pause`, ... */
  command: string;
  /** A write: refused under --read-only (exit 2) and for users without write permission (exit 4). */
  write: boolean;
  /** Fill the lookup before acting (bulk retry reads the result backend into a model). */
  prepare?: (env: Omit<ControlRunEnv, 'controls' | 'lookup'>, signal: AbortSignal) => Promise<ControlLookup>;
  /** Extra context fields, e.g. how long shutdown watches. */
  shutdownWaitMs?: number;
}

type Flags = GlobalFlags & { json?: boolean };

/** Run one control subcommand to its exit code; never throws for expected failures. */
export async function runControl(
  io: CliIo,
  flags: Flags,
  spec: ControlRunSpec,
  action: (env: ControlRunEnv) => Promise<ControlOutcome>,
): Promise<void> {
  const restoreConsole = quietLibraryConsole(io.stderr, io.env);
  const json = flags.json === true;
  const clients: Redis[] = [];
  let secrets: (string | undefined)[] = [];
  const abort = new AbortController();
  const onSignal = () => abort.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const finish = (result: ControlOutcome) => {
    printOutcome(io, spec.command, result, json, (text) => maskSecrets(text, secrets));
    io.setExitCode(exitCodeOf(result));
  };
  let controls: ControlsHandle | null = null;
  try {
    const config = resolveConfig(flags, io.env);
    if (spec.write && config.readOnly) {
      return finish(outcome('refused', `refused: ${readOnlyModeReason}`));
    }
    const targets = runTargets(config);
    secrets = [targets.broker.password, targets.backend?.password];
    const { broker, backend, wire } = await connectControlClients(config, targets, false, clients);
    const denied = spec.write ? await probeWriteAccess(broker, wire) : null;
    if (denied) return finish(outcome('no-permission', `refused: ${denied}`));
    const base = { broker, backend, wire, config };
    const lookup = spec.prepare ? await spec.prepare(base, abort.signal) : emptyLookup;
    controls = createControls({
      broker,
      backend,
      wire,
      clock: systemClock,
      readOnly: false,
      lookup,
      timeoutMs: config.timeoutMs,
      beatPrefix: config.beat.prefix,
      shutdownWaitMs: spec.shutdownWaitMs,
      signal: abort.signal,
    });
    finish(await action({ ...base, controls, lookup }));
  } catch (error) {
    if (error instanceof UsageError) finish(outcome('refused', error.message));
    else if (error instanceof ConnectError) {
      // exitCodeFor: 4 for auth/noperm, 3 otherwise; the kinds below map to the same codes.
      finish(outcome(exitCodeFor(error.code) === 4 ? 'no-permission' : 'unreachable', error.message));
    } else if (abort.signal.aborted) finish(outcome('interrupted', `${spec.command} interrupted`));
    else throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    controls?.close();
    for (const client of new Set(clients)) client.disconnect();
    restoreConsole();
  }
}
