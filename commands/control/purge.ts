/**
 * Purge one queue: DEL exactly its priority lists (`{q}`, `{q}SEP3`, `{q}SEP6`, `{q}SEP9` with the
 * global key prefix, wire doc 2 and 3.2) and nothing else: not its binding (the queue still exists,
 * as after `celery purge`), not other queues, not the `unacked` hash (messages workers already
 * reserved are theirs; revoke those). LLENs and DEL run in one MULTI, so the count reported is
 * exactly what was deleted even while producers push.
 */
import { queueListKeys } from '../../src/celery/names.js';
import type { ControlOutcome } from '../../src/control/controls.js';
import { knownQueues } from './message-find.js';
import { outcome } from './outcome.js';
import type { ControlRuntime } from './runtime.js';

/** Delete every message waiting in `queue`; `details.purged` is the count. */
export async function purgeQueue(rt: ControlRuntime, queue: string): Promise<ControlOutcome> {
  const refused =
    rt.refuseWrite() ?? (queue ? null : outcome('refused', 'refused: a queue name is required'));
  if (refused) return refused;
  const { broker, wire } = rt.ctx;
  const lists = queueListKeys(wire, queue);
  try {
    const queues = await knownQueues(broker, wire);
    if (!queues.includes(queue)) {
      const lengths = await Promise.all(lists.map(({ key }) => broker.llen(key)));
      if (lengths.every((n) => n === 0)) {
        return outcome(
          'not-found',
          `no queue named '${queue}' (known queues: ${queues.join(', ') || 'none'})`,
        );
      }
    }
    const multi = broker.multi();
    for (const { key } of lists) multi.llen(key);
    multi.del(...lists.map(({ key }) => key));
    const replies = (await multi.exec()) ?? [];
    const failed = replies.find(([error]) => error);
    if (failed) throw failed[0];
    const byStep = Object.fromEntries(lists.map(({ step }, i) => [step, Number(replies[i]?.[1] ?? 0)]));
    const purged = Object.values(byStep).reduce((a, b) => a + b, 0);
    return outcome('done', `purged ${purged} message${purged === 1 ? '' : 's'} from ${queue}`, [], {
      queue,
      purged,
      byStep,
    });
  } catch (error) {
    return rt.failed(error, 'purge');
  }
}
