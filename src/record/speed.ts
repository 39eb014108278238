/**
 * Playback speeds, in a module of their own so `qtop --help` can name the range without loading
 * the store: 1/16 lets a burst of events be followed one by one, 1024 crosses an hour in 3.5 s.
 */
export const speedRange = { min: 1 / 16, max: 1024 } as const;

/** `speed` kept within `speedRange`. */
export function clampSpeed(speed: number): number {
  return Math.min(speedRange.max, Math.max(speedRange.min, speed));
}
