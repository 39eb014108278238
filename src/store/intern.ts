/**
 * One shared copy of the short strings that repeat across task records: task names, worker
 * hostnames, queues, event types. JSON.parse makes a fresh copy of each per event, and at
 * 100,000 held tasks those copies were about a third of the store's memory. Bounded: past
 * `maxInterned` distinct strings new ones are returned as they are (still correct, only not shared).
 */
const maxInterned = 20_000;
const pool = new Map<string, string>();

export function intern<T extends string | null | undefined>(text: T): T {
  if (typeof text !== 'string') return text;
  const known = pool.get(text);
  if (known !== undefined) return known as T;
  if (pool.size < maxInterned) pool.set(text, text);
  return text;
}
