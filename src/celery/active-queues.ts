/**
 * The exchanges an `active_queues` reply declares (wire doc 7.3: a list of queue declarations
 * `{name, exchange: {name, type, …}, …}`). Redis stores no exchange type (kombu keeps it in the
 * declaring process), so a worker's own declarations are the one place a fanout exchange shows as
 * fanout. Pure; shared by the store (live screen) and the CLI's one-shot round.
 */
import { asArray, asObject, asString, field } from './decoded.js';
import type { ExchangeType } from './routing.js';
import type { Json } from './types.js';

/** Exchange name -> type as one worker declared it; null when the reply is not a list. */
export function declaredExchanges(value: Json): Record<string, ExchangeType> | null {
  const items = asArray(value);
  if (items === null) return null;
  const out: Record<string, ExchangeType> = {};
  for (const item of items) {
    const exchange = asObject(field(asObject(item) ?? {}, 'exchange'));
    const name = exchange ? asString(field(exchange, 'name')) : null;
    const type = exchange ? asString(field(exchange, 'type')) : null;
    // The default exchange '' is kombu's anon routing, typed by no declaration.
    if (!name || (type !== 'direct' && type !== 'topic' && type !== 'fanout')) continue;
    out[name] = type;
  }
  return out;
}
