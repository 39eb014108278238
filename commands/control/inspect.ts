/**
 * `qtop inspect WHAT`: one read-only pidbox round, as `celery inspect WHAT` (wire doc 7.3 lists the
 * reply shapes). Allowed in `--read-only` mode: the round's reply binding is added and removed again
 * by pidboxRound and nothing in the cluster changes. A Redis user without write permission cannot
 * inspect at all (the reply binding is an SADD), and gets the NOPERM outcome.
 */
import type { Json } from '../../src/celery/types.js';
import type { ControlOutcome, Destination, WorkerReply } from '../../src/control/controls.js';
import { fromReplies, outcome } from './outcome.js';
import type { ControlRuntime } from './runtime.js';

/** The inspect methods the CLI offers, Celery's names. */
export const INSPECT_METHODS = [
  'stats',
  'active',
  'reserved',
  'scheduled',
  'registered',
  'active_queues',
  'revoked',
  'ping',
] as const;

/** One of {@link INSPECT_METHODS}. */
export type InspectWhat = (typeof INSPECT_METHODS)[number];

/** Ask `destination` (default every worker) for `what`; `details.replies` maps node -> reply value. */
export async function inspect(
  rt: ControlRuntime,
  what: string,
  destination: Destination = 'all',
): Promise<ControlOutcome> {
  if (!(INSPECT_METHODS as readonly string[]).includes(what)) {
    return outcome(
      'refused',
      `refused: cannot inspect '${what}'; choose one of ${INSPECT_METHODS.join(', ')}`,
    );
  }
  try {
    const resolved = await rt.resolve(destination);
    if ('summary' in resolved) return resolved;
    const { round, replies } = await rt.round({ method: what, destination: resolved.nodes }, resolved.expect);
    const values: Record<string, Json> = {};
    for (const reply of round.replies) values[reply.node] = reply.value;
    const shown: WorkerReply[] = replies.map((r) =>
      r.status === 'ok' ? { ...r, message: sizeOf(values[r.node] ?? null) } : r,
    );
    const answered = round.replies.length;
    return fromReplies(`${what} from ${answered} worker${answered === 1 ? '' : 's'}`, shown, {
      method: what,
      replies: values,
    });
  } catch (error) {
    return rt.failed(error, `inspect ${what}`);
  }
}

/** A short description of a reply value: `3 items`, or its one-line text. */
function sizeOf(value: Json): string {
  if (Array.isArray(value)) return `${value.length} item${value.length === 1 ? '' : 's'}`;
  if (value !== null && typeof value === 'object' && typeof value.ok === 'string') return value.ok;
  if (value !== null && typeof value === 'object') return `${Object.keys(value).length} fields`;
  return JSON.stringify(value);
}
