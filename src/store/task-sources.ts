/**
 * Polled sources into task records: queue peeks (PENDING), the `unacked` hash (reserved by a
 * worker: RECEIVED) and inspect replies (active: STARTED; reserved and scheduled: RECEIVED).
 * They work with events off. Each report goes through Celery's precedence like an event, so
 * a poll that lags behind the events never moves a task backwards. Polled sources fill in
 * what is missing and overwrite only when their state wins; they never touch statistics.
 */
import type { Json, JsonObject } from '../celery/types.js';
import type { InspectMethod, InspectReply, PeekedMessage, UnackedSample } from './actions.js';
import { intern } from './intern.js';
import type { Model, TaskOrigin, TaskRecord } from './model.js';
import { addObservation, addOrigin, applyState, timelineKey, touchTask } from './task-records.js';
import { addNote, boundText, holdJson, numberOf, objectOf, stringOf } from './task-values.js';

/** What one observation says about a task, in the shape the records need. */
interface Sighting {
  id: string;
  state: string;
  /** Epoch seconds the state is known from. */
  stateAt: number;
  origin: TaskOrigin;
  observation: string;
  name: string | null;
  args: Json | null;
  kwargs: Json | null;
  argsRepr: string | null;
  kwargsRepr: string | null;
  eta: string | null;
  expires: string | null;
  retries: number | null;
  queue: string | null;
  worker: string | null;
  note: string | null;
  stamps?: JsonObject | null;
  links?: Pick<PeekedMessage, 'rootId' | 'parentId' | 'groupId' | 'chordId'>;
}

/**
 * What a sighting can change on a record, as plain values. Polls repeat every few seconds and
 * mostly report nothing new; a record is touched (moved to the recency end, `updatedAt` bumped)
 * only when this changes, or queued tasks would sit on top of the "updated" sort forever and
 * the eviction order would follow the poll instead of what happened. Args and kwargs compare
 * by reference: they are assigned only while null (see `apply`).
 */
function revision(r: TaskRecord): unknown[] {
  return [
    r.state,
    r.stateAt,
    r.name,
    r.args,
    r.kwargs,
    r.argsRepr,
    r.kwargsRepr,
    r.eta,
    r.expires,
    r.retries,
    r.queue,
    r.worker,
    r.note,
    r.stamps,
    r.origins.length,
    // A new key per timeline change (reading `timeline` itself would build fresh entries).
    timelineKey(r),
    r.receivedAt,
    r.startedAt,
  ];
}

/**
 * Record a sighting: a new task is created (and so touched); a known one is updated in place
 * and touched only when its `revision` differs afterwards. `also` is the caller's own field
 * updates, made inside the same comparison.
 */
function sight(model: Model, s: Sighting, at: number, also?: (record: TaskRecord) => void): TaskRecord {
  const known = model.tasks.get(s.id);
  if (!known) {
    const record = touchTask(model, s.id, at);
    apply(model, record, s);
    also?.(record);
    return record;
  }
  const before = revision(known);
  apply(model, known, s);
  also?.(known);
  const after = revision(known);
  if (after.some((value, i) => !Object.is(value, before[i]))) touchTask(model, s.id, at);
  return known;
}

function apply(model: Model, record: TaskRecord, s: Sighting): void {
  const replace = applyState(record, s.state, s.stateAt) === 'replace';
  const max = model.config.maxValueChars;
  const take = <T>(value: T | null, current: unknown): value is T =>
    value !== null && (replace || current === null);

  if (take(s.name, record.name)) record.name = intern(s.name);
  // Real JSON is the exact call whichever source saw it, so it only fills a null: the same id
  // always carries the same call, and keeping the held value keeps `revision` comparable.
  if (Array.isArray(s.args) && record.args === null) record.args = holdJson(record, 'args', s.args, max);
  const kwargs = objectOf(s.kwargs);
  if (kwargs !== null && record.kwargs === null) record.kwargs = holdJson(record, 'kwargs', kwargs, max);
  if (s.argsRepr !== null && record.argsRepr === null)
    record.argsRepr = boundText(record, 'args repr', s.argsRepr, max);
  if (s.kwargsRepr !== null && record.kwargsRepr === null)
    record.kwargsRepr = boundText(record, 'kwargs repr', s.kwargsRepr, max);
  if (take(s.eta, record.eta)) record.eta = s.eta;
  if (take(s.expires, record.expires)) record.expires = s.expires;
  // The retry count only grows for an id (self.retry re-sends it with retries + 1, wire doc 5.1).
  if (s.retries !== null) record.retries = Math.max(record.retries, s.retries);
  if (take(s.queue, record.queue)) record.queue = intern(s.queue);
  if (take(s.worker, record.worker)) record.worker = intern(s.worker);
  if (s.note !== null) addNote(record, s.note);
  // Stamps travel with the message (retries keep them); the first seen set is kept, like args.
  if (s.stamps && record.stamps === null) record.stamps = s.stamps;
  // Workflow links only fill a gap: every source that gives them reads the same message headers.
  const links = s.links;
  if (links) {
    if (links.rootId != null && record.rootId === null) record.rootId = links.rootId;
    if (links.parentId != null && record.parentId === null) record.parentId = links.parentId;
    if (links.groupId != null && record.groupId === null) record.groupId = links.groupId;
    if (links.chordId != null && record.chordId === null) record.chordId = links.chordId;
  }
  addOrigin(model, record, s.origin);
  addObservation(
    record,
    { type: s.observation, timestamp: s.stateAt, hostname: intern(s.worker) },
    model.config.maxTimeline,
  );
}

