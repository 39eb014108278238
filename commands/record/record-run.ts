/**
 * `qtop record FILE`: collect like `qtop --json --watch` (read-only: the same sources, never a
 * write) and write every action the sources dispatch to FILE as a `qtop-record/1` recording,
 * until `--duration` or `--max-size` is reached or SIGINT/SIGTERM arrives. Lines are buffered and
 * written whole, so every stop leaves a complete last line; a crash leaves at most a cut last
 * line, which the reader tolerates.
 */
import fs from 'node:fs';
import { systemClock } from '../../src/base/clock.js';
import { exitCodes } from '../../src/base/exit-codes.js';
import { type RecordHeader, recordSchema } from '../../src/record/format.js';
import { createRecorder, type Recorder } from '../../src/record/recorder.js';
import { maskUrl } from '../../src/redis/index.js';
import type { Action } from '../../src/store/actions.js';
import type { Store } from '../../src/store/store.js';
import type { RunConfig } from '../config/config.js';
import { openCollection } from '../live/collect.js';
import { formatBytes } from '../shared/byte-size.js';
import type { CliIo } from '../shared/io.js';
import { readVersion } from '../shared/version.js';
import { checkFile, openFile } from './record-file.js';

export interface RecordOptions {
  file: string;
  maxBytes: number;
  durationMs: number;
  /** Replace an existing file instead of refusing. */
  force: boolean;
  /** Ends the recording like SIGINT (tests, embedding). */
  signal?: AbortSignal;
}

/** How a recording ended, for the caller (tests compare `store` with a replay of the file). */
export interface RecordResult {
  reason: string;
  actions: number;
  bytes: number;
  /** The store the recorded actions were applied to; it holds exactly what the file holds. */
  store: Store;
}

/** Buffered lines are written at least this often, so a reader of a running recording is not far behind. */
const flushEveryMs = 250;
/** The first full pass of every source is bounded by this, as for `--json`. */
const firstPassMs = 1_500;

/** `3600000` as `1h`, `180000` as `3m`, `90000` as `90s`: the way the flag was likely typed. */
function shortDuration(ms: number): string {
  const sec = ms / 1000;
  if (sec >= 3600 && sec % 3600 === 0) return `${sec / 3600}h`;
  if (sec >= 60 && sec % 60 === 0) return `${sec / 60}m`;
  return `${sec}s`;
}

/**
 * Resolve with the reason the recording should stop: the time bound, a full file, `signal`, or
 * SIGINT, SIGTERM or SIGHUP (a closed SSH session must not lose the buffered lines either).
 */
function stopWhen(durationMs: number, full: Promise<string>, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    const finish = (reason: string) => {
      clearTimeout(timer);
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      process.off('SIGHUP', onHup);
      signal?.removeEventListener('abort', onAbort);
      resolve(reason);
    };
    const onInt = () => finish('interrupted (SIGINT)');
    const onTerm = () => finish('interrupted (SIGTERM)');
    const onHup = () => finish('interrupted (SIGHUP)');
    const onAbort = () => finish('stopped');
    const timer = setTimeout(() => finish(`--duration ${shortDuration(durationMs)} reached`), durationMs);
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    process.on('SIGHUP', onHup);
    signal?.addEventListener('abort', onAbort);
    void full.then(finish);
  });
}

/** Record until a bound or a signal; null when Redis could not be reached (reported, exit 3/4). */
export async function runRecord(
  config: RunConfig,
  io: CliIo,
  options: RecordOptions,
): Promise<RecordResult | null> {
  checkFile(options.file, options.force);
  let fd = -1;
  let buffered: string[] = [];
  let recording = true;
  let writeError: string | null = null;
  let onFull: (reason: string) => void = () => {};
  const full = new Promise<string>((resolve) => {
    onFull = resolve;
  });
  // A failed write (disk full) ends the recording: what was written stays readable.
  const flush = () => {
    if (buffered.length === 0 || writeError !== null) return;
    try {
      fs.writeSync(fd, buffered.join(''));
    } catch (error) {
      writeError = `cannot write ${options.file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
      recording = false;
      onFull(writeError);
    }
    buffered = [];
  };
  // Actions that arrive before the header can be written (it needs the store) wait here.
  const waiting: Action[] = [];
  let recorder: Recorder | null = null;
  const tap = (action: Action): boolean => {
    if (!recording) return false;
    if (recorder === null) {
      waiting.push(action);
      return true;
    }
    if (recorder.record(action)) return true;
    recording = false;
    onFull(`--max-size ${formatBytes(options.maxBytes)} reached`);
    return false;
  };

  // Connect first: a broker qtop cannot reach leaves no file behind.
  const collection = await openCollection(config, io, firstPassMs, false, tap);
  if (collection === null) return null;
  const { store, collector, secrets } = collection;
  try {
    fd = openFile(options.file, options.force);
  } catch (error) {
    await collector.stop();
    throw error;
  }
  const model = store.getModel();
  const header: RecordHeader = {
    schema: recordSchema,
    qtopVersion: readVersion(),
    broker: maskUrl(config.brokerUrl),
    backend: config.backendNote ? null : maskUrl(config.backendUrl),
    backendNote: config.backendNote,
    startedAt: new Date(model.startedAt).toISOString(),
    model: { ...model.config },
    label: config.label,
    hideArgs: config.hideArgs,
    visibilityTimeoutSec: config.wire.visibilityTimeout,
  };
  recorder = createRecorder(header, {
    write: (line) => buffered.push(line),
    maxBytes: options.maxBytes,
    secrets,
  });
  for (const action of waiting.splice(0)) tap(action);
  const flusher = setInterval(flush, flushEveryMs);
  const startedAt = systemClock.now();
  let reason: string;
  try {
    const stop = stopWhen(options.durationMs, full, options.signal);
    // One full pass first, as `--json --watch` does, so the recording opens with the whole picture.
    const early = await Promise.race([collector.collectOnce(firstPassMs).then(() => null), stop]);
    if (early === null) collector.start();
    reason = early ?? (await stop);
  } finally {
    recording = false;
    clearInterval(flusher);
    await collector.stop();
    flush();
    fs.closeSync(fd);
  }
  const seconds = Math.round((systemClock.now() - startedAt) / 1000);
  io.stderr.write(
    `qtop: recording stopped, ${reason}: ${recorder.actions} actions, ${formatBytes(recorder.bytes)} over ${seconds}s in ${options.file}\n`,
  );
  if (writeError !== null) io.setExitCode(exitCodes.internal);
  return { reason, actions: recorder.actions, bytes: recorder.bytes, store };
}
