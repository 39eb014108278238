import type { Tone } from './theme.js';

/** One styled piece of a line. */
export interface Segment {
  text: string;
  tone?: Tone;
  bold?: boolean;
  inverse?: boolean;
  /** A background colour (only with colour on): the environment label. */
  background?: string;
}
