/**
 * Queue rows for the queues panel and JSON output: plain data copied out of the model, so a
 * reader can keep a row while the model moves on.
 */
import { gaugeSlope, gaugeValues } from '../metrics/series.js';
import type { PeekedMessage, UnackedSample } from './actions.js';
import type { Model, QueueRecord } from './model.js';
import { eventRateWindow, type RateWindow, rateIn } from './rate-window.js';
import { isUp, workerState } from './worker-state.js';

/**
 * A peeked message without its workflow links: they feed the task records (the family view), not
 * the message rows of qtop/1's `queues[].peek[]` or MCP's `search_queue`.
 */
export function withoutLinks(message: PeekedMessage) {
  const { rootId: _r, parentId: _p, groupId: _g, chordId: _c, chain: _n, ...shown } = message;
  return shown;
}

/** Window of the in/out rates and of the backlog trend. */
export const queueRateWindowMs = 60_000;
/** Backlog samples in a row's sparkline. */
export const queueHistoryLength = 60;

export interface QueueRow {
  name: string;
  /** Ready messages: the sum over the priority lists (wire doc 3.2). */
  total: number;
  /** Ready messages per priority step; step 0 runs first on Redis. */
  byPriority: Record<string, number>;
  /** `unacked` entries from this queue: prefetched or ETA messages held by workers (3.3). */
  reserved: number;
  /** True when the `unacked` sample was capped, so `reserved` may be short. */
  reservedIsLowerBound: boolean;
  /** Messages per second over the last minute, from task events; null when unknown. */
  inRate: number | null;
  outRate: number | null;
  /** Least-squares backlog change per second over the last minute; null with < 2 samples. */
  backlogTrendPerSec: number | null;
  /** Age of the longest-waiting peeked message without an ETA; null when none is known. */
  oldestAgeSec: number | null;
  /** True when that age is only the time since qtop first saw it waiting. */
  oldestAgeIsLowerBound: boolean;
  /** Age of the longest-held reserved message, from its `unacked_index` delivery time. */
  oldestReservedAgeSec: number | null;
  /** Up workers consuming this queue and their pool slots (null when no pool size is known). */
  consumers: { workers: number; slots: number | null };
  /** Last backlog samples, oldest first; null = a failed poll. */
  backlogHistory: (number | null)[];
  peek: PeekedMessage[];
  exchanges: string[];
  sampledAt: number | null;
}

export interface QueueDetail extends QueueRow {
  /** This queue's `unacked` entries, longest held first. */
  reservedMessages: UnackedSample[];
}

/** Every known queue, sorted by name. */
export function selectQueues(model: Model, now: number): QueueRow[] {
  const shared = sharedInputs(model, now);
  return [...model.queues.values()]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((queue) => queueRow(model, queue, now, shared));
}

/** One queue with its reserved messages; null when the queue is not known. */
export function selectQueue(model: Model, name: string, now: number): QueueDetail | null {
  const queue = model.queues.get(name);
  if (!queue) return null;
  const reservedMessages = model.unacked.entries
    .filter((entry) => entry.queue === name)
    .sort(
      (a, b) => (a.deliveredAt ?? Number.POSITIVE_INFINITY) - (b.deliveredAt ?? Number.POSITIVE_INFINITY),
    );
  return { ...queueRow(model, queue, now, sharedInputs(model, now)), reservedMessages };
}

/**
 * What every row reads, indexed once per call: the up consumers and the `unacked` entries by
 * queue. Per row, a scan of every worker and every entry made 2,000 queues x 500 workers a
 * million `includes` per frame.
 */
interface SharedInputs {
  window: RateWindow | null;
  consumers: Map<string, { workers: number; slots: number | null }>;
  reserved: Map<string, UnackedSample[]>;
}

function sharedInputs(model: Model, now: number): SharedInputs {
  const consumers = new Map<string, { workers: number; slots: number | null }>();
  for (const worker of model.workers.values()) {
    if (worker.queues === null || !isUp(workerState(model, worker, now))) continue;
    // A worker listing a queue twice still counts once, as `includes` did.
    for (const name of new Set(worker.queues)) {
      const c = consumers.get(name) ?? { workers: 0, slots: null };
      c.workers += 1;
      if (worker.poolMax !== null) c.slots = (c.slots ?? 0) + worker.poolMax;
      consumers.set(name, c);
    }
  }
  const reserved = new Map<string, UnackedSample[]>();
  for (const entry of model.unacked.entries) {
    if (entry.queue === null) continue;
    const list = reserved.get(entry.queue);
    if (list) list.push(entry);
    else reserved.set(entry.queue, [entry]);
  }
  return { window: eventRateWindow(model, now, queueRateWindowMs), consumers, reserved };
}

