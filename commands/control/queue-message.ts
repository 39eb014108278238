/**
 * Delete or move exactly one queued message, atomically, while workers BRPOP the same lists.
 *
 * Step 1 (read): find the message's exact raw element by task id (message-find.ts; every protocol is
 * decoded in Node, where the id is compared exactly). Step 2 (write, one Lua script = one atomic step
 * in Redis): `LREM list 1 raw` on the queue's priority lists in turn until one removes it, and for a
 * move `LPUSH` the rerouted element onto the target list in the same script. A raw element carries
 * its own `delivery_tag` UUID (wire doc 4), so it is unique: LREM count 1 removes that message and no
 * other. If a worker popped it between the steps, LREM removes nothing and nothing else happens:
 * no message is ever lost or duplicated. Matching by id inside Lua was rejected: cjson cannot read
 * protocol 1 bodies (base64) and re-encoding would alter numbers; the raw text needs neither.
 */
import { spliceJsonValue } from '../../src/celery/json-span.js';
import { bindingKey, bindingMember, queueListKey, queueListKeys } from '../../src/celery/names.js';
import type { ControlOutcome } from '../../src/control/controls.js';
import { type FoundMessage, findInQueue, findInUnacked, knownQueues } from './message-find.js';
import { outcome } from './outcome.js';
import type { ControlRuntime } from './runtime.js';

/** KEYS: the queue's priority lists; ARGV[1]: the exact element. Returns the 1-based list index, or 0. */
export const DELETE_SCRIPT = `
for i = 1, #KEYS do
  if redis.call('LREM', KEYS[i], 1, ARGV[1]) == 1 then return i end
end
return 0`;

/**
 * KEYS: the source priority lists, then the target list, then the target's binding set. ARGV: the
 * exact element, the rerouted element, the target's binding member. The binding is declared as a
 * producer would (wire doc 5.2 step 5) so the target queue is discoverable. Returns as DELETE_SCRIPT.
 */
export const MOVE_SCRIPT = `
local n = #KEYS
for i = 1, n - 2 do
  if redis.call('LREM', KEYS[i], 1, ARGV[1]) == 1 then
    redis.call('SADD', KEYS[n], ARGV[3])
    redis.call('LPUSH', KEYS[n - 1], ARGV[2])
    return i
  end
end
return 0`;

/** Find the message or say precisely why it is not there. */
async function locate(
  rt: ControlRuntime,
  queue: string,
  taskId: string,
): Promise<FoundMessage | ControlOutcome> {
  const { broker, wire, signal } = rt.ctx;
  const found = await findInQueue(broker, wire, queue, taskId, signal);
  if (found) return found;
  const taken = await findInUnacked(broker, wire, taskId, signal);
  if (taken) {
    return outcome(
      'not-found',
      `task ${taskId} is no longer waiting in '${queue}': a worker has reserved it (revoke it instead)`,
    );
  }
  const queues = await knownQueues(broker, wire);
  const where = queues.includes(queue) ? `queue '${queue}'` : `'${queue}', which is not a known queue`;
  return outcome(
    'not-found',
    `task ${taskId} is not waiting in ${where} (known queues: ${queues.join(', ')})`,
  );
}

function checkArgs(rt: ControlRuntime, queue: string, taskId: string): ControlOutcome | null {
  return (
    rt.refuseWrite() ??
    (queue && taskId ? null : outcome('refused', 'refused: a queue and a task id are required'))
  );
}

/** Remove the one message of `taskId` from `queue`; everything else stays as it was. */
export async function deleteMessage(
  rt: ControlRuntime,
  queue: string,
  taskId: string,
): Promise<ControlOutcome> {
  const refused = checkArgs(rt, queue, taskId);
  if (refused) return refused;
  try {
    const found = await locate(rt, queue, taskId);
    if ('summary' in found) return found;
    const keys = queueListKeys(rt.ctx.wire, queue).map((k) => k.key);
    const removed = Number(await rt.ctx.broker.eval(DELETE_SCRIPT, keys.length, ...keys, found.raw));
    if (removed === 0)
      return outcome(
        'not-found',
        `task ${taskId} left '${queue}' before it could be deleted (a worker took it)`,
      );
    const name = found.message.name;
    return outcome('done', `deleted task ${taskId} (${name}) from ${queue}`, [], {
      taskId,
      queue,
      name,
      step: found.step,
    });
  } catch (error) {
    return rt.failed(error, 'delete');
  }
}

/**
 * Move the one message of `taskId` from `queue` to `toQueue`, keeping its priority step. Only
 * `properties.delivery_info.routing_key` changes (every other byte stays), so events, extended meta
 * and kombu's restore of an unacked message all name the new queue (wire doc 3.4, 9.1).
 */
export async function moveMessage(
  rt: ControlRuntime,
  queue: string,
  taskId: string,
  toQueue: string,
): Promise<ControlOutcome> {
  const refused = checkArgs(rt, queue, taskId);
  if (refused) return refused;
  const { wire, broker } = rt.ctx;
  if (!toQueue || toQueue === queue || toQueue.includes(wire.sep)) {
    return outcome('refused', `refused: the target queue must be another valid queue name, got '${toQueue}'`);
  }
  try {
    const found = await locate(rt, queue, taskId);
    if ('summary' in found) return found;
    const rerouted = spliceJsonValue(
      found.raw,
      ['properties', 'delivery_info', 'routing_key'],
      JSON.stringify(toQueue),
    );
    if (rerouted === null)
      return outcome('refused', `refused: task ${taskId}'s message has no delivery_info to reroute`);
    const keys = queueListKeys(wire, queue).map((k) => k.key);
    keys.push(queueListKey(wire, toQueue, found.step), bindingKey(wire, toQueue));
    const member = bindingMember(wire, toQueue, '', toQueue);
    const moved = Number(await broker.eval(MOVE_SCRIPT, keys.length, ...keys, found.raw, rerouted, member));
    if (moved === 0)
      return outcome(
        'not-found',
        `task ${taskId} left '${queue}' before it could be moved (a worker took it)`,
      );
    const name = found.message.name;
    return outcome('done', `moved task ${taskId} (${name}) from ${queue} to ${toQueue}`, [], {
      taskId,
      queue,
      toQueue,
      name,
      step: found.step,
    });
  } catch (error) {
    return rt.failed(error, 'move');
  }
}
