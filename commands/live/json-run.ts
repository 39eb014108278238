/**
 * `qtop --json` and `qtop --json --watch`: the headless path. Same sources, store and
 * selectors as the screen, serialized as schema qtop/1. Never loads Ink or React.
 */
import { exitCodes } from '../../src/base/exit-codes.js';
import { jsonLine } from '../../src/output/json-line.js';
import { exitCodeFor } from '../../src/redis/index.js';
import { selectSnapshot } from '../../src/snapshot/select-snapshot.js';
import type { RunConfig } from '../config/config.js';
import type { CliIo } from '../shared/io.js';
import { openCollection, reportError } from './collect.js';

export interface JsonRunOptions {
  watch: boolean;
  intervalMs: number;
  windowMs: number;
  limit: number;
}

export async function runJson(config: RunConfig, io: CliIo, options: JsonRunOptions): Promise<void> {
  const collection = await openCollection(config, io, options.windowMs);
  if (collection === null) return;
  const { store, collector, clock, startedAt, secrets } = collection;
  // The broker's visibility_timeout (--visibility-timeout) decides the redelivery findings.
  const hintOptions = { visibilityTimeoutSec: config.wire.visibilityTimeout };
  const write = (windowMs: number, complete: boolean) => {
    const meta = collection.meta(windowMs, complete, options.limit);
    const snapshot = selectSnapshot(store.getModel(), clock.now(), meta, hintOptions);
    io.stdout.write(`${jsonLine(snapshot, secrets)}\n`);
    return snapshot;
  };

  try {
    const { complete } = await collector.collectOnce(options.windowMs);
    // Redis gone mid-collection (or frozen: then the window ended early): one line and exit 3, as at start.
    const lost = await collector.connectionLost(complete ? undefined : 1_000);
    if (lost) {
      reportError(io, lost.code, lost.message, exitCodeFor(lost.code));
      return;
    }
    if (!options.watch) {
      const snapshot = write(clock.now() - startedAt, complete);
      const failed = Object.values(snapshot.meta.sources).some((source) => source.state === 'failed');
      io.setExitCode(failed || !complete ? exitCodes.partial : exitCodes.ok);
      return;
    }
    write(clock.now() - startedAt, complete);
    collector.start();
    await new Promise<void>((resolve) => {
      const interval = setInterval(() => write(options.intervalMs, true), options.intervalMs);
      const finish = () => {
        clearInterval(interval);
        process.off('SIGINT', finish);
        process.off('SIGTERM', finish);
        resolve();
      };
      process.on('SIGINT', finish);
      process.on('SIGTERM', finish);
      // Snapshots of a cluster qtop cannot see help no one: unreachable for --timeout, it ends (exit 3).
      collector.giveUpAfter(config.timeoutMs, (failure) => {
        reportError(io, failure.code, failure.message, exitCodeFor(failure.code));
        finish();
      });
    });
  } finally {
    await collector.stop();
  }
}
