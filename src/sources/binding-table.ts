/**
 * Read one exchange's `_kombu.binding.{exchange}` set as kombu's `get_table` does (SMEMBERS, split
 * by sep), for celery/routing.ts. Members that do not split into three parts are counted, not
 * guessed: kombu's own lookup raises on them, and routeMessage refuses the exchange.
 */
import type { Redis } from 'ioredis';
import { decodeBinding } from '../celery/bindings.js';
import { bindingKey } from '../celery/names.js';
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
