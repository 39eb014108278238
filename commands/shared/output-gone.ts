/**
 * Whether a write error on stdout or stderr means the reader went away, which ends qtop the
 * way SIGTERM does: EPIPE when a pipe's reader exits (`qtop --json --watch | head -1`), EIO
 * when the terminal hung up (a closed SSH session or tmux pane). Rethrowing EIO made Node 20.20
 * die in its exit path with a segfault in libgcc_s, 3 of 3 times with tmux kill-session.
 */
export function isReaderGone(error: NodeJS.ErrnoException): boolean {
  return error.code === 'EPIPE' || error.code === 'EIO';
}
