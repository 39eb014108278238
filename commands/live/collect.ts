/**
 * One headless collection: the store, the collector wired to it, and the connection, shared
 * by `qtop --json` and `qtop hints` so both read the cluster the same way. Never loads Ink.
 */
import { type Clock, systemClock } from '../../src/base/clock.js';
import { ConnectError, exitCodeFor, maskUrl } from '../../src/redis/index.js';
import type { SnapshotMeta } from '../../src/snapshot/select-snapshot.js';
import { type Collector, createCollector } from '../../src/sources/collector.js';
import type { Action } from '../../src/store/actions.js';
import { createStore, type Store } from '../../src/store/store.js';
import { collectorSettings, liveWorkerNames, runTargets } from '../config/cluster-connect.js';
import type { RunConfig } from '../config/config.js';
import type { CliIo } from '../shared/io.js';
import { readVersion } from '../shared/version.js';

export interface Collection {
  store: Store;
  collector: Collector;
  clock: Clock;
  /** When collection began (before connecting), ms. */
  startedAt: number;
  /** Passwords to mask in anything printed. */
  secrets: (string | undefined)[];
  /** Snapshot meta for a run that has collected for `windowMs`. */
  meta(windowMs: number, complete: boolean, taskLimit: number): SnapshotMeta;
}

/** One JSON line on stdout for scripts (unless `json` is false), one plain line on stderr for people. */
export function reportError(io: CliIo, code: string, message: string, exitCode: number, json = true): void {
  if (json) io.stdout.write(`${JSON.stringify({ schema: 'qtop/1', error: { code, message } })}\n`);
  io.stderr.write(`qtop: ${message}\n`);
  io.setExitCode(exitCode);
}

/**
 * Build the store and collector for `config` and connect. `windowMs` bounds one inspect round
 * (60% of it, at least 200 ms, at most `--timeout`). A connection failure is reported (see
 * `reportError`) and gives null; an invalid URL throws a UsageError. `tap` sees every action
 * before the store and may hold it back (`qtop record`: what was not recorded is not applied
 * either, so the file and the store agree).
 */
export async function openCollection(
  config: RunConfig,
  io: CliIo,
  windowMs: number,
  json = true,
  tap?: (action: Action) => boolean,
): Promise<Collection | null> {
  const targets = runTargets(config);
  const secrets = [targets.broker.password, targets.backend?.password];
  const clock = systemClock;
  const store = createStore({ clock, config: config.model, notifyEveryMs: 0 });
  const collector = createCollector(
    collectorSettings(config, targets, {
      interactive: false,
      inspectTimeoutMs: Math.min(config.timeoutMs, Math.max(200, Math.round(windowMs * 0.6))),
      knownWorkers: liveWorkerNames(store, clock),
    }),
    tap
      ? (action) => {
          if (tap(action)) store.dispatch(action);
        }
      : store.dispatch,
    clock,
  );
  const startedAt = clock.now();
  const meta = (window: number, complete: boolean, taskLimit: number): SnapshotMeta => ({
    qtopVersion: readVersion(),
    broker: maskUrl(config.brokerUrl),
    backend: config.backendNote ? null : maskUrl(config.backendUrl),
    backendNote: config.backendNote,
    label: config.label,
    readOnly: config.readOnly,
    hideArgs: config.hideArgs,
    windowMs: window,
    complete,
    taskLimit,
  });
  try {
    await collector.connect();
  } catch (error) {
    if (error instanceof ConnectError) {
      reportError(io, error.code, error.message, exitCodeFor(error.code), json);
      return null;
    }
    throw error;
  }
  return { store, collector, clock, startedAt, secrets, meta };
}
