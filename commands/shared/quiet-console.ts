/**
 * Libraries may write to the console (ioredis warns with `console.warn` when a password is
 * given to a server that needs none). qtop itself never uses the console, and stray lines
 * would corrupt the screen or a script's stderr, so they go nowhere unless QTOP_DEBUG is set.
 */
/** Returns a function that puts the console back. */
export function quietLibraryConsole(stderr: NodeJS.WritableStream, env: NodeJS.ProcessEnv): () => void {
  const saved = { ...console };
  const sink = (...args: unknown[]) => {
    if (env.QTOP_DEBUG) stderr.write(`qtop debug: ${args.map(String).join(' ')}\n`);
  };
  console.log = sink;
  console.info = sink;
  console.warn = sink;
  console.error = sink;
  console.debug = sink;
  return () => Object.assign(console, saved);
}
