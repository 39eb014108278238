/**
 * Building `ControlOutcome`s, and the one table from outcome kind to process exit code. Pure, so the
 * rules (what counts as partial, what a worker's reply says) are unit-tested without Redis.
 */

import { type ExitCode, exitCodes } from '../../src/base/exit-codes.js';
import type { Json } from '../../src/celery/types.js';
import type { ControlOutcome, OutcomeKind, WorkerReply } from '../../src/control/controls.js';

/** An outcome of `kind`; `ok` is true only for `done`. */
export function outcome(
  kind: OutcomeKind,
  summary: string,
  replies: WorkerReply[] = [],
  details?: Record<string, unknown>,
): ControlOutcome {
  const result: ControlOutcome = { ok: kind === 'done', kind, summary, replies };
  if (details) result.details = details;
  return result;
}

/**
 * The outcome of a round whose replies are the result: `done` when every worker answered `ok`, else
 * `partial` with the troubled workers named. When every reply is the same error and `notFoundError`
 * matches it (`unknown task`), the thing asked about does not exist: `not-found`.
 */
export function fromReplies(
  done: string,
  replies: WorkerReply[],
  details?: Record<string, unknown>,
  notFoundError?: RegExp,
): ControlOutcome {
  const errors = replies.filter((r) => r.status === 'error');
  const silent = replies.filter((r) => r.status === 'no-reply');
  if (errors.length === 0 && silent.length === 0) return outcome('done', done, replies, details);
  if (
    notFoundError &&
    errors.length === replies.length &&
    errors.every((r) => notFoundError.test(r.message))
  ) {
    return outcome('not-found', `${errors[0]!.message} (every worker said so)`, replies, details);
  }
  const parts: string[] = [];
  if (errors.length) parts.push(`${errors.length} replied with an error: ${errors[0]!.message}`);
  if (silent.length) parts.push(`${silent.length} did not reply (${silent.map((r) => r.node).join(', ')})`);
  const okCount = replies.length - errors.length - silent.length;
  return outcome(
    'partial',
    `${done} on ${okCount} of ${replies.length} workers; ${parts.join('; ')}`,
    replies,
    details,
  );
}

/** One line for a reply value: `{"ok": text}` gives the text, anything else compact JSON (bounded). */
export function replyMessage(value: Json): string {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && typeof value.ok === 'string') {
    return value.ok;
  }
  const text = JSON.stringify(value) ?? 'null';
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/**
 * The message of a reply in a serializer qtop does not decode (`replied (pickle, not decoded)`):
 * status `ok`, since the worker did act on the request; what it answered stays unknown.
 */
export function opaqueReplyMessage(serializer: string): string {
  return `replied (${serializer}, not decoded)`;
}

/**
 * The ACL refusal inside `error` (`NOPERM this user has no permissions to run the 'sadd' command`),
 * also when a MULTI was discarded because of it (ioredis puts those in `previousErrors`), or null.
 */
function noPermError(error: unknown): Error | null {
  if (!(error instanceof Error)) return null;
  if (/^NOPERM\b/.test(error.message)) return error;
  const previous = (error as { previousErrors?: unknown }).previousErrors;
  return Array.isArray(previous) ? (previous.map(noPermError).find((e) => e !== null) ?? null) : null;
}

/** True for a Redis ACL refusal (see noPermError). */
export function isNoPerm(error: unknown): boolean {
  return noPermError(error) !== null;
}

/** Why writes are impossible, with the fix, from a NOPERM error. */
export function noPermReason(error: unknown): string {
  const text = (noPermError(error)?.message ?? String(error)).split('\n')[0];
  return (
    `the Redis user has no write permission (${text}); qtop stays read-only. ` +
    'Grant +@write and +@pubsub with ACL SETUSER to control workers'
  );
}

const exitByKind: Record<OutcomeKind, ExitCode> = {
  done: exitCodes.ok,
  error: exitCodes.internal,
  refused: exitCodes.usage,
  unreachable: exitCodes.connect,
  'no-permission': exitCodes.auth,
  partial: exitCodes.partial,
  'not-found': exitCodes.notFound,
  interrupted: exitCodes.interrupted,
};

/** The process exit code of an outcome (see src/exit-codes.ts). */
export function exitCodeOf(result: ControlOutcome): ExitCode {
  return exitByKind[kindOf(result)];
}

/** The outcome's kind; outcomes without one are `done` when ok, else `error`. */
export function kindOf(result: ControlOutcome): OutcomeKind {
  return result.kind ?? (result.ok ? 'done' : 'error');
}
