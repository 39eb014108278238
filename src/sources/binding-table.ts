/**
 * Read one exchange's `_kombu.binding.{exchange}` set as kombu's `get_table` does (SMEMBERS, split
 * by sep), for celery/routing.ts. Members that do not split into three parts are counted, not
 * guessed: kombu's own lookup raises on them, and routeMessage refuses the exchange.
 */
import type { Redis } from 'ioredis';
import { decodeBinding } from '../celery/bindings.js';
import { bindingKey, bindingScanPattern, exchangeOfBindingKey, isTaskExchange } from '../celery/names.js';
import type { WireOptions } from '../celery/options.js';
import type { Binding } from '../celery/types.js';

export interface BindingTable {
  exchange: string;
  table: Binding[];
  /** Members kombu could not split either (wrong sep, hand-made members). */
  undecodable: number;
  /** The raw members, for sep detection (routing-sep.ts `detectSep`). */
  members: string[];
}

export async function readBindingTable(
  client: Redis,
  opts: WireOptions,
  exchange: string,
): Promise<BindingTable> {
  const members = await client.smembers(bindingKey(opts, exchange));
  const table: Binding[] = [];
  let undecodable = 0;
  for (const member of members) {
    const decoded = decodeBinding(member, opts.sep);
    if (decoded.ok) table.push(decoded.value);
    else undecodable++;
  }
  return { exchange, table, undecodable, members };
}

/**
 * Every task exchange's table (the event and pidbox exchanges hold bookkeeping only), read with
 * SCAN + SMEMBERS: what a write needs to know which queues exist and where a routing key goes.
 */
export async function readTaskBindingTables(
  client: Redis,
  opts: WireOptions,
  signal?: AbortSignal,
): Promise<BindingTable[]> {
  const tables: BindingTable[] = [];
  let cursor = '0';
  do {
    signal?.throwIfAborted();
    const [next, keys] = await client.scan(cursor, 'MATCH', bindingScanPattern(opts), 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      const exchange = exchangeOfBindingKey(opts, key);
      if (exchange === null || !isTaskExchange(opts, exchange)) continue;
      if (tables.some((t) => t.exchange === exchange)) continue; // SCAN may return a key twice
      tables.push(await readBindingTable(client, opts, exchange));
    }
  } while (cursor !== '0');
  return tables.sort((a, b) => (a.exchange < b.exchange ? -1 : a.exchange > b.exchange ? 1 : 0));
}
