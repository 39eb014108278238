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

/** Per task name, the last args / kwargs repr seen: calls of one task often repeat them. */
const lastArgs = new Map<string, string>();
const lastKwargs = new Map<string, string>();
/** Longer reprs are rarely repeated exactly and not worth comparing. */
const maxSharedRepr = 256;

/**
 * `text`, or the equal string the last task of the same name held: one copy for a run of
 * identical reprs (`{'priority': 'normal'}` 100,000 times) without a pool that unique args would
 * fill. Bounded like `intern` (names are interned, so their count is too).
 */
export function shareRepeat(
  name: string | null,
  field: 'args' | 'kwargs',
  text: string | null,
): string | null {
  if (text === null || name === null || text.length > maxSharedRepr) return text;
  const last = field === 'args' ? lastArgs : lastKwargs;
  const known = last.get(name);
  if (known === text) return known;
  if (known !== undefined || last.size < maxInterned) last.set(name, text);
  return text;
}
