/**
 * Delete or move exactly one queued message, atomically, while workers BRPOP the same lists.
 *
 * Step 1 (read): find the message's exact raw element by task id (message-find.ts; every protocol is
 * decoded in Node, where the id is compared exactly). Step 2 (write, one Lua script = one atomic step
 * in Redis): `LREM list 1 raw` on the queue's priority lists in turn until one removes it, and for a
 * move `LPUSH` the rerouted element (its `delivery_info` set by route-target.ts) onto the target's
 * priority list in the same script. A raw element carries its own `delivery_tag` UUID (wire doc 4),
 * so it is unique: LREM count 1 removes that message and no other. If a worker popped it between the steps, LREM removes nothing and nothing else happens:
 * no message is ever lost or duplicated. Matching by id inside Lua was rejected: cjson cannot read
 * protocol 1 bodies (base64) and re-encoding would alter numbers; the raw text needs neither.
 */
import { queueListKeys } from '../../src/celery/names.js';
import type { ControlOutcome } from '../../src/control/controls.js';
import { type FoundMessage, findInQueue, findInUnacked, knownQueues } from './message-find.js';
import { outcome } from './outcome.js';
import { type ExchangeTypes, loadRouting, planToQueue, withDeliveryInfo } from './route-target.js';
import type { ControlRuntime } from './runtime.js';

/** KEYS: the queue's priority lists; ARGV[1]: the exact element. Returns the 1-based list index, or 0. */
export const DELETE_SCRIPT = `
for i = 1, #KEYS do
  if redis.call('LREM', KEYS[i], 1, ARGV[1]) == 1 then return i end
end
return 0`;

/**
 * KEYS: the source priority lists, then the target list. ARGV: the exact element, the rerouted
 * element. No binding is added: the target must already be declared (route-target.ts), so the
 * `_kombu.binding.*` sets stay byte-equal. Returns as DELETE_SCRIPT.
 */
export const MOVE_SCRIPT = `
local n = #KEYS
for i = 1, n - 1 do
  if redis.call('LREM', KEYS[i], 1, ARGV[1]) == 1 then
    redis.call('LPUSH', KEYS[n], ARGV[2])
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
 * Move the one message of `taskId` from `queue` to `toQueue`. It goes to the list kombu's `_put` would
 * use for its priority, and only `properties.delivery_info` changes (every other byte stays): the
 * original exchange and routing key are kept when they route back to exactly `toQueue`, else the
 * default exchange with routing key `toQueue`, so kombu's restore of it from `unacked` (lost worker,
 * visibility timeout, warm shutdown) puts it back in `toQueue` instead of dropping it (issue 14).
 */
export async function moveMessage(
  rt: ControlRuntime,
  queue: string,
  taskId: string,
  toQueue: string,
  options: { exchangeTypes?: ExchangeTypes } = {},
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
    const routing = await loadRouting(broker, wire, options.exchangeTypes, rt.ctx.signal);
    if ('ok' in routing) return outcome('refused', routing.reason);
    const m = found.message;
    const original =
      m.exchange !== null && m.routingKey !== null
        ? { exchange: m.exchange, routingKey: m.routingKey }
        : null;
    const plan = planToQueue(routing, toQueue, original, m.envelope.properties.priority);
    if (!plan.ok) return outcome('refused', plan.reason);
    const target = plan.targets[0]!;
    const rerouted = withDeliveryInfo(found.raw, target.exchange, target.routingKey);
    if (rerouted === null)
      return outcome('refused', `refused: task ${taskId}'s message has no delivery_info to reroute`);
    const keys = queueListKeys(wire, queue).map((k) => k.key);
    keys.push(target.key);
    const moved = Number(await broker.eval(MOVE_SCRIPT, keys.length, ...keys, found.raw, rerouted));
    if (moved === 0)
      return outcome(
        'not-found',
        `task ${taskId} left '${queue}' before it could be moved (a worker took it)`,
      );
    const name = m.name;
    return outcome('done', `moved task ${taskId} (${name}) from ${queue} to ${toQueue}`, [], {
      taskId,
      queue,
      toQueue,
      name,
      step: found.step,
      list: target.key,
      deliveryInfo: { exchange: target.exchange, routingKey: target.routingKey },
      via: plan.via,
    });
  } catch (error) {
    return rt.failed(error, 'move');
  }
}
