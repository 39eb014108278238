/**
 * When the soonest age on screen changes its text. `formatAge` notes every age it formats; the
 * frame source (view-frame.ts) takes the note after each frame and, while the store stands
 * still, draws the next frame only when a visible age would read differently: a screen with
 * no age on it costs nothing between data changes, one with `3s` on it redraws once a second,
 * one whose ages are all in hours once a minute.
 */

let soonestMs = Number.POSITIVE_INFINITY;

/** An age of `sec` seconds was drawn: its text (format.ts) changes at the next whole unit. */
export function noteAge(sec: number): void {
  const unit = sec < 3600 ? 1 : sec < 86_400 ? 60 : 3600;
  const ms = (unit - (sec % unit)) * 1000;
  if (ms < soonestMs) soonestMs = ms;
}

/** Ms from the frame's time until the soonest noted age changes (Infinity: none drawn); resets. */
export function takeAgeChange(): number {
  const ms = soonestMs;
  soonestMs = Number.POSITIVE_INFINITY;
  return ms;
}
