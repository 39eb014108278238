/**
 * `qtop hints`: collect for a window (rates need samples: one queue sample a second, task
 * events as they come), then print the hints report as text or as a `qtop/1` hints document.
 * Ctrl-C during the window answers early with what was collected.
 */

import { exitCodes } from '../../src/base/exit-codes.js';
import type { HintsReport } from '../../src/hints/maths/types.js';
import { selectHints } from '../../src/hints/select/select-hints.js';
import { jsonLine } from '../../src/output/json-line.js';
import { exitCodeFor, maskSecrets } from '../../src/redis/index.js';
import { selectSources } from '../../src/store/select-meta.js';
import type { RunConfig } from '../config/config.js';
import { openCollection, reportError } from '../live/collect.js';
import type { CliIo } from '../shared/io.js';
import { formatHintsText } from './text.js';

export interface HintsRunOptions {
  targetSec: number;
  waitTargetSec: number;
  windowMs: number;
  json: boolean;
}

/** What `qtop hints --json` prints (schema/qtop-1.schema.json, `$defs/hintsDocument`). */
export interface HintsDocument {
  schema: 'qtop/1';
  meta: {
    generatedAt: string;
    qtopVersion: string;
    broker: string;
    label: string | null;
    windowMs: number;
    complete: boolean;
  };
  hints: HintsReport;
}

/** The first full pass of every source is bounded by this (or the window, when shorter). */
const firstPassMs = 5_000;

/** Resolve at `untilMs` (ms, system clock), or at once on SIGINT/SIGTERM. */
function waitUntil(untilMs: number, now: () => number): Promise<void> {
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      process.off('SIGINT', finish);
      process.off('SIGTERM', finish);
      resolve();
    };
    const timer = setTimeout(finish, Math.max(0, untilMs - now()));
    process.on('SIGINT', finish);
    process.on('SIGTERM', finish);
  });
}

/**
 * Connect, collect for `windowMs` (one full pass, then live sampling), print the report and set
 * the exit code: 0, 5 when a source failed or the first pass did not finish, 3/4 when Redis is
 * unreachable (reported as one line, and as the error document with --json).
 */
export async function runHints(config: RunConfig, io: CliIo, options: HintsRunOptions): Promise<void> {
  const first = Math.min(options.windowMs, firstPassMs);
  const collection = await openCollection(config, io, first, options.json);
  if (collection === null) return;
  const { store, collector, clock, startedAt, secrets } = collection;
  try {
    const { complete } = await collector.collectOnce(first);
    collector.start();
    await waitUntil(startedAt + options.windowMs, () => clock.now());
    // Redis gone mid-collection: one line and exit 3, as at start (json-run does the same).
    const lost = await collector.connectionLost(1_000);
    if (lost) {
      reportError(io, lost.code, lost.message, exitCodeFor(lost.code), options.json);
      return;
    }
    const now = clock.now();
    const model = store.getModel();
    const report = selectHints(model, now, {
      targetSec: options.targetSec,
      waitTargetSec: options.waitTargetSec,
      visibilityTimeoutSec: config.wire.visibilityTimeout,
      windowSec: options.windowMs / 1000,
    });
    const meta = collection.meta(now - startedAt, complete, 0);
    if (options.json) {
      const doc: HintsDocument = {
        schema: 'qtop/1',
        meta: {
          generatedAt: new Date(now).toISOString(),
          qtopVersion: meta.qtopVersion,
          broker: meta.broker,
          label: meta.label,
          windowMs: meta.windowMs,
          complete,
        },
        hints: report,
      };
      io.stdout.write(`${jsonLine(doc, secrets)}\n`);
    } else {
      const text = formatHintsText(report, { collectedSec: meta.windowMs / 1000, label: meta.label });
      io.stdout.write(maskSecrets(text, secrets));
    }
    const failed = selectSources(model, now).some((s) => !s.ok && s.lastError !== null);
    io.setExitCode(failed || !complete ? exitCodes.partial : exitCodes.ok);
  } finally {
    await collector.stop();
  }
}
