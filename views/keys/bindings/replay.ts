/**
 * Keys of the replay screen (`qtop replay`): pause, seek and speed. Their scope, `replay`, is
 * live only when the screen plays a recording, so on a live cluster these keys are not bound, and
 * the footer and help show them only in a replay. None of these keys is bound in a view or list
 * scope, so no view key shadows them (test/views/replay-keys.test.ts holds that).
 */
import { speedRange } from '../../../src/record/speed.js';
import type { Binding } from '../context/binding.js';
import type { CommandContext } from '../context/command-context.js';

const shortSeekMs = 10_000;
const longSeekMs = 60_000;

function seek(ms: number): Pick<Binding, 'disabledReason' | 'run'> {
  return {
    disabledReason: (ctx: CommandContext) => {
      const status = ctx.replay?.status();
      if (!status) return 'not a replay';
      if (ms < 0 && status.at <= status.startAt) return 'at the start of the recording';
      if (ms > 0 && status.ended) return 'at the end of the recording';
      return null;
    },
    run: (ctx) => ctx.replay?.seekBy(ms),
  };
}

function speed(factor: number): Pick<Binding, 'disabledReason' | 'run'> {
  return {
    disabledReason: (ctx: CommandContext) => {
      const status = ctx.replay?.status();
      if (!status) return 'not a replay';
      const next = status.speed * factor;
      if (factor > 1 && next > speedRange.max) return `already the fastest (${speedRange.max}x)`;
      if (factor < 1 && next < speedRange.min) return `already the slowest (1/${1 / speedRange.min}x)`;
      return null;
    },
    run: (ctx) => ctx.replay?.changeSpeed(factor),
  };
}

/** The replay keys; see the module comment. */
export const replayBindings: Binding[] = [
  {
    id: 'replay.pause',
    keys: ['space'],
    scopes: ['replay'],
    label: 'play/pause',
    footer: true,
    help: 'Pause or resume the recorded time (p instead freezes the view while the time runs).',
    disabledReason: (ctx) => (ctx.replay ? null : 'not a replay'),
    run: (ctx) => ctx.replay?.togglePause(),
  },
  {
    id: 'replay.back',
    keys: ['left'],
    scopes: ['replay'],
    label: '-10s',
    footer: true,
    help: 'Go back 10 seconds in the recording (its store is rebuilt from the start).',
    ...seek(-shortSeekMs),
  },
  {
    id: 'replay.forward',
    keys: ['right'],
    scopes: ['replay'],
    label: '+10s',
    footer: true,
    help: 'Go forward 10 seconds in the recording.',
    ...seek(shortSeekMs),
  },
  {
    id: 'replay.back-minute',
    keys: ['['],
    scopes: ['replay'],
    label: '-1m',
    help: 'Go back one minute in the recording.',
    ...seek(-longSeekMs),
  },
  {
    id: 'replay.forward-minute',
    keys: [']'],
    scopes: ['replay'],
    label: '+1m',
    help: 'Go forward one minute in the recording.',
    ...seek(longSeekMs),
  },
  {
    id: 'replay.slower',
    keys: ['<'],
    scopes: ['replay'],
    label: 'slower',
    help: 'Halve the playback speed (down to 1/16x).',
    ...speed(0.5),
  },
  {
    id: 'replay.faster',
    keys: ['>'],
    scopes: ['replay'],
    label: 'faster',
    footer: true,
    help: 'Double the playback speed (up to 1024x).',
    ...speed(2),
  },
];
