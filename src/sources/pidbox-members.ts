import type { Redis } from 'ioredis';
import { mailboxBindingKey, nodeOfMailboxMember } from '../celery/names.js';
import type { WireOptions } from '../celery/options.js';
import type { Action } from '../store/actions.js';

/**
 * The workers listed in the mailbox binding set `_kombu.binding.celery.pidbox`, one member
 * `SEP SEP {node}.celery.pidbox` per worker (wire doc 3.1). This lists workers even when events are
 * off, which is why it is sampled at all; but a SIGKILLed worker stays listed, so the store must
 * treat these nodes as "known", not "alive". Members of another form are ignored. Nodes are sorted
 * and unique. One SMEMBERS: the set has one member per worker, so it is small by nature.
 */
export async function samplePidboxMembers(
  redis: Redis,
  opts: WireOptions,
  at: number,
): Promise<Extract<Action, { type: 'pidbox/sampled' }>> {
  const members = await redis.smembers(mailboxBindingKey(opts));
  const nodes = new Set<string>();
  for (const member of members) {
    const node = nodeOfMailboxMember(opts, member);
    if (node !== null) nodes.add(node);
  }
  return { type: 'pidbox/sampled', at, nodes: [...nodes].sort() };
}
