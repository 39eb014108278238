/**
 * How meaning is drawn: colour when the terminal has it, and always a word or symbol too, so
 * `NO_COLOR`, `TERM=dumb` and colour-blind operators lose nothing (https://no-color.org).
 */
import type { WorkerState } from '../../src/store/worker-state.js';

/** What a piece of text means; panels pick a tone, the theme picks the colour. */
export type Tone = 'ok' | 'bad' | 'warn' | 'active' | 'dim' | 'accent' | 'plain';

/** How the screen may draw on this terminal. */
export interface Theme {
  /** False under NO_COLOR or TERM=dumb: no colour at all. */
  color: boolean;
  /** True under TERM=dumb: ASCII glyphs, no inverse video. */
  ascii: boolean;
}

/** The theme for an environment: NO_COLOR (any value) and TERM=dumb turn colour off. */
export function themeFor(env: NodeJS.ProcessEnv): Theme {
  const dumb = env.TERM === 'dumb';
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return { color: !dumb && !noColor, ascii: dumb };
}

const toneColors: Record<Tone, string | undefined> = {
  ok: 'green',
  bad: 'red',
  warn: 'yellow',
  active: 'cyan',
  dim: 'gray',
  accent: 'magenta',
  plain: undefined,
};

/** The Ink colour for a tone, or undefined when the theme has no colour. */
export function toneColor(theme: Theme, tone: Tone | undefined): string | undefined {
  return theme.color && tone ? toneColors[tone] : undefined;
}

const taskGlyphs: Record<string, [string, string, Tone]> = {
  SUCCESS: ['✓', '+', 'ok'],
  FAILURE: ['✗', 'x', 'bad'],
  STARTED: ['▶', '>', 'active'],
  RECEIVED: ['•', '*', 'plain'],
  PENDING: ['…', '.', 'dim'],
  RETRY: ['↻', 'r', 'warn'],
  REVOKED: ['⊘', '/', 'warn'],
  REJECTED: ['⊘', '/', 'bad'],
};

/** A task state as symbol + word (`✗ FAILURE`) and its tone; custom states get a '?' symbol. */
export function taskState(theme: Theme, state: string): { text: string; tone: Tone } {
  const [glyph, ascii, tone] = taskGlyphs[state] ?? ['?', '?', 'plain'];
  return { text: `${theme.ascii ? ascii : glyph} ${state}`, tone };
}

const workerGlyphs: Record<WorkerState, [string, string, Tone, string]> = {
  online: ['●', '+', 'ok', 'online'],
  offline: ['○', '-', 'dim', 'offline'],
  lost: ['✗', 'x', 'bad', 'lost'],
  'pidbox-only': ['?', '?', 'warn', 'pidbox'],
};

/** A worker state as symbol + word (`✗ lost`) and its tone. */
export function workerStateText(theme: Theme, state: WorkerState): { text: string; tone: Tone } {
  const [glyph, ascii, tone, word] = workerGlyphs[state];
  return { text: `${theme.ascii ? ascii : glyph} ${word}`, tone };
}
