/**
 * Process exit codes of every qtop command, one table so scripts and monitoring can rely on them:
 *
 * - `ok` 0: done, all requested data read.
 * - `internal` 1: a bug or an unexpected failure (also what Node uses for an uncaught exception).
 * - `usage` 2: bad flags, arguments or broker URL (commander's convention); nothing was contacted.
 *   Also a control command refused before it wrote anything: `--read-only`, or a mass action
 *   (purge, bulk retry, shutdown) without `--confirm NAME`, or a retry that cannot be exact.
 * - `connect` 3: Redis could not be reached or used: refused, timed out, TLS, Sentinel, missing db.
 * - `auth` 4: Redis answered but refused us: wrong or missing password, ACL NOPERM.
 *   Separate from 3 because retrying will not help; the credentials or ACL must change.
 * - `partial` 5: connected, but some data could not be read (a source failed or timed out), so
 *   the output is incomplete; JSON output says which parts are missing. For a control command: one
 *   or more workers answered with an error or did not answer in time.
 * - `notFound` 6: a control command named a task id, worker, queue or task name that does not exist
 *   (or no longer holds what was asked for), so nothing was done; the message says what is known.
 * - `interrupted` 130: Ctrl-C / SIGTERM ended a control command (128 + SIGINT, as shells report it);
 *   its reply binding and reply lists were still removed.
 */
export const exitCodes = Object.freeze({
  ok: 0,
  internal: 1,
  usage: 2,
  connect: 3,
  auth: 4,
  partial: 5,
  notFound: 6,
  interrupted: 130,
} as const);

export type ExitCodeName = keyof typeof exitCodes;
export type ExitCode = (typeof exitCodes)[ExitCodeName];
