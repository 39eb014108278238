/**
 * Poll `cond` every `intervalMs` (default 50) until it returns true; reject after `timeoutMs` with an
 * error naming `what`. Tests against real processes must wait for an observable state instead of
 * sleeping a guessed time: sleeps are both slower and flakier on a loaded 2-core machine.
 *
 * `what` may be a function, to describe the last state seen when the wait times out.
 *
 * An exception thrown by `cond` counts as "not yet" (a key that is not there yet, a connection
 * that is still coming up); the last one is quoted in the timeout error so failures explain
 * themselves.
 */
export async function waitFor(
  cond: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string | (() => string),
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await cond()) return;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError === undefined ? '' : ` (last error: ${String(lastError)})`;
      const described = typeof what === 'function' ? what() : what;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${described}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
