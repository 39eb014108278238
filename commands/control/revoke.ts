/**
 * Revoke tasks, optionally terminating the ones running (wire doc 7.3, "What revoke does").
 *
 * A revoke goes to every worker: each adds the ids to its in-memory revoked set and discards such
 * a task when it would run it (`task-revoked`, REVOKED meta "revoked"). With `terminate` the worker
 * running it signals the pool process at once (REVOKED "terminated", `task-revoked {terminated}`).
 * Celery accepts any id, including ids not sent yet, so an id no worker holds is still revoked; qtop
 * says so per id instead of claiming an effect ("no worker holds it ..."), and succeeds.
 *
 * A task whose result meta says it finished is refused unless forced: there is nothing to revoke, and
 * Celery >= 5.6.2 workers write REVOKED meta for every id they are told to revoke, at once
 * (celery/worker/control.py `_revoke` -> `backend.mark_as_revoked`), overwriting a FAILURE (traceback
 * and extended call gone; the backend never overwrites a SUCCESS). After the round qtop reads the
 * meta again and says what the workers wrote, so the outcome is true on 5.2 and 5.6 alike.
 */
import { backendKeyprefix, resultKey } from '../../src/celery/names.js';
import { decodeResultMeta } from '../../src/celery/result-meta.js';
import { revokeByStampRequest, stampText } from '../../src/celery/stamps.js';
import type { Json } from '../../src/celery/types.js';
import { revokeFinishedLoss } from '../../src/control/actions/tasks.js';
import { type ControlOutcome, type Signal, signals, type WorkerReply } from '../../src/control/controls.js';
import { finishedStates } from '../../src/control/selection.js';
import { fromReplies, outcome } from './outcome.js';
import type { ControlRuntime } from './runtime.js';

/** What qtop knows of each task before revoking it, one line per id. */
async function whereTasks(
  rt: ControlRuntime,
  ids: string[],
  live: string[],
  finished: Map<string, string>,
): Promise<Map<string, string | null>> {
  const where = new Map<string, string | null>(ids.map((id) => [id, null]));
  // query_task (read-only): `{id: ["active" | "reserved" | "ready", info]}` from the workers holding it.
  const { round } = await rt.round({ method: 'query_task', arguments: { ids }, destination: null }, live);
  for (const reply of round.replies) {
    if (reply.value === null || typeof reply.value !== 'object' || Array.isArray(reply.value)) continue;
    for (const [id, entry] of Object.entries(reply.value)) {
      if (!where.has(id) || !Array.isArray(entry)) continue;
      const held = `${String(entry[0])} on ${reply.node}`;
      where.set(id, where.get(id) ? `${where.get(id)}, ${held}` : held);
    }
  }
  for (const id of ids) {
    if (where.get(id)) continue;
    const known = rt.ctx.lookup.task(id);
    const status = finished.get(id);
    if (status) where.set(id, `already finished: ${status}`);
    else if (known) where.set(id, `${known.state} when qtop last saw it`);
  }
  return where;
}

/** The result meta status of each id that has meta (unreadable meta is left out). */
async function metaStatuses(rt: ControlRuntime, ids: string[]): Promise<Map<string, string>> {
  const statuses = new Map<string, string>();
  if (!rt.ctx.backend) return statuses;
  const prefix = backendKeyprefix(rt.ctx.wire.backendKeyprefix);
  for (const id of ids) {
    const raw = await rt.ctx.backend.get(resultKey(id, prefix));
    const meta = raw === null ? null : decodeResultMeta(raw);
    if (meta?.ok) statuses.set(id, meta.value.status);
  }
  return statuses;
}

/** Revoke `taskIds` on every worker; with `terminate`, signal (default TERM) the processes running them. */
export async function revoke(
  rt: ControlRuntime,
  taskIds: string[],
  options: { terminate?: boolean; signal?: Signal; force?: boolean } = {},
): Promise<ControlOutcome> {
  const refused = rt.refuseWrite();
  if (refused) return refused;
  const ids = [...new Set(taskIds)];
  if (ids.length === 0 || ids.some((id) => !id))
    return outcome('refused', 'refused: give one or more task ids');
  const terminate = options.terminate === true;
  if (options.signal !== undefined && !signals.includes(options.signal)) {
    return outcome('refused', `refused: signal must be one of ${signals.join(', ')}`);
  }
  try {
    const resolved = await rt.resolve('all');
    if ('summary' in resolved) return resolved;
    const before = await metaStatuses(rt, ids);
    const finished = new Map([...before].filter(([, status]) => finishedStates.includes(status)));
    if (finished.size > 0 && options.force !== true) {
      const list = [...finished].map(([id, status]) => `${id} (${status})`).join(', ');
      return outcome(
        'refused',
        `refused: already finished: ${list}; nothing to revoke. --force revokes anyway: ${revokeFinishedLoss}`,
        [],
        { finished: Object.fromEntries(finished) },
      );
    }
    const where = await whereTasks(rt, ids, resolved.expect, finished);
    const signal = terminate ? `SIG${options.signal ?? 'TERM'}` : null;
    const args = { task_id: ids, terminate, signal };
    const { replies } = await rt.round(
      { method: 'revoke', arguments: args, destination: null },
      resolved.expect,
    );
    const unknown = ids.filter((id) => !where.get(id));
    // Workers store before they reply (5.6 `_revoke`), so this read sees what they wrote.
    const after = await metaStatuses(rt, ids);
    const written = ids.filter((id) => after.get(id) === 'REVOKED' && before.get(id) !== 'REVOKED');
    const tasks = Object.fromEntries(
      ids.map((id) => [id, where.get(id) ?? 'no worker holds it and it has no result']),
    );
    const verb = terminate ? `revoked and terminated (${signal})` : 'revoked';
    let done = `${verb} ${ids.length} task${ids.length === 1 ? '' : 's'} on ${resolved.expect.length} workers`;
    const overwritten = written.filter((id) => finished.has(id));
    if (overwritten.length) {
      done += `; the workers overwrote the result meta of ${overwritten.map((id) => `${id} (${finished.get(id)})`).join(', ')} with REVOKED`;
    }
    const unknownWritten = unknown.filter((id) => written.includes(id));
    const unknownRemembered = unknown.filter((id) => !written.includes(id));
    if (unknownWritten.length) {
      done +=
        `; warning: no worker holds ${unknownWritten.join(', ')}: the workers wrote REVOKED result meta ` +
        'for it at once (Celery >= 5.6.2) and discard the task if it arrives';
    }
    if (unknownRemembered.length) {
      done +=
        `; warning: no worker holds ${unknownRemembered.join(', ')} and no result exists: ` +
        'workers remember the revoke until they restart and discard the task if it arrives';
    }
    const metaWritten = Object.fromEntries(written.map((id) => [id, 'REVOKED']));
    return fromReplies(done, replies, { tasks, unknown, terminate, signal, metaWritten });
  } catch (error) {
    return rt.failed(error, 'revoke');
  }
}

