/**
 * Revoke tasks, optionally terminating the ones running (wire doc 7.3, "What revoke does").
 *
 * A revoke goes to every worker: each adds the ids to its in-memory revoked set and discards such
 * a task when it would run it (`task-revoked`, REVOKED meta "revoked"). With `terminate` the worker
 * running it signals the pool process at once (REVOKED "terminated", `task-revoked {terminated}`).
 * Celery accepts any id, including ids not sent yet, so an id no worker holds is still revoked; qtop
 * says so per id instead of claiming an effect ("no worker holds it ..."), and succeeds.
 */
import { resultKey } from '../../src/celery/names.js';
import { decodeResultMeta } from '../../src/celery/result-meta.js';
import { type ControlOutcome, type Signal, signals } from '../../src/control/controls.js';
import { fromReplies, outcome } from './outcome.js';
import type { ControlRuntime } from './runtime.js';

/** What qtop knows of each task before revoking it, one line per id. */
async function whereTasks(
  rt: ControlRuntime,
  ids: string[],
  live: string[],
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
    const raw = rt.ctx.backend ? await rt.ctx.backend.get(resultKey(id)) : null;
    const meta = raw === null ? null : decodeResultMeta(raw);
    const known = rt.ctx.lookup.task(id);
    if (meta?.ok) where.set(id, `already finished: ${meta.value.status}`);
    else if (known) where.set(id, `${known.state} when qtop last saw it`);
  }
  return where;
}

/** Revoke `taskIds` on every worker; with `terminate`, signal (default TERM) the processes running them. */
export async function revoke(
  rt: ControlRuntime,
  taskIds: string[],
  options: { terminate?: boolean; signal?: Signal } = {},
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
    const where = await whereTasks(rt, ids, resolved.expect);
    const signal = terminate ? `SIG${options.signal ?? 'TERM'}` : null;
    const args = { task_id: ids, terminate, signal };
    const { replies } = await rt.round(
      { method: 'revoke', arguments: args, destination: null },
      resolved.expect,
    );
    const unknown = ids.filter((id) => !where.get(id));
    const tasks = Object.fromEntries(
      ids.map((id) => [id, where.get(id) ?? 'no worker holds it and it has no result']),
    );
    const verb = terminate ? `revoked and terminated (${signal})` : 'revoked';
    let done = `${verb} ${ids.length} task${ids.length === 1 ? '' : 's'} on ${resolved.expect.length} workers`;
    if (unknown.length) {
      done +=
        `; warning: no worker holds ${unknown.join(', ')} and no result exists: ` +
        'workers remember the revoke until they restart and discard the task if it arrives';
    }
    return fromReplies(done, replies, { tasks, unknown, terminate, signal });
  } catch (error) {
    return rt.failed(error, 'revoke');
  }
}
