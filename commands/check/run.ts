/**
 * `qtop check`: collect one snapshot (a full pass of every source, then live sampling for the
 * rest of the window so heartbeats and rates arrive), judge it, print one Nagios status line or
 * a JSON document, and exit 0/1/2/3. Anything that stops the check from judging (Redis down,
 * refused, lost mid-way) is UNKNOWN (3), never a CRITICAL the cluster did not earn.
 */
import { PassThrough } from 'node:stream';
import { selectHints } from '../../src/hints/select/select-hints.js';
import { maskSecrets } from '../../src/redis/index.js';
import { selectSources } from '../../src/store/select-meta.js';
import { selectQueues } from '../../src/store/select-queues.js';
import { selectTaskNames } from '../../src/store/select-task-names.js';
import { selectWorkers } from '../../src/store/select-workers.js';
import type { RunConfig } from '../config/config.js';
import { openCollection } from '../live/collect.js';
import type { CliIo } from '../shared/io.js';
import { type CheckResult, evaluateCheck, type Status, statusExit } from './eval.js';
import { formatCheck, formatStatusLine } from './format.js';
import type { Thresholds } from './thresholds.js';

export interface CheckRunOptions {
  windowMs: number;
  targetSec: number;
  waitTargetSec: number;
  json: boolean;
}

/** What `qtop check --json` prints. */
export interface CheckDocument {
  schema: 'qtop/1';
  check: CheckResult & { exitCode: number; label: string | null; windowMs: number };
}

/** Print an UNKNOWN result (the check could not judge), as a line or a document, and exit 3. */
export function reportUnknown(io: CliIo, summary: string, json: boolean, label: string | null = null): void {
  if (json) {
    const check = {
      status: 'unknown' as Status,
      summary,
      problems: [],
      perfdata: [],
      exitCode: 3,
      label,
      windowMs: 0,
    };
    io.stdout.write(`${JSON.stringify({ schema: 'qtop/1', check } satisfies CheckDocument)}\n`);
  } else io.stdout.write(formatStatusLine('unknown', summary));
  io.setExitCode(statusExit.unknown);
}

/** The first full pass of every source is bounded by this (or the window, when shorter). */
const firstPassMs = 5_000;

/** Run the check on `config` with thresholds `t`. */
export async function runCheck(
  config: RunConfig,
  io: CliIo,
  t: Thresholds,
  options: CheckRunOptions,
): Promise<void> {
  // openCollection reports a connection failure on stderr with exit 3 or 4; a plugin must say
  // UNKNOWN on stdout with exit 3, so it gets an io that only records the message.
  let failure = '';
  const quiet = new PassThrough();
  quiet.on('data', (chunk) => {
    failure += chunk;
  });
  const captured: CliIo = { ...io, stdout: new PassThrough().resume(), stderr: quiet, setExitCode: () => {} };
  const first = Math.min(options.windowMs, firstPassMs);
  const collection = await openCollection(config, captured, first, false);
  if (collection === null) {
    reportUnknown(io, failure.replace(/^qtop: /, '').trim() || 'cannot connect', options.json, config.label);
    return;
  }
  const { store, collector, clock, startedAt, secrets } = collection;
  try {
    const { complete } = await collector.collectOnce(first);
    collector.start();
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, startedAt + options.windowMs - clock.now())),
    );
    const lost = await collector.connectionLost(1_000);
    if (lost) {
      reportUnknown(io, maskSecrets(lost.message, secrets), options.json, config.label);
      return;
    }
    const now = clock.now();
    const model = store.getModel();
    const failed = selectSources(model, now).filter((s) => !s.ok && s.lastError !== null);
    const partial =
      failed.length > 0
        ? `${failed.map((s) => s.source).join(', ')} failed`
        : complete
          ? null
          : 'the first pass did not finish';
    const hints = selectHints(model, now, {
      targetSec: options.targetSec,
      waitTargetSec: options.waitTargetSec,
      visibilityTimeoutSec: config.wire.visibilityTimeout,
      windowSec: options.windowMs / 1000,
    });
    const input = {
      queues: selectQueues(model, now),
      workers: selectWorkers(model, now),
      taskNames: selectTaskNames(model, now),
      hints,
      partial,
    };
    const result = evaluateCheck(input, t);
    const exitCode = statusExit[result.status];
    if (options.json) {
      const check = { ...result, exitCode, label: config.label, windowMs: now - startedAt };
      io.stdout.write(
        `${maskSecrets(JSON.stringify({ schema: 'qtop/1', check } satisfies CheckDocument), secrets)}\n`,
      );
    } else io.stdout.write(maskSecrets(formatCheck(result), secrets));
    io.setExitCode(exitCode);
  } finally {
    await collector.stop();
  }
}
