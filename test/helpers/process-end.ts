/**
 * Run `cleanup` (synchronous) when this process exits or is ended by SIGTERM, SIGINT or SIGHUP.
 * Vitest ends its forks with SIGTERM, on which 'exit' is not emitted, so helpers that start
 * processes (redis-server, Celery workers, tmux servers) register here to never leak them.
 * After cleaning up on a signal it re-raises it, so the process still dies of that signal,
 * unless someone else also listens and so has taken charge of it.
 */
export function onProcessEnd(cleanup: () => void): void {
  process.on('exit', cleanup);
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    const handler = () => {
      cleanup();
      process.off(signal, handler);
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, handler);
  }
}