/** The parts of a sighting a decoded task message gives, whichever place it was read from. */
function fromMessage(
  m: PeekedMessage,
  id: string,
): Omit<Sighting, 'state' | 'stateAt' | 'origin' | 'observation' | 'queue' | 'worker'> {
  return {
    id,
    name: m.name,
    args: m.args,
    kwargs: m.kwargs,
    argsRepr: m.argsRepr,
    kwargsRepr: m.kwargsRepr,
    eta: m.eta,
    expires: m.expires,
    retries: m.retries,
    note: m.note,
    stamps: m.stamps ?? null,
    links: { rootId: m.rootId, parentId: m.parentId, groupId: m.groupId, chordId: m.chordId },
  };
}

/** A message waiting in `queue` (wire doc 3.2): PENDING. */
export function applyPeekedMessage(model: Model, queue: string, message: PeekedMessage, at: number): void {
  if (message.id === null) return;
  const base = fromMessage(message, message.id);
  sight(
    model,
    {
      ...base,
      state: 'PENDING',
      stateAt: at / 1000,
      origin: 'queue',
      observation: 'seen-in-queue',
      queue,
      worker: null,
    },
    at,
  );
}

/**
 * A message in the `unacked` hash: a worker took it and has not acked it yet, so it is
 * reserved (prefetched or waiting for its ETA), or running with `acks_late` (wire doc 3.3).
 * RECEIVED is the most it proves; precedence keeps anything better already known.
 */
export function applyUnackedEntry(model: Model, entry: UnackedSample, at: number): void {
  const message = entry.message;
  if (message?.id == null) return;
  const base = fromMessage(message, message.id);
  const stateAt = entry.deliveredAt ?? at / 1000;
  sight(
    model,
    {
      ...base,
      state: 'RECEIVED',
      stateAt,
      origin: 'unacked',
      observation: 'seen-unacked',
      queue: entry.queue,
      worker: null,
    },
    at,
    (record) => {
      // The unacked_index score is the delivery time: as good as a task-received timestamp.
      if (record.receivedAt === null && entry.deliveredAt !== null) record.receivedAt = entry.deliveredAt;
    },
  );
}

// Epoch seconds after 2001: anything smaller is a monotonic clock reading, not a wall time.
const minEpoch = 1e9;

/**
 * One worker's answer to `active`, `reserved` or `scheduled` (wire doc 7.3). Request infos
 * carry real JSON args, or repr strings when the caller asked for `safe`; `scheduled` wraps
 * them as `{eta, priority, request}`. The queue is the delivery routing key. Returns how many
 * tasks the reply reported (other methods and error replies report none).
 */
export function applyInspectReply(
  model: Model,
  method: InspectMethod,
  reply: InspectReply,
  at: number,
): number {
  if (reply.error !== null || !Array.isArray(reply.value)) return 0;
  if (method !== 'active' && method !== 'reserved' && method !== 'scheduled') return 0;
  let count = 0;
  for (const item of reply.value) {
    const outer = objectOf(item);
    if (outer === null) continue;
    const info: JsonObject | null = method === 'scheduled' ? objectOf(outer.request) : outer;
    const id = info === null ? null : stringOf(info, 'id');
    if (info === null || id === null) continue;
    const started = numberOf(info, 'time_start');
    const startedAt = method === 'active' && started !== null && started > minEpoch ? started : null;
    const args = info.args ?? null;
    const kwargs = info.kwargs ?? null;
    sight(
      model,
      {
        id,
        state: method === 'active' ? 'STARTED' : 'RECEIVED',
        stateAt: startedAt ?? at / 1000,
        origin: 'inspect',
        observation: `seen-${method}`,
        name: stringOf(info, 'name'),
        args: typeof args === 'string' ? null : args,
        kwargs: typeof kwargs === 'string' ? null : kwargs,
        argsRepr: typeof args === 'string' ? args : null,
        kwargsRepr: typeof kwargs === 'string' ? kwargs : null,
        eta: method === 'scheduled' ? stringOf(outer, 'eta') : null,
        expires: null,
        retries: null,
        queue: stringOf(objectOf(info.delivery_info) ?? {}, 'routing_key') || null,
        worker: reply.node,
        note: null,
      },
      at,
      (record) => {
        if (startedAt !== null && record.state === 'STARTED') record.startedAt = startedAt;
      },
    );
    count += 1;
  }
  return count;
}