function queueRow(model: Model, queue: QueueRecord, now: number, shared: SharedInputs): QueueRow {
  const window = shared.window;
  const reserved = shared.reserved.get(queue.name) ?? [];
  const oldest = oldestWaiting(model, queue, now);
  let oldestReserved: number | null = null;
  for (const entry of reserved) {
    if (entry.deliveredAt === null) continue;
    const age = Math.max(0, now / 1000 - entry.deliveredAt);
    oldestReserved = Math.max(oldestReserved ?? 0, age);
  }
  const sampled = sampledPart(queue);
  return {
    name: queue.name,
    total: queue.total,
    byPriority: sampled.byPriority,
    reserved: reserved.length,
    reservedIsLowerBound: model.unacked.total > model.unacked.entries.length,
    inRate: rateIn(queue.inRate, window),
    outRate: rateIn(queue.outRate, window),
    backlogTrendPerSec: gaugeSlope(queue.backlog, now, queueRateWindowMs).perSec,
    oldestAgeSec: oldest?.ageSec ?? null,
    oldestAgeIsLowerBound: oldest?.lowerBound ?? false,
    oldestReservedAgeSec: oldestReserved,
    consumers: { ...(shared.consumers.get(queue.name) ?? { workers: 0, slots: null }) },
    backlogHistory: sampled.backlogHistory,
    peek: sampled.peek,
    exchanges: sampled.exchanges,
    sampledAt: queue.sampledAt,
  };
}

/** The parts of a row that only a queue sample changes, with what they were copied from. */
interface SampledPart {
  lengths: QueueRecord['lengths'];
  peekOf: QueueRecord['peek'];
  exchangesOf: QueueRecord['exchanges'];
  /** Ring position and newest time of the backlog when `backlogHistory` was read. */
  backlogNext: number;
  backlogSize: number;
  backlogLatest: number | undefined;
  byPriority: Record<string, number>;
  peek: PeekedMessage[];
  exchanges: string[];
  backlogHistory: (number | null)[];
}

/**
 * Copies made once per queue sample instead of once per frame: 2,000 rows a frame each copied
 * their peek, lengths, exchanges and 60 backlog samples although a heartbeat (what causes most
 * frames) changes none of them. A sample replaces `lengths`, `peek` and `exchanges` (reduce-queues.ts)
 * and moves the backlog ring, so their identities and the ring's position say when to copy
 * again. The copies are shared by the rows of successive frames and never written to.
 */
const sampledParts = new WeakMap<QueueRecord, SampledPart>();

function sampledPart(queue: QueueRecord): SampledPart {
  const g = queue.backlog;
  const latest = g.size === 0 ? undefined : g.times[(g.next - 1 + g.capacity) % g.capacity];
  const kept = sampledParts.get(queue);
  if (
    kept !== undefined &&
    kept.lengths === queue.lengths &&
    kept.peekOf === queue.peek &&
    kept.exchangesOf === queue.exchanges &&
    kept.backlogNext === g.next &&
    kept.backlogSize === g.size &&
    kept.backlogLatest === latest
  )
    return kept;
  const byPriority: Record<string, number> = {};
  for (const [step, n] of Object.entries(queue.lengths)) byPriority[step] = n;
  const part: SampledPart = {
    lengths: queue.lengths,
    peekOf: queue.peek,
    exchangesOf: queue.exchanges,
    backlogNext: g.next,
    backlogSize: g.size,
    backlogLatest: latest,
    byPriority,
    // `stamps` is always written in JSON; recordings from before stamps lack it.
    peek: queue.peek.map((m) => ({ ...withoutLinks(m), stamps: m.stamps ?? null })),
    exchanges: [...queue.exchanges].sort(),
    backlogHistory: gaugeValues(g, queueHistoryLength),
  };
  sampledParts.set(queue, part);
  return part;
}

/**
 * The longest wait among peeked messages without an ETA (an ETA message waits on purpose).
 * A `task-sent` time gives the exact age (on the sender's clock); otherwise the time qtop
 * first saw the message waiting is a lower bound, since it may have waited before that.
 */
function oldestWaiting(
  model: Model,
  queue: QueueRecord,
  now: number,
): { ageSec: number; lowerBound: boolean } | null {
  let oldest: { ageSec: number; lowerBound: boolean } | null = null;
  for (const message of queue.peek) {
    if (message.id === null || message.eta !== null) continue;
    const sentAt = model.tasks.get(message.id)?.sentAt ?? null;
    const seenAt = queue.firstSeen.get(message.id);
    let candidate: { ageSec: number; lowerBound: boolean } | null = null;
    if (sentAt !== null) candidate = { ageSec: Math.max(0, now / 1000 - sentAt), lowerBound: false };
    else if (seenAt !== undefined)
      candidate = { ageSec: Math.max(0, (now - seenAt) / 1000), lowerBound: true };
    if (candidate && (!oldest || candidate.ageSec > oldest.ageSec)) oldest = candidate;
  }
  return oldest;
}