/** A worker older than Celery 5.3 answers the unknown command with `KeyError('revoke_by_stamped_headers')`. */
const unknownCommand = /revoke_by_stamped_headers|No such (method|command)/i;

/** Celery's own words for the version that added the command, in every refusal. */
const stampsNeed = 'revoke by stamp needs Celery >= 5.3 workers';

/**
 * The outcome of a `revoke_by_stamped_headers` round, pure: `done` when every worker took it; a
 * worker that does not know the command is named as too old (on Celery 5.2 the round proves it:
 * KeyError), never counted as having revoked anything; `refused` when no worker took it.
 */
export function stampRevokeOutcome(
  what: string,
  replies: WorkerReply[],
  details: Record<string, unknown>,
): ControlOutcome {
  const tooOld = replies.filter((r) => r.status === 'error' && unknownCommand.test(r.message));
  const rest = replies.filter((r) => !tooOld.includes(r));
  const took = rest.filter((r) => r.status === 'ok');
  const full = { ...details, unsupported: tooOld.map((r) => r.node) };
  if (replies.length === 0) return outcome('refused', 'refused: no worker is up to remember the stamp');
  if (tooOld.length === replies.length) {
    return outcome(
      'refused',
      `refused by every worker: ${stampsNeed} (${tooOld.map((r) => r.node).join(', ')} answered ${tooOld[0]!.message}); nothing was revoked`,
      replies,
      full,
    );
  }
  if (tooOld.length === 0) return fromReplies(what, replies, full);
  const troubled = rest.filter((r) => r.status !== 'ok');
  const summary =
    `${what} on ${took.length} of ${replies.length} workers; ${tooOld.map((r) => r.node).join(', ')} ` +
    `do not know the command (${stampsNeed}) and will run tasks carrying the stamp` +
    (troubled.length
      ? `; ${troubled.length} more did not take it (${troubled.map((r) => r.node).join(', ')})`
      : '');
  return outcome('partial', summary, replies, full);
}

/**
 * Revoke every task carrying one of `stamps` (Celery >= 5.3 `revoke_by_stamped_headers`): each
 * worker adds the values to its `revoked_stamps` and discards any task carrying one when it
 * receives or would run it, seen or not yet sent. Workers keep the stamps in memory only: a worker
 * started later (or restarted) runs such tasks. With `terminate` the running ones are signalled.
 */
export async function revokeStamped(
  rt: ControlRuntime,
  stamps: { key: string; value: Json }[],
  options: { terminate?: boolean; signal?: Signal } = {},
): Promise<ControlOutcome> {
  const refused = rt.refuseWrite();
  if (refused) return refused;
  if (stamps.length === 0 || stamps.some((st) => !st.key))
    return outcome('refused', 'refused: give one or more stamps as KEY=VALUE');
  if (options.signal !== undefined && !signals.includes(options.signal)) {
    return outcome('refused', `refused: signal must be one of ${signals.join(', ')}`);
  }
  const terminate = options.terminate === true;
  const signal = `SIG${options.signal ?? 'TERM'}`;
  try {
    const resolved = await rt.resolve('all');
    if ('summary' in resolved) return resolved;
    const request = revokeByStampRequest(stamps, terminate, signal);
    const { replies } = await rt.round({ ...request, destination: null }, resolved.expect);
    const text = stamps.map((st) => `${st.key}=${stampText(st.value)}`).join(', ');
    const verb = terminate ? `revoked and terminated (${signal})` : 'revoked';
    const what =
      `${verb} every task stamped ${text}: the workers discard such tasks until they restart ` +
      '(workers started later do not know the stamp)';
    return stampRevokeOutcome(what, replies, {
      stamps: request.arguments.headers,
      terminate,
      signal: terminate ? signal : null,
    });
  } catch (error) {
    return rt.failed(error, 'revoke --stamped');
  }
}
