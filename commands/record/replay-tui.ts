/**
 * `qtop replay FILE` on a terminal: the live screen over a playback of the recording. The screen
 * is given the playback's store facade and virtual clock (ages as they were, frames in real time),
 * the playback itself for the replay keys and header, and Controls that refuse every action with
 * the replay reason. Never connects to Redis.
 */
import { systemClock } from '../../src/base/clock.js';
import { exitCodes } from '../../src/base/exit-codes.js';
import { sanitize } from '../../src/output/sanitize.js';
import { createPlayback } from '../../src/record/playback.js';
import type { CliIo } from '../shared/io.js';
import { UsageError } from '../shared/usage-error.js';
import { parseAt } from './replay-at.js';
import { replayControls } from './replay-controls.js';
import { loadTimeline } from './replay-load.js';

export interface ReplayTuiOptions {
  file: string;
  speed: number;
  /** `--at`; default `start`. */
  at: string | undefined;
  /** `--label` and `--hide-args` of this run; the recording's own apply when not given. */
  label: string | undefined;
  hideArgs: boolean;
}

/** Play the recording on the screen until the operator leaves it. */
export async function runReplayTui(options: ReplayTuiOptions, io: CliIo): Promise<void> {
  const timeline = await loadTimeline(options.file);
  const at = parseAt(options.at ?? 'start', timeline);
  if (!at.ok) throw new UsageError(`--at ${at.reason}`);
  const playback = createPlayback(timeline, { clock: systemClock, at: at.at, speed: options.speed });
  // As in tui-run.ts: Ink renders only the last frame when it believes it runs in CI (is-in-ci
  // reads these when Ink is first imported), and React's development build doubles frame cost.
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  process.env.NODE_ENV ??= 'production';
  const { runScreen } = await import('../../views/render.js');
  playback.start();
  try {
    const end = await runScreen({
      store: playback.store,
      clock: playback.clock,
      controls: replayControls(),
      replay: playback,
      // The header comes from a file, not from the operator's flags: it is drawn sanitized.
      broker: sanitize(timeline.header.broker),
      label: options.label ?? (timeline.header.label === null ? null : sanitize(timeline.header.label)),
      hideArgs: options.hideArgs || timeline.header.hideArgs,
      env: io.env,
    });
    if (end.error !== null) {
      io.stderr.write(`qtop: ${end.error}\n`);
      io.setExitCode(exitCodes.internal);
    }
  } finally {
    playback.stop();
  }
}
