/**
 * `qtop --json --replay FILE [--at TIME]`: the qtop/1 snapshot a recording's store held at TIME,
 * through the same selectors as a live snapshot; `meta.replay` says it is a replay and of what.
 * Never connects to Redis and never loads Ink.
 */
import { jsonLine } from '../../src/output/json-line.js';
import { storeAt } from '../../src/record/replay.js';
import { type Snapshot, type SnapshotMeta, selectSnapshot } from '../../src/snapshot/select-snapshot.js';
import type { CliIo } from '../shared/io.js';
import { UsageError } from '../shared/usage-error.js';
import { readVersion } from '../shared/version.js';
import { parseAt } from './replay-at.js';
import { loadTimeline } from './replay-load.js';

export interface ReplayJsonOptions {
  file: string;
  /** `--at`; default `end`. */
  at: string | undefined;
  json: boolean;
  watch: boolean;
  limit: number;
  /** `--label` and `--hide-args` of this run; the recording's own apply when not given. */
  label: string | undefined;
  hideArgs: boolean;
}

/** Print the snapshot at `--at` (exit 0), or throw a UsageError. */
export async function runReplayJson(options: ReplayJsonOptions, io: CliIo): Promise<void> {
  if (!options.json)
    throw new UsageError(`--replay goes with --json; to watch a recording: qtop replay ${options.file}`);
  if (options.watch)
    throw new UsageError(
      '--watch does not go with --replay: use --at TIME for one moment, or qtop replay FILE',
    );
  const timeline = await loadTimeline(options.file);
  const at = parseAt(options.at ?? 'end', timeline);
  if (!at.ok) throw new UsageError(`--at ${at.reason}`);
  const { header } = timeline;
  const { store, applied } = storeAt(timeline, at.at);
  const meta: SnapshotMeta = {
    qtopVersion: readVersion(),
    broker: header.broker,
    backend: header.backend,
    backendNote: header.backendNote,
    label: options.label ?? header.label,
    // A replay cannot write: there is no cluster behind it.
    readOnly: true,
    hideArgs: options.hideArgs || header.hideArgs,
    windowMs: at.at - timeline.startAt,
    complete: true,
    taskLimit: options.limit,
  };
  const live = selectSnapshot(store.getModel(), at.at, meta, {
    visibilityTimeoutSec: header.visibilityTimeoutSec,
  });
  const snapshot: Snapshot = {
    ...live,
    meta: {
      ...live.meta,
      replay: {
        file: options.file,
        recordedBy: header.qtopVersion,
        startedAt: new Date(timeline.startAt).toISOString(),
        endedAt: new Date(timeline.endAt).toISOString(),
        atSec: (at.at - timeline.startAt) / 1000,
        actionsApplied: applied,
        actionsTotal: timeline.actions.length,
        truncated: timeline.truncated,
      },
    },
  };
  io.stdout.write(`${jsonLine(snapshot)}\n`);
}
